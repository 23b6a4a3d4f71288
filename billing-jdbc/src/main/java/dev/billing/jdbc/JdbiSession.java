package dev.billing.jdbc;

import dev.billing.spi.AccountRecord;
import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.IdempotencyRecord;
import dev.billing.spi.PlanRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.RegionRecord;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageSession;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.SubscriptionRecord;
import dev.billing.spi.TransactionRecord;
import dev.billing.spi.TransientStorageException;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;

/**
 * The reads and writes of one unit of work, on one JDBI handle inside one transaction.
 *
 * <p>Every statement binds its values; SQL is fixed text. Amounts are bound as {@link BigDecimal} and
 * must fit {@code DECIMAL(19,4)} exactly: more than 4 decimal places or more than 15 integer digits is
 * refused before anything is written (the database would otherwise round). Instants are stored as
 * {@code TIMESTAMP(6) WITH TIME ZONE} in UTC, truncated to whole microseconds, so anything with at most
 * microsecond precision reads back equal.
 *
 * <p>Orders documented on {@link StorageSession} that involve strings are applied in Java
 * ({@link String#compareTo}), independent of the database's collation.
 *
 * <p>Once a statement has failed, the session is spoiled: every later call throws again, and
 * {@link JdbiStorage} rolls the unit of work back even when the work swallowed the failure. That is
 * what PostgreSQL does anyway, and it keeps "a unit of work that saw a storage failure committed
 * nothing" true on every database.
 *
 * <p>Not thread-safe: used by the one thread running the unit of work.
 */
final class JdbiSession implements StorageSession {

    /** The scale of every money column. */
    static final int MONEY_SCALE = 4;
    /** The precision of every money column. */
    static final int MONEY_PRECISION = 19;

    private static final Comparator<PlanRecord> PLAN_ORDER =
            Comparator.comparing(PlanRecord::price).thenComparing(PlanRecord::id);
    private static final Comparator<SubscriptionRecord> SUBSCRIPTION_ORDER =
            Comparator.comparing(SubscriptionRecord::periodStart).thenComparing(SubscriptionRecord::id);

    private static final String REGION_COLUMNS = "id, description, status";
    private static final String PLAN_COLUMNS = """
            id, plan_type, plan_level, name, price, currency, bill_period, description, region, status, created_at""";
    private static final String ACCOUNT_COLUMNS = "namespace, currency, status, notification, balance, created_at";
    private static final String TRANSACTION_SELECT = """
            SELECT t.seq, t.id, t.namespace, t.kind, t.amount, t.currency, t.description, t.payment_method,
                   t.plan_id, t.refund_of, t.balance_after, t.created_at, r.id AS refunded_by
            FROM transactions t LEFT JOIN transactions r ON r.refund_of = t.id
            """;
    private static final String SUBSCRIPTION_COLUMNS =
            "id, namespace, plan_id, region, period_start, period_end, status, transaction_id";
    private static final String IDEMPOTENCY_COLUMNS =
            "namespace, idem_key, fingerprint, transaction_id, balance, status, created_at";

    private final Handle handle;
    private StorageException failure;
    private boolean wrote;
    private boolean closed;

    JdbiSession(Handle handle) {
        this.handle = handle;
    }

    /** @return whether any write statement ran (the unit of work needs a sync in POWER_LOSS mode) */
    boolean wrote() {
        return wrote;
    }

    /** @return the first storage failure of this unit of work, or {@code null} */
    StorageException failure() {
        return failure;
    }

    /** Ends the session: later calls throw {@link IllegalStateException}. */
    void close() {
        closed = true;
    }

    // ------------------------------------------------------------------ catalog

    @Override
    public void putRegion(RegionRecord region) {
        write("putRegion", () -> {
            int n = handle.createUpdate("UPDATE regions SET description = :description, status = :status WHERE id = :id")
                    .bind("id", region.id())
                    .bind("description", region.description())
                    .bind("status", region.status())
                    .execute();
            if (n == 0) {
                handle.createUpdate("INSERT INTO regions (id, description, status) VALUES (:id, :description, :status)")
                        .bind("id", region.id())
                        .bind("description", region.description())
                        .bind("status", region.status())
                        .execute();
            }
            return null;
        });
    }

    @Override
    public Optional<RegionRecord> findRegion(String id) {
        return read("findRegion", () -> handle.createQuery("SELECT " + REGION_COLUMNS + " FROM regions WHERE id = :id")
                .bind("id", id)
                .map(JdbiSession::region)
                .findOne());
    }

    @Override
    public List<RegionRecord> listRegions() {
        return read("listRegions", () -> sorted(
                handle.createQuery("SELECT " + REGION_COLUMNS + " FROM regions ORDER BY id").map(JdbiSession::region).list(),
                Comparator.comparing(RegionRecord::id)));
    }

    @Override
    public void putPlan(PlanRecord plan) {
        checkMoney("plan price", plan.price());
        write("putPlan", () -> {
            int n = bindPlan(handle.createUpdate("""
                    UPDATE plans SET plan_type = :type, plan_type_lc = :typeLc, plan_level = :level, name = :name,
                        price = :price, currency = :currency, bill_period = :billPeriod, description = :description,
                        region = :region, status = :status, created_at = :createdAt
                    WHERE id = :id"""), plan).execute();
            if (n == 0) {
                bindPlan(handle.createUpdate("""
                        INSERT INTO plans (id, plan_type, plan_type_lc, plan_level, name, price, currency, bill_period,
                            description, region, status, created_at)
                        VALUES (:id, :type, :typeLc, :level, :name, :price, :currency, :billPeriod,
                            :description, :region, :status, :createdAt)"""), plan).execute();
            }
            return null;
        });
    }

    private static Update bindPlan(Update u, PlanRecord p) {
        return u.bind("id", p.id())
                .bind("type", p.type())
                .bind("typeLc", p.type().toLowerCase(Locale.ROOT))
                .bind("level", p.level())
                .bind("name", p.name())
                .bind("price", p.price())
                .bind("currency", p.currency())
                .bind("billPeriod", p.billPeriod())
                .bind("description", p.description())
                .bind("region", p.region())
                .bind("status", p.status())
                .bind("createdAt", timestamp(p.createdAt()));
    }

    @Override
    public Optional<PlanRecord> findPlan(String id) {
        return read("findPlan", () -> handle.createQuery("SELECT " + PLAN_COLUMNS + " FROM plans WHERE id = :id")
                .bind("id", id)
                .map(JdbiSession::plan)
                .findOne());
    }

    @Override
    public List<PlanRecord> listPlans(String region, String type, String status) {
        return read("listPlans", () -> {
            StringBuilder sql = new StringBuilder("SELECT " + PLAN_COLUMNS + " FROM plans WHERE region = :region");
            if (type != null) {
                sql.append(" AND plan_type_lc = :typeLc");
            }
            if (status != null) {
                sql.append(" AND status = :status");
            }
            sql.append(" ORDER BY price, id");
            Query q = handle.createQuery(sql.toString()).bind("region", region);
            if (type != null) {
                q.bind("typeLc", type.toLowerCase(Locale.ROOT));
            }
            if (status != null) {
                q.bind("status", status);
            }
            return sorted(q.map(JdbiSession::plan).list(), PLAN_ORDER);
        });
    }

    // ------------------------------------------------------------------ accounts

    @Override
    public void insertAccount(AccountRecord account) {
        checkMoney("balance", account.balance());
        write("insertAccount", () -> handle.createUpdate("""
                INSERT INTO accounts (namespace, currency, status, notification, balance, created_at)
                VALUES (:namespace, :currency, :status, :notification, :balance, :createdAt)""")
                .bind("namespace", account.namespace())
                .bind("currency", account.currency())
                .bind("status", account.status())
                .bind("notification", account.notification())
                .bind("balance", account.balance())
                .bind("createdAt", timestamp(account.createdAt()))
                .execute());
    }

    @Override
    public Optional<AccountRecord> findAccount(String namespace) {
        return read("findAccount", () -> handle.createQuery(
                        "SELECT " + ACCOUNT_COLUMNS + " FROM accounts WHERE namespace = :namespace")
                .bind("namespace", namespace)
                .map(JdbiSession::account)
                .findOne());
    }

    @Override
    public void updateAccountState(String namespace, String status, boolean notification) {
        int n = write("updateAccountState", () -> handle.createUpdate(
                        "UPDATE accounts SET status = :status, notification = :notification WHERE namespace = :namespace")
                .bind("namespace", namespace)
                .bind("status", status)
                .bind("notification", notification)
                .execute());
        if (n == 0) {
            throw new StorageException("no account " + namespace);
        }
    }

    /**
     * One conditional {@code UPDATE} (the database locks the row, re-evaluates the condition on the
     * newest committed balance and applies the delta), then a read of the new balance in the same
     * transaction, while the row lock is held. No {@code SELECT ... FOR UPDATE}.
     */
    @Override
    public Optional<BigDecimal> applyBalanceDelta(String namespace, BigDecimal delta, BigDecimal floor) {
        checkMoney("delta", delta);
        return write("applyBalanceDelta", () -> {
            int n;
            if (floor == null) {
                n = handle.createUpdate("UPDATE accounts SET balance = balance + :delta WHERE namespace = :namespace")
                        .bind("namespace", namespace)
                        .bind("delta", delta)
                        .execute();
            } else {
                n = handle.createUpdate("""
                        UPDATE accounts SET balance = balance + :delta
                        WHERE namespace = :namespace AND balance + :delta >= :floor""")
                        .bind("namespace", namespace)
                        .bind("delta", delta)
                        .bind("floor", floor)
                        .execute();
            }
            if (n == 1) {
                return Optional.of(handle.createQuery("SELECT balance FROM accounts WHERE namespace = :namespace")
                        .bind("namespace", namespace)
                        .mapTo(BigDecimal.class)
                        .one());
            }
            boolean exists = handle.createQuery("SELECT COUNT(*) FROM accounts WHERE namespace = :namespace")
                    .bind("namespace", namespace)
                    .mapTo(Long.class)
                    .one() > 0;
            if (!exists) {
                throw new StorageException("no account " + namespace);
            }
            return Optional.<BigDecimal>empty();
        });
    }

    // ------------------------------------------------------------------ ledger

    @Override
    public long appendTransaction(TransactionRecord transaction, List<PostingRecord> postings) {
        checkMoney("amount", transaction.amount());
        checkMoney("balanceAfter", transaction.balanceAfter());
        Map<String, BigDecimal> byCurrency = new HashMap<>();
        for (PostingRecord p : postings) {
            if (!p.transactionId().equals(transaction.id())) {
                throw new StorageException("posting of " + p.transactionId() + " in transaction " + transaction.id());
            }
            checkMoney("posting amount", p.amount());
            byCurrency.merge(p.currency(), p.amount(), BigDecimal::add);
        }
        if (byCurrency.values().stream().anyMatch(v -> v.signum() != 0)) {
            throw new StorageException("postings of transaction " + transaction.id() + " do not balance: " + byCurrency);
        }
        return write("appendTransaction", () -> {
            handle.createUpdate("""
                    INSERT INTO transactions (id, namespace, kind, amount, currency, description, payment_method,
                        plan_id, refund_of, balance_after, created_at)
                    VALUES (:id, :namespace, :kind, :amount, :currency, :description, :paymentMethod,
                        :planId, :refundOf, :balanceAfter, :createdAt)""")
                    .bind("id", transaction.id())
                    .bind("namespace", transaction.namespace())
                    .bind("kind", transaction.kind())
                    .bind("amount", transaction.amount())
                    .bind("currency", transaction.currency())
                    .bind("description", transaction.description())
                    .bind("paymentMethod", transaction.paymentMethod())
                    .bindByType("planId", transaction.planId(), String.class)
                    .bindByType("refundOf", transaction.refundOf(), String.class)
                    .bind("balanceAfter", transaction.balanceAfter())
                    .bind("createdAt", timestamp(transaction.createdAt()))
                    .execute();
            long seq = handle.createQuery("SELECT seq FROM transactions WHERE id = :id")
                    .bind("id", transaction.id())
                    .mapTo(Long.class)
                    .one();
            if (!postings.isEmpty()) {
                PreparedBatch batch = handle.prepareBatch("""
                        INSERT INTO postings (transaction_seq, transaction_id, ledger_account, amount, currency)
                        VALUES (:seq, :transactionId, :ledgerAccount, :amount, :currency)""");
                for (PostingRecord p : postings) {
                    batch.bind("seq", seq)
                            .bind("transactionId", p.transactionId())
                            .bind("ledgerAccount", p.ledgerAccount())
                            .bind("amount", p.amount())
                            .bind("currency", p.currency())
                            .add();
                }
                batch.execute();
            }
            return seq;
        });
    }

    @Override
    public Optional<TransactionRecord> findTransaction(String id) {
        return read("findTransaction", () -> handle.createQuery(TRANSACTION_SELECT + "WHERE t.id = :id")
                .bind("id", id)
                .map(JdbiSession::transaction)
                .findOne());
    }

    @Override
    public List<TransactionRecord> listTransactions(String namespace, long beforeSeq, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return read("listTransactions", () -> handle.createQuery(TRANSACTION_SELECT + """
                        WHERE t.namespace = :namespace AND t.seq < :before
                        ORDER BY t.seq DESC
                        FETCH FIRST :limit ROWS ONLY""")
                .bind("namespace", namespace)
                .bind("before", beforeSeq)
                .bind("limit", limit)
                .map(JdbiSession::transaction)
                .list());
    }

    @Override
    public BigDecimal sumPostings(String ledgerAccount) {
        return read("sumPostings", () -> {
            BigDecimal sum = handle.createQuery("SELECT SUM(amount) FROM postings WHERE ledger_account = :ledgerAccount")
                    .bind("ledgerAccount", ledgerAccount)
                    .mapTo(BigDecimal.class)
                    .one();
            return sum == null ? BigDecimal.ZERO.setScale(MONEY_SCALE) : sum;
        });
    }

    @Override
    public Map<String, BigDecimal> sumPostingsByCurrency() {
        return read("sumPostingsByCurrency", () -> {
            Map<String, BigDecimal> sums = new TreeMap<>();
            handle.createQuery("SELECT currency, SUM(amount) FROM postings GROUP BY currency")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getBigDecimal(2)))
                    .forEach(e -> sums.put(e.getKey(), e.getValue()));
            return sums;
        });
    }

    // ------------------------------------------------------------------ subscriptions

    @Override
    public void insertSubscription(SubscriptionRecord s) {
        write("insertSubscription", () -> handle.createUpdate("""
                INSERT INTO subscriptions (id, namespace, plan_id, region, period_start, period_end, status, transaction_id)
                VALUES (:id, :namespace, :planId, :region, :periodStart, :periodEnd, :status, :transactionId)""")
                .bind("id", s.id())
                .bind("namespace", s.namespace())
                .bind("planId", s.planId())
                .bind("region", s.region())
                .bind("periodStart", timestamp(s.periodStart()))
                .bind("periodEnd", timestamp(s.periodEnd()))
                .bind("status", s.status())
                .bind("transactionId", s.transactionId())
                .execute());
    }

    @Override
    public List<SubscriptionRecord> listSubscriptions(String namespace) {
        return read("listSubscriptions", () -> sorted(handle.createQuery(
                        "SELECT " + SUBSCRIPTION_COLUMNS + " FROM subscriptions WHERE namespace = :namespace"
                                + " ORDER BY period_start, id")
                .bind("namespace", namespace)
                .map(JdbiSession::subscription)
                .list(), SUBSCRIPTION_ORDER));
    }

    @Override
    public Optional<SubscriptionRecord> findSubscriptionByTransaction(String transactionId) {
        return read("findSubscriptionByTransaction", () -> sorted(handle.createQuery(
                        "SELECT " + SUBSCRIPTION_COLUMNS + " FROM subscriptions WHERE transaction_id = :transactionId")
                .bind("transactionId", transactionId)
                .map(JdbiSession::subscription)
                .list(), Comparator.comparing(SubscriptionRecord::id)).stream().findFirst());
    }

    @Override
    public void updateSubscriptionStatus(String id, String status) {
        int n = write("updateSubscriptionStatus", () -> handle.createUpdate(
                        "UPDATE subscriptions SET status = :status WHERE id = :id")
                .bind("id", id)
                .bind("status", status)
                .execute());
        if (n == 0) {
            throw new StorageException("no subscription " + id);
        }
    }

    // ------------------------------------------------------------------ idempotency

    @Override
    public Optional<IdempotencyRecord> findIdempotency(String namespace, String key) {
        return read("findIdempotency", () -> handle.createQuery("SELECT " + IDEMPOTENCY_COLUMNS
                        + " FROM idempotency_keys WHERE namespace = :namespace AND idem_key = :key")
                .bind("namespace", namespace)
                .bind("key", key)
                .map(JdbiSession::idempotency)
                .findOne());
    }

    @Override
    public void insertIdempotency(IdempotencyRecord r) {
        if (r.balance() != null) {
            checkMoney("balance", r.balance());
        }
        write("insertIdempotency", () -> handle.createUpdate("""
                INSERT INTO idempotency_keys (namespace, idem_key, fingerprint, transaction_id, balance, status, created_at)
                VALUES (:namespace, :key, :fingerprint, :transactionId, :balance, :status, :createdAt)""")
                .bind("namespace", r.namespace())
                .bind("key", r.key())
                .bind("fingerprint", r.fingerprint())
                .bindByType("transactionId", r.transactionId(), String.class)
                .bindByType("balance", r.balance(), BigDecimal.class)
                .bindByType("status", r.status(), String.class)
                .bind("createdAt", timestamp(r.createdAt()))
                .execute());
    }

    // ------------------------------------------------------------------ whole state

    @Override
    public StorageSnapshot snapshot() {
        return read("snapshot", () -> {
            List<RegionRecord> regions = sorted(handle.createQuery("SELECT " + REGION_COLUMNS + " FROM regions")
                    .map(JdbiSession::region).list(), Comparator.comparing(RegionRecord::id));
            List<PlanRecord> plans = sorted(handle.createQuery("SELECT " + PLAN_COLUMNS + " FROM plans")
                    .map(JdbiSession::plan).list(), Comparator.comparing(PlanRecord::id));
            List<AccountRecord> accounts = sorted(handle.createQuery("SELECT " + ACCOUNT_COLUMNS + " FROM accounts")
                    .map(JdbiSession::account).list(), Comparator.comparing(AccountRecord::namespace));
            List<TransactionRecord> transactions = handle.createQuery(TRANSACTION_SELECT + "ORDER BY t.seq")
                    .map(JdbiSession::transaction).list();
            List<SeqPosting> postings = sorted(handle.createQuery("""
                            SELECT transaction_seq, seq, transaction_id, ledger_account, amount, currency
                            FROM postings ORDER BY transaction_seq, seq""")
                    .map((rs, ctx) -> new SeqPosting(rs.getLong(1), rs.getLong(2), new PostingRecord(
                            rs.getString(3), rs.getString(4), rs.getBigDecimal(5), rs.getString(6))))
                    .list(), SeqPosting.ORDER);
            List<SubscriptionRecord> subscriptions = sorted(handle.createQuery(
                            "SELECT " + SUBSCRIPTION_COLUMNS + " FROM subscriptions")
                    .map(JdbiSession::subscription).list(), Comparator.comparing(SubscriptionRecord::id));
            List<IdempotencyRecord> idempotency = sorted(handle.createQuery(
                            "SELECT " + IDEMPOTENCY_COLUMNS + " FROM idempotency_keys")
                    .map(JdbiSession::idempotency).list(),
                    Comparator.comparing(IdempotencyRecord::namespace).thenComparing(IdempotencyRecord::key));
            return new StorageSnapshot(regions, plans, accounts, transactions,
                    postings.stream().map(SeqPosting::posting).toList(), subscriptions, idempotency);
        });
    }

    /** A posting with the sequences that order it. */
    private record SeqPosting(long transactionSeq, long seq, PostingRecord posting) {
        static final Comparator<SeqPosting> ORDER = Comparator.comparingLong(SeqPosting::transactionSeq)
                .thenComparing(p -> p.posting().ledgerAccount())
                .thenComparingLong(SeqPosting::seq);
    }

    // ------------------------------------------------------------------ plumbing

    private <R> R read(String what, Supplier<R> op) {
        return run(what, op);
    }

    private <R> R write(String what, Supplier<R> op) {
        R result = run(what, op);
        wrote = true;
        return result;
    }

    private <R> R run(String what, Supplier<R> op) {
        if (closed) {
            throw new IllegalStateException("the session is used outside its unit of work");
        }
        if (failure != null) {
            throw spoiled(what);
        }
        try {
            return op.get();
        } catch (JdbiException e) {
            failure = SqlErrors.translate(what, e);
            throw failure;
        }
    }

    private StorageException spoiled(String what) {
        String message = what + " refused: an earlier statement of this unit of work failed: " + failure.getMessage();
        if (failure instanceof DuplicateKeyException) {
            return new DuplicateKeyException(message, failure);
        }
        if (failure instanceof TransientStorageException) {
            return new TransientStorageException(message, failure);
        }
        return new StorageException(message, failure);
    }

    /**
     * @return the exception {@link JdbiStorage} throws instead of committing when the work returned
     *     normally although a statement failed (the work swallowed the failure)
     */
    StorageException swallowedFailure() {
        return spoiled("commit");
    }

    private static <T> List<T> sorted(List<T> rows, Comparator<? super T> order) {
        List<T> copy = new ArrayList<>(rows);
        copy.sort(order);
        return copy;
    }

    /** Refuses an amount that {@code DECIMAL(19,4)} would not keep exactly. */
    static void checkMoney(String field, BigDecimal amount) {
        BigDecimal exact = amount.stripTrailingZeros();
        if (exact.scale() > MONEY_SCALE) {
            throw new StorageException(field + " " + amount.toPlainString() + " has more than " + MONEY_SCALE
                    + " decimal places");
        }
        if (exact.precision() - exact.scale() > MONEY_PRECISION - MONEY_SCALE) {
            throw new StorageException(field + " " + amount.toPlainString() + " has more than "
                    + (MONEY_PRECISION - MONEY_SCALE) + " integer digits");
        }
    }

    /**
     * @param instant an instant
     * @return an argument that binds it as a UTC {@link OffsetDateTime}, truncated to microseconds
     */
    static Argument timestamp(Instant instant) {
        OffsetDateTime value = instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        return (position, statement, ctx) -> statement.setObject(position, value, Types.TIMESTAMP_WITH_TIMEZONE);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    // ------------------------------------------------------------------ row mappers

    private static RegionRecord region(ResultSet rs, StatementContext ctx)
            throws SQLException {
        return new RegionRecord(rs.getString("id"), rs.getString("description"), rs.getString("status"));
    }

    private static PlanRecord plan(ResultSet rs, StatementContext ctx) throws SQLException {
        return new PlanRecord(rs.getString("id"), rs.getString("plan_type"), rs.getString("plan_level"),
                rs.getString("name"), rs.getBigDecimal("price"), rs.getString("currency"), rs.getString("bill_period"),
                rs.getString("description"), rs.getString("region"), rs.getString("status"), instant(rs, "created_at"));
    }

    private static AccountRecord account(ResultSet rs, StatementContext ctx)
            throws SQLException {
        return new AccountRecord(rs.getString("namespace"), rs.getString("currency"), rs.getString("status"),
                rs.getBoolean("notification"), rs.getBigDecimal("balance"), instant(rs, "created_at"));
    }

    private static TransactionRecord transaction(ResultSet rs, StatementContext ctx)
            throws SQLException {
        return new TransactionRecord(rs.getLong("seq"), rs.getString("id"), rs.getString("namespace"),
                rs.getString("kind"), rs.getBigDecimal("amount"), rs.getString("currency"), rs.getString("description"),
                rs.getString("payment_method"), rs.getString("plan_id"), rs.getString("refund_of"),
                rs.getBigDecimal("balance_after"), instant(rs, "created_at"), rs.getString("refunded_by"));
    }

    private static SubscriptionRecord subscription(ResultSet rs, StatementContext ctx)
            throws SQLException {
        return new SubscriptionRecord(rs.getString("id"), rs.getString("namespace"), rs.getString("plan_id"),
                rs.getString("region"), instant(rs, "period_start"), instant(rs, "period_end"), rs.getString("status"),
                rs.getString("transaction_id"));
    }

    private static IdempotencyRecord idempotency(ResultSet rs, StatementContext ctx)
            throws SQLException {
        return new IdempotencyRecord(rs.getString("namespace"), rs.getString("idem_key"), rs.getString("fingerprint"),
                rs.getString("transaction_id"), rs.getBigDecimal("balance"), rs.getString("status"),
                instant(rs, "created_at"));
    }
}
