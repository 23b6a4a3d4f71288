package dev.billing.core.memory;

import dev.billing.spi.AccountRecord;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.CommitmentRecord;
import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.IdempotencyRecord;
import dev.billing.spi.PlanRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.RateRecord;
import dev.billing.spi.RegionRecord;
import dev.billing.spi.StatementLineRecord;
import dev.billing.spi.StatementRecord;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageSession;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.StorageWork;
import dev.billing.spi.SubscriptionRecord;
import dev.billing.spi.TransactionRecord;
import dev.billing.spi.UsageRecord;
import dev.billing.spi.UsageSum;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A storage that keeps everything in the heap of this process; nothing survives it.
 *
 * <p>Units of work run one at a time under a single fair lock, so they are serializable. A unit of
 * work that throws is undone step by step from an undo log, so it leaves no trace.
 *
 * <p>Thread-safe. Create one with {@link #create()}.
 */
public final class InMemoryStorage implements BillingStorage {

    private final ReentrantLock lock = new ReentrantLock(true);
    private final NavigableMap<String, RegionRecord> regions = new TreeMap<>();
    private final NavigableMap<String, PlanRecord> plans = new TreeMap<>();
    private final NavigableMap<String, AccountRecord> accounts = new TreeMap<>();
    private final NavigableMap<Long, TransactionRecord> transactions = new TreeMap<>();
    private final Map<String, Long> transactionSeqById = new HashMap<>();
    private final Map<String, NavigableSet<Long>> seqsByNamespace = new HashMap<>();
    private final Map<String, String> refundByPurchase = new HashMap<>();
    private final Map<Long, List<PostingRecord>> postingsBySeq = new HashMap<>();
    private final Map<String, BigDecimal> postingSums = new HashMap<>();
    private final NavigableMap<String, SubscriptionRecord> subscriptions = new TreeMap<>();
    private final NavigableMap<String, IdempotencyRecord> idempotency = new TreeMap<>();
    private final NavigableMap<String, RateRecord> rates = new TreeMap<>();
    private final NavigableMap<String, BillingProfileRecord> profiles = new TreeMap<>();
    private final NavigableMap<String, UsageRecord> usage = new TreeMap<>();
    private final NavigableMap<String, CommitmentRecord> commitments = new TreeMap<>();
    private final Map<String, StatementRecord> statements = new HashMap<>();
    private final Map<String, List<StatementLineRecord>> statementLines = new HashMap<>();
    /** Statement id to the ancestors it was recorded under. */
    private final Map<String, List<String>> statementAncestors = new HashMap<>();
    private long lastSeq;

    private InMemoryStorage() {
    }

    /** @return a new, empty storage */
    public static InMemoryStorage create() {
        return new InMemoryStorage();
    }

    @Override
    public <T> T inTransaction(StorageWork<T> work) {
        lock.lock();
        try {
            Session session = new Session();
            try {
                T result = work.run(session);
                if (session.failure != null) {
                    throw session.failure;
                }
                return result;
            } catch (RuntimeException | Error e) {
                session.undo();
                throw e;
            } finally {
                session.closed = true;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String describe() {
        return "in-memory storage";
    }

    private static String idemKey(String namespace, String key) {
        return key(namespace, key);
    }

    /** Joins key parts with U+0000, which never appears in a validated part; sorts part by part. */
    private static String key(String... parts) {
        return String.join("\u0000", parts);
    }

    private final class Session implements StorageSession {

        private final Deque<Runnable> undoLog = new ArrayDeque<>();
        private boolean closed;
        private RuntimeException failure;

        private void check() {
            if (closed) {
                throw new IllegalStateException("the session is used outside its unit of work");
            }
            if (failure != null) {
                // the failure's kind, so that the engine retries what it would have retried
                String message = "refused: an earlier call of this unit of work failed: " + failure.getMessage();
                if (failure instanceof DuplicateKeyException) {
                    throw new DuplicateKeyException(message, failure);
                }
                throw new StorageException(message, failure);
            }
        }

        /** Spoils the session, as a database's aborted transaction is: nothing more, and no commit. */
        private <E extends RuntimeException> E spoil(E e) {
            failure = e;
            return e;
        }

        void undo() {
            while (!undoLog.isEmpty()) {
                undoLog.pop().run();
            }
        }

        private <K, V> void put(Map<K, V> map, K key, V value) {
            V old = map.put(key, value);
            undoLog.push(old == null ? () -> map.remove(key) : () -> map.put(key, old));
        }

        @Override
        public void putRegion(RegionRecord region) {
            check();
            put(regions, region.id(), region);
        }

        @Override
        public Optional<RegionRecord> findRegion(String id) {
            check();
            return Optional.ofNullable(regions.get(id));
        }

        @Override
        public List<RegionRecord> listRegions() {
            check();
            return List.copyOf(regions.values());
        }

        @Override
        public void putPlan(PlanRecord plan) {
            check();
            put(plans, plan.id(), plan);
        }

        @Override
        public Optional<PlanRecord> findPlan(String id) {
            check();
            return Optional.ofNullable(plans.get(id));
        }

        @Override
        public List<PlanRecord> listPlans(String region, String type, String status) {
            check();
            String wanted = type == null ? null : type.toLowerCase(Locale.ROOT);
            return plans.values().stream()
                    .filter(p -> p.region().equals(region))
                    .filter(p -> wanted == null || p.type().toLowerCase(Locale.ROOT).equals(wanted))
                    .filter(p -> status == null || p.status().equals(status))
                    .sorted(Comparator.comparing(PlanRecord::price).thenComparing(PlanRecord::id))
                    .toList();
        }

        @Override
        public void insertAccount(AccountRecord account) {
            check();
            if (accounts.containsKey(account.namespace())) {
                throw spoil(new DuplicateKeyException("account " + account.namespace() + " exists", null));
            }
            put(accounts, account.namespace(), account);
        }

        @Override
        public Optional<AccountRecord> findAccount(String namespace) {
            check();
            return Optional.ofNullable(accounts.get(namespace));
        }

        private AccountRecord existing(String namespace) {
            AccountRecord a = accounts.get(namespace);
            if (a == null) {
                throw spoil(new StorageException("no account " + namespace));
            }
            return a;
        }

        @Override
        public void updateAccountState(String namespace, String status, boolean notification) {
            check();
            AccountRecord a = existing(namespace);
            put(accounts, namespace, new AccountRecord(a.namespace(), a.currency(), status, notification,
                    a.balance(), a.createdAt()));
        }

        @Override
        public Optional<BigDecimal> applyBalanceDelta(String namespace, BigDecimal delta, BigDecimal floor) {
            check();
            AccountRecord a = existing(namespace);
            BigDecimal next = a.balance().add(delta);
            if (floor != null && next.compareTo(floor) < 0 || next.compareTo(MAX_BALANCE) >= 0) {
                return Optional.empty();
            }
            put(accounts, namespace, new AccountRecord(a.namespace(), a.currency(), a.status(), a.notification(),
                    next, a.createdAt()));
            return Optional.of(next);
        }

        @Override
        public long appendTransaction(TransactionRecord transaction, List<PostingRecord> postings) {
            check();
            if (transactionSeqById.containsKey(transaction.id())) {
                throw spoil(new DuplicateKeyException("transaction " + transaction.id() + " exists", null));
            }
            String refundOf = transaction.refundOf();
            if (refundOf != null && refundByPurchase.containsKey(refundOf)) {
                throw spoil(new DuplicateKeyException("transaction " + refundOf + " has a refund", null));
            }
            Map<String, BigDecimal> byCurrency = new HashMap<>();
            for (PostingRecord p : postings) {
                if (!p.transactionId().equals(transaction.id())) {
                    throw spoil(new StorageException("posting of " + p.transactionId() + " in transaction " + transaction.id()));
                }
                byCurrency.merge(p.currency(), p.amount(), BigDecimal::add);
            }
            if (byCurrency.values().stream().anyMatch(v -> v.signum() != 0)) {
                throw spoil(new StorageException("postings of transaction " + transaction.id() + " do not balance: " + byCurrency));
            }
            long seq = ++lastSeq;
            undoLog.push(() -> lastSeq--);
            put(transactions, seq, transaction.asStored(seq, null));
            put(transactionSeqById, transaction.id(), seq);
            NavigableSet<Long> own = seqsByNamespace.computeIfAbsent(transaction.namespace(), n -> new TreeSet<>());
            own.add(seq);
            undoLog.push(() -> own.remove(seq));
            if (refundOf != null) {
                put(refundByPurchase, refundOf, transaction.id());
            }
            List<PostingRecord> sorted = new ArrayList<>(postings);
            sorted.sort(Comparator.comparing(PostingRecord::ledgerAccount));
            put(postingsBySeq, seq, List.copyOf(sorted));
            for (PostingRecord p : postings) {
                put(postingSums, p.ledgerAccount(), postingSums.getOrDefault(p.ledgerAccount(), BigDecimal.ZERO).add(p.amount()));
            }
            return seq;
        }

        private TransactionRecord withRefund(TransactionRecord t) {
            return t.asStored(t.seq(), refundByPurchase.get(t.id()));
        }

        @Override
        public Optional<TransactionRecord> findTransaction(String id) {
            check();
            Long seq = transactionSeqById.get(id);
            return seq == null ? Optional.empty() : Optional.of(withRefund(transactions.get(seq)));
        }

        @Override
        public List<TransactionRecord> listTransactions(String namespace, long beforeSeq, int limit) {
            check();
            List<TransactionRecord> page = new ArrayList<>();
            NavigableSet<Long> own = seqsByNamespace.getOrDefault(namespace, new TreeSet<>());
            for (Long seq : own.headSet(beforeSeq, false).descendingSet()) {
                if (page.size() >= limit) {
                    break;
                }
                page.add(withRefund(transactions.get(seq)));
            }
            return page;
        }

        @Override
        public BigDecimal sumPostings(String ledgerAccount) {
            check();
            return postingSums.getOrDefault(ledgerAccount, BigDecimal.ZERO);
        }

        @Override
        public Map<String, BigDecimal> sumPostingsByCurrency() {
            check();
            Map<String, BigDecimal> sums = new TreeMap<>();
            postingsBySeq.values().forEach(ps -> ps.forEach(p -> sums.merge(p.currency(), p.amount(), BigDecimal::add)));
            return sums;
        }

        @Override
        public void insertSubscription(SubscriptionRecord subscription) {
            check();
            if (subscriptions.containsKey(subscription.id())) {
                throw spoil(new DuplicateKeyException("subscription " + subscription.id() + " exists", null));
            }
            put(subscriptions, subscription.id(), subscription);
        }

        @Override
        public List<SubscriptionRecord> listSubscriptions(String namespace) {
            check();
            return subscriptions.values().stream()
                    .filter(s -> s.namespace().equals(namespace))
                    .sorted(Comparator.comparing(SubscriptionRecord::periodStart).thenComparing(SubscriptionRecord::id))
                    .toList();
        }

        @Override
        public Optional<SubscriptionRecord> findSubscriptionByTransaction(String transactionId) {
            check();
            return subscriptions.values().stream().filter(s -> s.transactionId().equals(transactionId)).findFirst();
        }

        @Override
        public void updateSubscriptionStatus(String id, String status) {
            check();
            SubscriptionRecord s = subscriptions.get(id);
            if (s == null) {
                throw spoil(new StorageException("no subscription " + id));
            }
            put(subscriptions, id, s.withStatus(status));
        }

        @Override
        public boolean replaceSubscription(SubscriptionRecord next, Instant expectedPeriodEnd) {
            check();
            SubscriptionRecord s = subscriptions.get(next.id());
            if (s == null || !s.status().equals("active") || !s.periodEnd().equals(expectedPeriodEnd)) {
                return false;
            }
            put(subscriptions, next.id(), next);
            return true;
        }

        @Override
        public List<SubscriptionRecord> listSubscriptionsDue(Instant now, int limit) {
            check();
            return subscriptions.values().stream()
                    .filter(s -> s.status().equals("active") && !s.periodEnd().isAfter(now))
                    .sorted(Comparator.comparing(SubscriptionRecord::periodEnd).thenComparing(SubscriptionRecord::id))
                    .limit(limit)
                    .toList();
        }

        @Override
        public void putRate(RateRecord rate) {
            check();
            put(rates, key(rate.offeringCode(), rate.chargeType(), rate.effectiveFrom().toString()), rate);
        }

        @Override
        public List<RateRecord> listRates(String offeringCode, String chargeType) {
            check();
            return rates.values().stream()
                    .filter(r -> offeringCode == null || r.offeringCode().equals(offeringCode))
                    .filter(r -> chargeType == null || r.chargeType().equals(chargeType))
                    .sorted(Comparator.comparing(RateRecord::offeringCode).thenComparing(RateRecord::chargeType)
                            .thenComparing(RateRecord::effectiveFrom))
                    .toList();
        }

        @Override
        public void insertBillingProfile(BillingProfileRecord profile) {
            check();
            if (profiles.containsKey(profile.namespace())) {
                throw spoil(new DuplicateKeyException("billing profile " + profile.namespace() + " exists", null));
            }
            put(profiles, profile.namespace(), profile);
        }

        @Override
        public Optional<BillingProfileRecord> findBillingProfile(String namespace) {
            check();
            return Optional.ofNullable(profiles.get(namespace));
        }

        /** Units of work run one at a time here: reading is locking. */
        @Override
        public Optional<BillingProfileRecord> lockBillingProfile(String namespace) {
            return findBillingProfile(namespace);
        }

        @Override
        public boolean replaceBillingProfile(BillingProfileRecord next, Instant expectedPeriodStart) {
            check();
            BillingProfileRecord p = profiles.get(next.namespace());
            if (p == null || !p.periodStart().equals(expectedPeriodStart)) {
                return false;
            }
            put(profiles, next.namespace(), next);
            return true;
        }

        @Override
        public List<BillingProfileRecord> listChildren(String parent) {
            check();
            return profiles.values().stream().filter(p -> parent.equals(p.parent())).toList();
        }

        @Override
        public List<BillingProfileRecord> listPeriodsDue(Instant now, int limit) {
            check();
            return profiles.values().stream()
                    .filter(p -> !p.periodEnd().isAfter(now))
                    .sorted(Comparator.comparing(BillingProfileRecord::periodEnd)
                            .thenComparing(BillingProfileRecord::namespace))
                    .limit(limit)
                    .toList();
        }

        @Override
        public void insertUsage(UsageRecord record) {
            check();
            String k = key(record.namespace(), record.eventId());
            if (usage.containsKey(k)) {
                throw spoil(new DuplicateKeyException("usage event " + record.eventId() + " exists", null));
            }
            put(usage, k, record);
        }

        @Override
        public Optional<UsageRecord> findUsage(String namespace, String eventId) {
            check();
            return Optional.ofNullable(usage.get(key(namespace, eventId)));
        }

        @Override
        public List<UsageSum> sumUsage(String namespace, Instant from, Instant to) {
            check();
            Map<String, BigDecimal> sums = new TreeMap<>();
            Map<String, Long> counts = new HashMap<>();
            for (UsageRecord u : usage.subMap(namespace + '\u0000', namespace + '\u0001').values()) {
                if (!u.occurredAt().isBefore(from) && u.occurredAt().isBefore(to)) {
                    String k = key(u.offeringCode(), u.chargeType());
                    sums.merge(k, u.quantity(), BigDecimal::add);
                    counts.merge(k, 1L, Long::sum);
                }
            }
            List<UsageSum> result = new ArrayList<>();
            sums.forEach((k, q) -> {
                String[] parts = k.split("\u0000", 2);
                result.add(new UsageSum(parts[0], parts[1], q, counts.get(k)));
            });
            return result;
        }

        @Override
        public void putCommitment(CommitmentRecord commitment) {
            check();
            put(commitments, key(commitment.namespace(), commitment.id()), commitment);
        }

        @Override
        public List<CommitmentRecord> listCommitments(String namespace) {
            check();
            return List.copyOf(commitments.subMap(namespace + '\u0000', namespace + '\u0001').values());
        }

        @Override
        public void insertStatement(StatementRecord statement, List<StatementLineRecord> lines, List<String> ancestors) {
            check();
            if (statements.containsKey(statement.id())) {
                throw spoil(new DuplicateKeyException("statement " + statement.id() + " exists", null));
            }
            boolean samePeriod = statements.values().stream().anyMatch(st -> st.namespace().equals(statement.namespace())
                    && st.periodStart().equals(statement.periodStart()));
            if (samePeriod) {
                throw spoil(new DuplicateKeyException("namespace " + statement.namespace() + " has a statement for the period from "
                        + statement.periodStart(), null));
            }
            put(statements, statement.id(), statement);
            for (StatementLineRecord l : lines) {
                if (!l.statementId().equals(statement.id())) {
                    throw spoil(new StorageException("line of " + l.statementId() + " in statement " + statement.id()));
                }
            }
            List<StatementLineRecord> sorted = new ArrayList<>(lines);
            sorted.sort(Comparator.comparingInt(StatementLineRecord::lineNo));
            put(statementLines, statement.id(), List.copyOf(sorted));
            if (!ancestors.isEmpty()) {
                put(statementAncestors, statement.id(), List.copyOf(ancestors));
            }
        }

        @Override
        public BigDecimal sumAncestorShares(String ancestor, Instant endAfter, Instant endUpTo) {
            check();
            return statementAncestors.entrySet().stream()
                    .filter(e -> e.getValue().contains(ancestor))
                    .map(e -> statements.get(e.getKey()))
                    .filter(st -> st.periodEnd().isAfter(endAfter) && !st.periodEnd().isAfter(endUpTo))
                    .map(StatementRecord::chargeTotal)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        @Override
        public List<StatementRecord> listStatements(String namespace) {
            check();
            return statements.values().stream()
                    .filter(st -> st.namespace().equals(namespace))
                    .sorted(Comparator.comparing(StatementRecord::periodStart).reversed())
                    .toList();
        }

        @Override
        public List<StatementLineRecord> listStatementLines(String statementId) {
            check();
            return statementLines.getOrDefault(statementId, List.of());
        }

        @Override
        public Optional<IdempotencyRecord> findIdempotency(String namespace, String key) {
            check();
            return Optional.ofNullable(idempotency.get(idemKey(namespace, key)));
        }

        @Override
        public void insertIdempotency(IdempotencyRecord record) {
            check();
            String k = idemKey(record.namespace(), record.key());
            if (idempotency.containsKey(k)) {
                throw spoil(new DuplicateKeyException("idempotency key " + record.key() + " exists", null));
            }
            put(idempotency, k, record);
        }

        @Override
        public StorageSnapshot snapshot() {
            check();
            List<TransactionRecord> txs = transactions.values().stream().map(this::withRefund).toList();
            List<PostingRecord> ps = new ArrayList<>();
            for (Long seq : transactions.keySet()) {
                ps.addAll(postingsBySeq.get(seq));
            }
            Map<String, IdempotencyRecord> idem = new LinkedHashMap<>();
            idempotency.values().stream()
                    .sorted(Comparator.comparing(IdempotencyRecord::namespace).thenComparing(IdempotencyRecord::key))
                    .forEach(r -> idem.put(idemKey(r.namespace(), r.key()), r));
            return new StorageSnapshot(List.copyOf(regions.values()), List.copyOf(plans.values()),
                    List.copyOf(accounts.values()), txs, ps, List.copyOf(subscriptions.values()),
                    List.copyOf(idem.values()), List.copyOf(rates.values()), List.copyOf(profiles.values()),
                    List.copyOf(usage.values()), List.copyOf(commitments.values()),
                    statements.values().stream().sorted(Comparator.comparing(StatementRecord::namespace)
                            .thenComparing(StatementRecord::periodStart)).toList(),
                    statementLines.entrySet().stream().sorted(Map.Entry.comparingByKey())
                            .flatMap(e -> e.getValue().stream()).toList());
        }
    }
}
