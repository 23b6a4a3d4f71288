package dev.billing.jdbc;

import dev.billing.http.RememberedResponse;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.BillingProfileRecord;
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
import dev.billing.spi.SubscriptionRecord;
import dev.billing.spi.TransactionRecord;
import dev.billing.spi.TransientStorageException;
import dev.billing.spi.UsageRecord;
import dev.billing.spi.UsageSum;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
 * refused before anything is written (the database would otherwise round). Likewise quantities must fit
 * {@code DECIMAL(28,6)}, unit rates {@code DECIMAL(19,6)} and percentages {@code DECIMAL(9,4)}. Instants are stored as
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
    /** The scale of every quantity column (usage, included quantities, tier bounds, statement lines). */
    static final int QUANTITY_SCALE = 6;
    /** The precision of every quantity column. */
    static final int QUANTITY_PRECISION = 28;
    /** The scale of every unit-rate column. */
    static final int RATE_SCALE = 6;
    /** The precision of every unit-rate column. */
    static final int RATE_PRECISION = 19;
    /** The scale of a commitment's percentage. */
    static final int PERCENT_SCALE = 4;
    /** The precision of a commitment's percentage. */
    static final int PERCENT_PRECISION = 9;

    private static final Comparator<PlanRecord> PLAN_ORDER =
            Comparator.comparing(PlanRecord::price).thenComparing(PlanRecord::id);
    private static final Comparator<SubscriptionRecord> SUBSCRIPTION_ORDER =
            Comparator.comparing(SubscriptionRecord::periodStart).thenComparing(SubscriptionRecord::id);
    private static final Comparator<SubscriptionRecord> SUBSCRIPTION_DUE_ORDER =
            Comparator.comparing(SubscriptionRecord::periodEnd).thenComparing(SubscriptionRecord::id);
    private static final Comparator<RateRecord> RATE_ORDER = Comparator.comparing(RateRecord::offeringCode)
            .thenComparing(RateRecord::chargeType).thenComparing(RateRecord::effectiveFrom);
    private static final Comparator<BillingProfileRecord> PROFILE_DUE_ORDER =
            Comparator.comparing(BillingProfileRecord::periodEnd).thenComparing(BillingProfileRecord::namespace);
    private static final Comparator<UsageSum> USAGE_SUM_ORDER =
            Comparator.comparing(UsageSum::offeringCode).thenComparing(UsageSum::chargeType);

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
            "id, namespace, plan_id, region, period_start, period_end, status, transaction_id, started_at, zone";
    private static final String IDEMPOTENCY_COLUMNS =
            "namespace, idem_key, fingerprint, transaction_id, balance, status, created_at";
    private static final String PROFILE_COLUMNS = """
            namespace, parent, kind, period_start, period_end, cycle_anchor, cycle_length, cycle_zone,
            next_cycle_length, next_cycle_zone""";
    private static final String RESPONSE_COLUMNS = "scope, idem_key, fingerprint, status, body, created_at";
    private static final String USAGE_COLUMNS =
            "namespace, event_id, offering_code, charge_type, quantity, occurred_at, recorded_at";
    private static final String COMMITMENT_COLUMNS = "namespace, id, percent_off, threshold, currency, end_date";
    private static final String STATEMENT_COLUMNS = """
            id, namespace, period_start, period_end, currency, charge_sub_total, discount_total, charge_total,
            charge_hierarchy_total, total, transaction_id, created_at""";
    private static final String STATEMENT_LINE_COLUMNS = """
            statement_id, line_no, offering_code, charge_type, category, quantity, unit_of_measure, rate, amount,
            end_date, charge_details, charge_description""";

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
        refuse(() -> checkMoney("plan price", plan.price()));
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
        refuse(() -> checkMoney("balance", account.balance()));
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
            throw spoil(new StorageException("no account " + namespace));
        }
    }

    /**
     * One conditional {@code UPDATE} (the database locks the row, re-evaluates the condition on the
     * newest committed balance and applies the delta), then a read of the new balance in the same
     * transaction, while the row lock is held. No {@code SELECT ... FOR UPDATE}.
     */
    @Override
    public Optional<BigDecimal> applyBalanceDelta(String namespace, BigDecimal delta, BigDecimal floor) {
        refuse(() -> checkMoney("delta", delta));
        return write("applyBalanceDelta", () -> {
            int n = handle.createUpdate("""
                    UPDATE accounts SET balance = balance + :delta
                    WHERE namespace = :namespace AND balance + :delta < :ceiling AND balance + :delta >= :floor""")
                    .bind("namespace", namespace)
                    .bind("delta", delta)
                    .bind("ceiling", MAX_BALANCE)
                    .bind("floor", floor != null ? floor : MAX_BALANCE.negate())
                    .execute();
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
                throw spoil(new StorageException("no account " + namespace));
            }
            return Optional.<BigDecimal>empty();
        });
    }

    // ------------------------------------------------------------------ ledger

    @Override
    public long appendTransaction(TransactionRecord transaction, List<PostingRecord> postings) {
        refuse(() -> checkMoney("amount", transaction.amount()));
        refuse(() -> checkMoney("balanceAfter", transaction.balanceAfter()));
        Map<String, BigDecimal> byCurrency = new HashMap<>();
        for (PostingRecord p : postings) {
            if (!p.transactionId().equals(transaction.id())) {
                throw spoil(new StorageException("posting of " + p.transactionId() + " in transaction " + transaction.id()));
            }
            refuse(() -> checkMoney("posting amount", p.amount()));
            byCurrency.merge(p.currency(), p.amount(), BigDecimal::add);
        }
        if (byCurrency.values().stream().anyMatch(v -> v.signum() != 0)) {
            throw spoil(new StorageException("postings of transaction " + transaction.id() + " do not balance: " + byCurrency));
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
                INSERT INTO subscriptions (id, namespace, plan_id, region, period_start, period_end, status, transaction_id,
                    started_at, zone)
                VALUES (:id, :namespace, :planId, :region, :periodStart, :periodEnd, :status, :transactionId, :startedAt,
                    :zone)""")
                .bind("startedAt", timestamp(s.startedAt()))
                .bindByType("zone", s.zone(), String.class)
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
            throw spoil(new StorageException("no subscription " + id));
        }
    }

    /**
     * One conditional {@code UPDATE}: the database locks the row and re-evaluates the condition on the
     * newest committed state, so of two units of work renewing the same period exactly one updates a
     * row. No {@code SELECT ... FOR UPDATE} (H2 issue #4208).
     */
    @Override
    public boolean replaceSubscription(SubscriptionRecord next, Instant expectedPeriodEnd) {
        int n = write("replaceSubscription", () -> handle.createUpdate("""
                UPDATE subscriptions SET namespace = :namespace, plan_id = :planId, region = :region,
                    period_start = :periodStart, period_end = :periodEnd, status = :status, transaction_id = :transactionId,
                    started_at = :startedAt, zone = :zone
                WHERE id = :id AND status = 'active' AND period_end = :expectedPeriodEnd""")
                .bindByType("zone", next.zone(), String.class)
                .bind("id", next.id())
                .bind("namespace", next.namespace())
                .bind("planId", next.planId())
                .bind("region", next.region())
                .bind("periodStart", timestamp(next.periodStart()))
                .bind("periodEnd", timestamp(next.periodEnd()))
                .bind("status", next.status())
                .bind("transactionId", next.transactionId())
                .bind("startedAt", timestamp(next.startedAt()))
                .bind("expectedPeriodEnd", timestamp(expectedPeriodEnd))
                .execute());
        return n == 1;
    }

    @Override
    public List<SubscriptionRecord> listSubscriptionsDue(Instant now, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return read("listSubscriptionsDue", () -> sorted(handle.createQuery("SELECT " + SUBSCRIPTION_COLUMNS + """
                         FROM subscriptions
                        WHERE status = 'active' AND period_end <= :now
                        ORDER BY period_end, id
                        FETCH FIRST :limit ROWS ONLY""")
                .bind("now", timestamp(now))
                .bind("limit", limit)
                .map(JdbiSession::subscription)
                .list(), SUBSCRIPTION_DUE_ORDER));
    }

    // ------------------------------------------------------------------ rate card

    /** Updates the rate row (or inserts it when missing), then replaces all its tiers. */
    @Override
    public void putRate(RateRecord rate) {
        refuse(() -> checkQuantity("includedQuantity", rate.includedQuantity()));
        for (RateRecord.TierRecord tier : rate.tiers()) {
            if (tier.upTo() != null) {
                refuse(() -> checkQuantity("tier upTo", tier.upTo()));
            }
            refuse(() -> checkDecimal("tier unitRate", tier.unitRate(), RATE_PRECISION, RATE_SCALE));
        }
        write("putRate", () -> {
            int n = bindRateKey(handle.createUpdate("""
                    UPDATE rates SET unit_of_measure = :unitOfMeasure, currency = :currency,
                        included_quantity = :includedQuantity
                    WHERE offering_code = :offeringCode AND charge_type = :chargeType
                        AND effective_from = :effectiveFrom"""), rate)
                    .bind("unitOfMeasure", rate.unitOfMeasure())
                    .bind("currency", rate.currency())
                    .bind("includedQuantity", rate.includedQuantity())
                    .execute();
            if (n == 0) {
                bindRateKey(handle.createUpdate("""
                        INSERT INTO rates (offering_code, charge_type, effective_from, unit_of_measure, currency,
                            included_quantity)
                        VALUES (:offeringCode, :chargeType, :effectiveFrom, :unitOfMeasure, :currency,
                            :includedQuantity)"""), rate)
                        .bind("unitOfMeasure", rate.unitOfMeasure())
                        .bind("currency", rate.currency())
                        .bind("includedQuantity", rate.includedQuantity())
                        .execute();
            } else {
                bindRateKey(handle.createUpdate("""
                        DELETE FROM rate_tiers
                        WHERE offering_code = :offeringCode AND charge_type = :chargeType
                            AND effective_from = :effectiveFrom"""), rate)
                        .execute();
            }
            if (!rate.tiers().isEmpty()) {
                PreparedBatch batch = handle.prepareBatch("""
                        INSERT INTO rate_tiers (offering_code, charge_type, effective_from, tier_no, up_to, unit_rate)
                        VALUES (:offeringCode, :chargeType, :effectiveFrom, :tierNo, :upTo, :unitRate)""");
                for (int i = 0; i < rate.tiers().size(); i++) {
                    RateRecord.TierRecord tier = rate.tiers().get(i);
                    batch.bind("offeringCode", rate.offeringCode())
                            .bind("chargeType", rate.chargeType())
                            .bind("effectiveFrom", rate.effectiveFrom())
                            .bind("tierNo", i)
                            .bindByType("upTo", tier.upTo(), BigDecimal.class)
                            .bind("unitRate", tier.unitRate())
                            .add();
                }
                batch.execute();
            }
            return null;
        });
    }

    private static Update bindRateKey(Update u, RateRecord rate) {
        return u.bind("offeringCode", rate.offeringCode())
                .bind("chargeType", rate.chargeType())
                .bind("effectiveFrom", rate.effectiveFrom());
    }

    @Override
    public List<RateRecord> listRates(String offeringCode, String chargeType) {
        return read("listRates", () -> rates(offeringCode, chargeType));
    }

    /** Rates with their tiers in one query (a rate without tiers has one row of NULL tier columns). */
    private List<RateRecord> rates(String offeringCode, String chargeType) {
        StringBuilder sql = new StringBuilder("""
                SELECT r.offering_code, r.charge_type, r.effective_from, r.unit_of_measure, r.currency,
                       r.included_quantity, t.tier_no, t.up_to, t.unit_rate
                FROM rates r LEFT JOIN rate_tiers t ON t.offering_code = r.offering_code
                    AND t.charge_type = r.charge_type AND t.effective_from = r.effective_from
                WHERE 1 = 1""");
        if (offeringCode != null) {
            sql.append(" AND r.offering_code = :offeringCode");
        }
        if (chargeType != null) {
            sql.append(" AND r.charge_type = :chargeType");
        }
        sql.append(" ORDER BY r.offering_code, r.charge_type, r.effective_from, t.tier_no");
        Query q = handle.createQuery(sql.toString());
        if (offeringCode != null) {
            q.bind("offeringCode", offeringCode);
        }
        if (chargeType != null) {
            q.bind("chargeType", chargeType);
        }
        Map<RateKey, List<RateRow>> byKey = new LinkedHashMap<>();
        q.map(JdbiSession::rateRow).forEach(row -> byKey.computeIfAbsent(row.key(), k -> new ArrayList<>()).add(row));
        List<RateRecord> rates = new ArrayList<>();
        for (List<RateRow> rows : byKey.values()) {
            RateRecord head = rows.get(0).head();
            List<RateRecord.TierRecord> tiers = rows.stream()
                    .filter(r -> r.tier() != null)
                    .sorted(Comparator.comparingInt(RateRow::tierNo))
                    .map(RateRow::tier)
                    .toList();
            rates.add(new RateRecord(head.offeringCode(), head.chargeType(), head.effectiveFrom(),
                    head.unitOfMeasure(), head.currency(), head.includedQuantity(), tiers));
        }
        return sorted(rates, RATE_ORDER);
    }

    /** The key of a rate. */
    private record RateKey(String offeringCode, String chargeType, LocalDate effectiveFrom) {
    }

    /**
     * One row of a rate joined with one of its tiers.
     *
     * @param head the rate, without tiers
     * @param tierNo the tier's position, or -1 for a rate without tiers
     * @param tier the tier, or {@code null} for a rate without tiers
     */
    private record RateRow(RateRecord head, int tierNo, RateRecord.TierRecord tier) {
        RateKey key() {
            return new RateKey(head.offeringCode(), head.chargeType(), head.effectiveFrom());
        }
    }

    // ------------------------------------------------------------------ billing profiles

    @Override
    public void insertBillingProfile(BillingProfileRecord p) {
        write("insertBillingProfile", () -> handle.createUpdate("""
                INSERT INTO billing_profiles (namespace, parent, kind, period_start, period_end, cycle_anchor,
                    cycle_length, cycle_zone, next_cycle_length, next_cycle_zone)
                VALUES (:namespace, :parent, :kind, :periodStart, :periodEnd, :cycleAnchor, :cycleLength, :cycleZone,
                    :nextCycleLength, :nextCycleZone)""")
                .bind("namespace", p.namespace())
                .bindByType("parent", p.parent(), String.class)
                .bind("kind", p.kind())
                .bind("periodStart", timestamp(p.periodStart()))
                .bind("periodEnd", timestamp(p.periodEnd()))
                .bind("cycleAnchor", nullableTimestamp(p.cycleAnchor()))
                .bindByType("cycleLength", p.cycleLength(), String.class)
                .bindByType("cycleZone", p.cycleZone(), String.class)
                .bindByType("nextCycleLength", p.nextCycleLength(), String.class)
                .bindByType("nextCycleZone", p.nextCycleZone(), String.class)
                .execute());
    }

    @Override
    public Optional<BillingProfileRecord> findBillingProfile(String namespace) {
        return read("findBillingProfile", () -> handle.createQuery(
                        "SELECT " + PROFILE_COLUMNS + " FROM billing_profiles WHERE namespace = :namespace")
                .bind("namespace", namespace)
                .map(JdbiSession::profile)
                .findOne());
    }

    /**
     * A no-op {@code UPDATE} takes the row lock (no {@code SELECT ... FOR UPDATE}: H2 #4208), then a read.
     * (On MariaDB, whose row count is of changed rows, this wants {@code SELECT ... FOR UPDATE} instead.)
     */
    @Override
    public Optional<BillingProfileRecord> lockBillingProfile(String namespace) {
        int n = write("lockBillingProfile", () -> handle.createUpdate(
                        "UPDATE billing_profiles SET kind = kind WHERE namespace = :namespace")
                .bind("namespace", namespace)
                .execute());
        return n == 0 ? Optional.empty() : findBillingProfile(namespace);
    }

    /** One conditional {@code UPDATE}, decided by its row count, as {@link #replaceSubscription}. */
    @Override
    public boolean replaceBillingProfile(BillingProfileRecord next, Instant expectedPeriodStart) {
        int n = write("replaceBillingProfile", () -> handle.createUpdate("""
                UPDATE billing_profiles SET parent = :parent, kind = :kind, period_start = :periodStart,
                    period_end = :periodEnd, cycle_anchor = :cycleAnchor, cycle_length = :cycleLength,
                    cycle_zone = :cycleZone, next_cycle_length = :nextCycleLength, next_cycle_zone = :nextCycleZone
                WHERE namespace = :namespace AND period_start = :expectedPeriodStart""")
                .bind("namespace", next.namespace())
                .bindByType("parent", next.parent(), String.class)
                .bind("kind", next.kind())
                .bind("periodStart", timestamp(next.periodStart()))
                .bind("periodEnd", timestamp(next.periodEnd()))
                .bind("cycleAnchor", nullableTimestamp(next.cycleAnchor()))
                .bindByType("cycleLength", next.cycleLength(), String.class)
                .bindByType("cycleZone", next.cycleZone(), String.class)
                .bindByType("nextCycleLength", next.nextCycleLength(), String.class)
                .bindByType("nextCycleZone", next.nextCycleZone(), String.class)
                .bind("expectedPeriodStart", timestamp(expectedPeriodStart))
                .execute());
        return n == 1;
    }

    @Override
    public List<BillingProfileRecord> listChildren(String parent) {
        return read("listChildren", () -> sorted(handle.createQuery(
                        "SELECT " + PROFILE_COLUMNS + " FROM billing_profiles WHERE parent = :parent ORDER BY namespace")
                .bind("parent", parent)
                .map(JdbiSession::profile)
                .list(), Comparator.comparing(BillingProfileRecord::namespace)));
    }

    @Override
    public List<BillingProfileRecord> listPeriodsDue(Instant now, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return read("listPeriodsDue", () -> sorted(handle.createQuery("SELECT " + PROFILE_COLUMNS + """
                         FROM billing_profiles
                        WHERE period_end <= :now
                        ORDER BY period_end, namespace
                        FETCH FIRST :limit ROWS ONLY""")
                .bind("now", timestamp(now))
                .bind("limit", limit)
                .map(JdbiSession::profile)
                .list(), PROFILE_DUE_ORDER));
    }

    // ------------------------------------------------------------------ usage

    @Override
    public void insertUsage(UsageRecord u) {
        refuse(() -> checkQuantity("quantity", u.quantity()));
        write("insertUsage", () -> handle.createUpdate("""
                INSERT INTO usage_events (namespace, event_id, offering_code, charge_type, quantity, occurred_at,
                    recorded_at)
                VALUES (:namespace, :eventId, :offeringCode, :chargeType, :quantity, :occurredAt, :recordedAt)""")
                .bind("namespace", u.namespace())
                .bind("eventId", u.eventId())
                .bind("offeringCode", u.offeringCode())
                .bind("chargeType", u.chargeType())
                .bind("quantity", u.quantity())
                .bind("occurredAt", timestamp(u.occurredAt()))
                .bind("recordedAt", timestamp(u.recordedAt()))
                .execute());
    }

    @Override
    public Optional<UsageRecord> findUsage(String namespace, String eventId) {
        return read("findUsage", () -> handle.createQuery("SELECT " + USAGE_COLUMNS
                        + " FROM usage_events WHERE namespace = :namespace AND event_id = :eventId")
                .bind("namespace", namespace)
                .bind("eventId", eventId)
                .map(JdbiSession::usage)
                .findOne());
    }

    /** One {@code GROUP BY} query: the database sums; only one row per (offering code, charge type) comes back. */
    @Override
    public List<UsageSum> sumUsage(String namespace, Instant from, Instant to) {
        return read("sumUsage", () -> sorted(handle.createQuery("""
                        SELECT offering_code, charge_type, SUM(quantity), COUNT(*)
                        FROM usage_events
                        WHERE namespace = :namespace AND occurred_at >= :from AND occurred_at < :to
                        GROUP BY offering_code, charge_type
                        ORDER BY offering_code, charge_type""")
                .bind("namespace", namespace)
                .bind("from", timestamp(from))
                .bind("to", timestamp(to))
                .map((rs, ctx) -> new UsageSum(rs.getString(1), rs.getString(2), rs.getBigDecimal(3), rs.getLong(4)))
                .list(), USAGE_SUM_ORDER));
    }

    // ------------------------------------------------------------------ commitments

    @Override
    public void putCommitment(CommitmentRecord c) {
        refuse(() -> checkDecimal("percentOff", c.percentOff(), PERCENT_PRECISION, PERCENT_SCALE));
        refuse(() -> checkMoney("threshold", c.threshold()));
        write("putCommitment", () -> {
            int n = bindCommitment(handle.createUpdate("""
                    UPDATE commitments SET percent_off = :percentOff, threshold = :threshold, currency = :currency,
                        end_date = :endDate
                    WHERE namespace = :namespace AND id = :id"""), c).execute();
            if (n == 0) {
                bindCommitment(handle.createUpdate("""
                        INSERT INTO commitments (namespace, id, percent_off, threshold, currency, end_date)
                        VALUES (:namespace, :id, :percentOff, :threshold, :currency, :endDate)"""), c).execute();
            }
            return null;
        });
    }

    private static Update bindCommitment(Update u, CommitmentRecord c) {
        return u.bind("namespace", c.namespace())
                .bind("id", c.id())
                .bind("percentOff", c.percentOff())
                .bind("threshold", c.threshold())
                .bind("currency", c.currency())
                .bind("endDate", timestamp(c.endDate()));
    }

    @Override
    public List<CommitmentRecord> listCommitments(String namespace) {
        return read("listCommitments", () -> sorted(handle.createQuery(
                        "SELECT " + COMMITMENT_COLUMNS + " FROM commitments WHERE namespace = :namespace ORDER BY id")
                .bind("namespace", namespace)
                .map(JdbiSession::commitment)
                .list(), Comparator.comparing(CommitmentRecord::id)));
    }

    // ------------------------------------------------------------------ statements

    /**
     * Refuses, before writing, lines of another statement, repeated line numbers and amounts the
     * columns would round; then inserts the statement and its lines.
     */
    @Override
    public void insertStatement(StatementRecord st, List<StatementLineRecord> lines, List<String> ancestors) {
        refuse(() -> checkMoney("chargeSubTotal", st.chargeSubTotal()));
        refuse(() -> checkMoney("discountTotal", st.discountTotal()));
        refuse(() -> checkMoney("chargeTotal", st.chargeTotal()));
        refuse(() -> checkMoney("chargeHierarchyTotal", st.chargeHierarchyTotal()));
        refuse(() -> checkMoney("total", st.total()));
        Set<Integer> lineNos = new HashSet<>();
        for (StatementLineRecord line : lines) {
            if (!line.statementId().equals(st.id())) {
                throw spoil(new StorageException("line of statement " + line.statementId() + " in statement " + st.id()));
            }
            if (!lineNos.add(line.lineNo())) {
                throw spoil(new StorageException("statement " + st.id() + " has two lines numbered " + line.lineNo()));
            }
            refuse(() -> checkQuantity("line quantity", line.quantity()));
            refuse(() -> checkDecimal("line rate", line.rate(), RATE_PRECISION, RATE_SCALE));
            refuse(() -> checkMoney("line amount", line.amount()));
        }
        write("insertStatement", () -> {
            handle.createUpdate("""
                    INSERT INTO statements (id, namespace, period_start, period_end, currency, charge_sub_total,
                        discount_total, charge_total, charge_hierarchy_total, total, transaction_id, created_at)
                    VALUES (:id, :namespace, :periodStart, :periodEnd, :currency, :chargeSubTotal,
                        :discountTotal, :chargeTotal, :chargeHierarchyTotal, :total, :transactionId, :createdAt)""")
                    .bind("id", st.id())
                    .bind("namespace", st.namespace())
                    .bind("periodStart", timestamp(st.periodStart()))
                    .bind("periodEnd", timestamp(st.periodEnd()))
                    .bind("currency", st.currency())
                    .bind("chargeSubTotal", st.chargeSubTotal())
                    .bind("discountTotal", st.discountTotal())
                    .bind("chargeTotal", st.chargeTotal())
                    .bind("chargeHierarchyTotal", st.chargeHierarchyTotal())
                    .bind("total", st.total())
                    .bindByType("transactionId", st.transactionId(), String.class)
                    .bind("createdAt", timestamp(st.createdAt()))
                    .execute();
            if (!lines.isEmpty()) {
                PreparedBatch batch = handle.prepareBatch("""
                        INSERT INTO statement_lines (statement_id, line_no, offering_code, charge_type, category,
                            quantity, unit_of_measure, rate, amount, end_date, charge_details, charge_description)
                        VALUES (:statementId, :lineNo, :offeringCode, :chargeType, :category,
                            :quantity, :unitOfMeasure, :rate, :amount, :endDate, :chargeDetails, :chargeDescription)""");
                for (StatementLineRecord line : lines) {
                    batch.bind("statementId", line.statementId())
                            .bind("lineNo", line.lineNo())
                            .bindByType("offeringCode", line.offeringCode(), String.class)
                            .bind("chargeType", line.chargeType())
                            .bind("category", line.category())
                            .bind("quantity", line.quantity())
                            .bind("unitOfMeasure", line.unitOfMeasure())
                            .bind("rate", line.rate())
                            .bind("amount", line.amount())
                            .bind("endDate", nullableTimestamp(line.endDate()))
                            .bindByType("chargeDetails", line.chargeDetails(), String.class)
                            .bindByType("chargeDescription", line.chargeDescription(), String.class)
                            .add();
                }
                batch.execute();
            }
            if (!ancestors.isEmpty()) {
                PreparedBatch batch = handle.prepareBatch(
                        "INSERT INTO statement_ancestors (ancestor, statement_id) VALUES (:ancestor, :statementId)");
                for (String ancestor : ancestors) {
                    batch.bind("ancestor", ancestor).bind("statementId", st.id()).add();
                }
                batch.execute();
            }
            return null;
        });
    }

    /** Summed by the database over the {@code (ancestor, statement_id)} key; no statement is loaded. */
    @Override
    public BigDecimal sumAncestorShares(String ancestor, Instant endAfter, Instant endUpTo) {
        return read("sumAncestorShares", () -> handle.createQuery("""
                        SELECT COALESCE(SUM(s.charge_total), 0) FROM statement_ancestors a
                        JOIN statements s ON s.id = a.statement_id
                        WHERE a.ancestor = :ancestor AND s.period_end > :endAfter AND s.period_end <= :endUpTo""")
                .bind("ancestor", ancestor)
                .bind("endAfter", timestamp(endAfter))
                .bind("endUpTo", timestamp(endUpTo))
                .mapTo(BigDecimal.class)
                .one());
    }

    @Override
    public List<StatementRecord> listStatements(String namespace) {
        return read("listStatements", () -> sorted(handle.createQuery("SELECT " + STATEMENT_COLUMNS
                        + " FROM statements WHERE namespace = :namespace ORDER BY period_start DESC")
                .bind("namespace", namespace)
                .map(JdbiSession::statement)
                .list(), Comparator.comparing(StatementRecord::periodStart).reversed()));
    }

    @Override
    public List<StatementLineRecord> listStatementLines(String statementId) {
        return read("listStatementLines", () -> handle.createQuery("SELECT " + STATEMENT_LINE_COLUMNS
                        + " FROM statement_lines WHERE statement_id = :statementId ORDER BY line_no")
                .bind("statementId", statementId)
                .map(JdbiSession::statementLine)
                .list());
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
            refuse(() -> checkMoney("balance", r.balance()));
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

    /** A remembered HTTP answer ({@link JdbiResponseStore}); not part of the storage SPI. */
    Optional<RememberedResponse> findResponse(String scope, String key) {
        return read("findResponse", () -> handle.createQuery("SELECT " + RESPONSE_COLUMNS
                        + " FROM http_responses WHERE scope = :scope AND idem_key = :key")
                .bind("scope", scope)
                .bind("key", key)
                .map(JdbiSession::response)
                .findOne());
    }

    /** Remembers an HTTP answer ({@link JdbiResponseStore}); not part of the storage SPI. */
    void insertResponse(RememberedResponse r) {
        write("insertResponse", () -> handle.createUpdate("""
                INSERT INTO http_responses (scope, idem_key, fingerprint, status, body, created_at)
                VALUES (:scope, :key, :fingerprint, :status, :body, :createdAt)""")
                .bind("scope", r.scope())
                .bind("key", r.key())
                .bind("fingerprint", r.fingerprint())
                .bind("status", r.status())
                .bind("body", r.body())
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
            List<RateRecord> rates = rates(null, null);
            List<BillingProfileRecord> profiles = sorted(handle.createQuery(
                            "SELECT " + PROFILE_COLUMNS + " FROM billing_profiles")
                    .map(JdbiSession::profile).list(), Comparator.comparing(BillingProfileRecord::namespace));
            List<UsageRecord> usage = sorted(handle.createQuery("SELECT " + USAGE_COLUMNS + " FROM usage_events")
                    .map(JdbiSession::usage).list(),
                    Comparator.comparing(UsageRecord::namespace).thenComparing(UsageRecord::eventId));
            List<CommitmentRecord> commitments = sorted(handle.createQuery(
                            "SELECT " + COMMITMENT_COLUMNS + " FROM commitments")
                    .map(JdbiSession::commitment).list(),
                    Comparator.comparing(CommitmentRecord::namespace).thenComparing(CommitmentRecord::id));
            List<StatementRecord> statements = sorted(handle.createQuery(
                            "SELECT " + STATEMENT_COLUMNS + " FROM statements")
                    .map(JdbiSession::statement).list(),
                    Comparator.comparing(StatementRecord::namespace).thenComparing(StatementRecord::periodStart));
            List<StatementLineRecord> statementLines = sorted(handle.createQuery(
                            "SELECT " + STATEMENT_LINE_COLUMNS + " FROM statement_lines")
                    .map(JdbiSession::statementLine).list(),
                    Comparator.comparing(StatementLineRecord::statementId)
                            .thenComparingInt(StatementLineRecord::lineNo));
            return new StorageSnapshot(regions, plans, accounts, transactions,
                    postings.stream().map(SeqPosting::posting).toList(), subscriptions, idempotency, rates, profiles,
                    usage, commitments, statements, statementLines);
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
        } catch (StorageException e) {
            failure = e;
            throw e;
        }
    }

    /** @return {@code e}, having spoiled the session with it (the store's own refusals count as failed statements) */
    private StorageException spoil(StorageException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }

    /** Runs a check of a value before any statement: a refused value spoils the session as a failed statement does. */
    private void refuse(Runnable check) {
        try {
            check.run();
        } catch (StorageException e) {
            throw spoil(e);
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
        checkDecimal(field, amount, MONEY_PRECISION, MONEY_SCALE);
    }

    /** Refuses a quantity that {@code DECIMAL(28,6)} would not keep exactly. */
    static void checkQuantity(String field, BigDecimal quantity) {
        checkDecimal(field, quantity, QUANTITY_PRECISION, QUANTITY_SCALE);
    }

    /**
     * Refuses a number that {@code DECIMAL(precision, scale)} would not keep exactly (the database would
     * round the decimals, or fail on the integer digits).
     *
     * @throws StorageException naming the field and the value
     */
    static void checkDecimal(String field, BigDecimal value, int precision, int scale) {
        BigDecimal exact = value.stripTrailingZeros();
        if (exact.scale() > scale) {
            throw new StorageException(field + " " + value.toPlainString() + " has more than " + scale
                    + " decimal places");
        }
        if (exact.precision() - exact.scale() > precision - scale) {
            throw new StorageException(field + " " + value.toPlainString() + " has more than "
                    + (precision - scale) + " integer digits");
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

    /** @return {@link #timestamp(Instant)}, or a typed SQL NULL for {@code null} */
    static Argument nullableTimestamp(Instant instant) {
        if (instant == null) {
            return (position, statement, ctx) -> statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE);
        }
        return timestamp(instant);
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
                rs.getString("transaction_id"), instant(rs, "started_at"), rs.getString("zone"));
    }

    private static IdempotencyRecord idempotency(ResultSet rs, StatementContext ctx)
            throws SQLException {
        return new IdempotencyRecord(rs.getString("namespace"), rs.getString("idem_key"), rs.getString("fingerprint"),
                rs.getString("transaction_id"), rs.getBigDecimal("balance"), rs.getString("status"),
                instant(rs, "created_at"));
    }

    private static RememberedResponse response(ResultSet rs, StatementContext ctx) throws SQLException {
        return new RememberedResponse(rs.getString("scope"), rs.getString("idem_key"), rs.getString("fingerprint"),
                rs.getInt("status"), rs.getString("body"), instant(rs, "created_at"));
    }

    private static RateRow rateRow(ResultSet rs, StatementContext ctx) throws SQLException {
        RateRecord head = new RateRecord(rs.getString("offering_code"), rs.getString("charge_type"),
                rs.getObject("effective_from", LocalDate.class), rs.getString("unit_of_measure"),
                rs.getString("currency"), rs.getBigDecimal("included_quantity"), List.of());
        int tierNo = rs.getInt("tier_no");
        if (rs.wasNull()) {
            return new RateRow(head, -1, null);
        }
        return new RateRow(head, tierNo, new RateRecord.TierRecord(rs.getBigDecimal("up_to"),
                rs.getBigDecimal("unit_rate")));
    }

    private static BillingProfileRecord profile(ResultSet rs, StatementContext ctx) throws SQLException {
        return new BillingProfileRecord(rs.getString("namespace"), rs.getString("parent"), rs.getString("kind"),
                instant(rs, "period_start"), instant(rs, "period_end"), instant(rs, "cycle_anchor"),
                rs.getString("cycle_length"), rs.getString("cycle_zone"), rs.getString("next_cycle_length"),
                rs.getString("next_cycle_zone"));
    }

    private static UsageRecord usage(ResultSet rs, StatementContext ctx) throws SQLException {
        return new UsageRecord(rs.getString("namespace"), rs.getString("event_id"), rs.getString("offering_code"),
                rs.getString("charge_type"), rs.getBigDecimal("quantity"), instant(rs, "occurred_at"),
                instant(rs, "recorded_at"));
    }

    private static CommitmentRecord commitment(ResultSet rs, StatementContext ctx) throws SQLException {
        return new CommitmentRecord(rs.getString("namespace"), rs.getString("id"), rs.getBigDecimal("percent_off"),
                rs.getBigDecimal("threshold"), rs.getString("currency"), instant(rs, "end_date"));
    }

    private static StatementRecord statement(ResultSet rs, StatementContext ctx) throws SQLException {
        return new StatementRecord(rs.getString("id"), rs.getString("namespace"), instant(rs, "period_start"),
                instant(rs, "period_end"), rs.getString("currency"), rs.getBigDecimal("charge_sub_total"),
                rs.getBigDecimal("discount_total"), rs.getBigDecimal("charge_total"),
                rs.getBigDecimal("charge_hierarchy_total"), rs.getBigDecimal("total"), rs.getString("transaction_id"),
                instant(rs, "created_at"));
    }

    private static StatementLineRecord statementLine(ResultSet rs, StatementContext ctx) throws SQLException {
        return new StatementLineRecord(rs.getString("statement_id"), rs.getInt("line_no"),
                rs.getString("offering_code"), rs.getString("charge_type"), rs.getString("category"),
                rs.getBigDecimal("quantity"), rs.getString("unit_of_measure"), rs.getBigDecimal("rate"),
                rs.getBigDecimal("amount"), instant(rs, "end_date"), rs.getString("charge_details"),
                rs.getString("charge_description"));
    }
}
