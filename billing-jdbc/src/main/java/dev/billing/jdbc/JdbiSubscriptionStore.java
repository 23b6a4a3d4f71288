package dev.billing.jdbc;

import static dev.billing.jdbc.JdbiSession.instant;
import static dev.billing.jdbc.JdbiSession.sorted;
import static dev.billing.jdbc.JdbiSession.timestamp;

import dev.billing.spi.StorageException;
import dev.billing.spi.SubscriptionRecord;
import dev.billing.spi.SubscriptionStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Subscriptions (table {@code subscriptions}), in one unit of work ({@link JdbiSession}). Renewing is
 * one conditional {@code UPDATE}. Not thread-safe.
 */
final class JdbiSubscriptionStore implements SubscriptionStore {

    static final String SUBSCRIPTION_COLUMNS =
            "id, namespace, plan_id, region, period_start, period_end, status, transaction_id, started_at, zone,"
            + " plan_version, period_price, cancel_at_period_end, grace_until, notified_at, prior_plan_version,"
            + " prior_period_price, prior_transaction_id, revision";

    private static final Comparator<SubscriptionRecord> SUBSCRIPTION_ORDER =
            Comparator.comparing(SubscriptionRecord::periodStart).thenComparing(SubscriptionRecord::id);
    private static final Comparator<SubscriptionRecord> SUBSCRIPTION_DUE_ORDER =
            Comparator.comparing(SubscriptionRecord::periodEnd).thenComparing(SubscriptionRecord::id);

    private final JdbiSession session;
    private final Handle handle;

    JdbiSubscriptionStore(JdbiSession session) {
        this.session = session;
        this.handle = session.handle();
    }

    /** Plain JDBC: every checkout inserts one. */
    @Override
    public void insertSubscription(SubscriptionRecord s) {
        checkPrices(s);
        Dialect dialect = session.dialect();
        session.writeSql("insertSubscription", c -> {
            try (PreparedStatement p = c.prepareStatement(INSERT_SUBSCRIPTION)) {
                p.setString(1, s.id());
                p.setString(2, s.namespace());
                p.setString(3, s.planId());
                p.setString(4, s.region());
                dialect.bindInstant(p, 5, s.periodStart());
                dialect.bindInstant(p, 6, s.periodEnd());
                p.setString(7, s.status());
                p.setString(8, s.transactionId());
                dialect.bindInstant(p, 9, s.startedAt());
                if (s.zone() == null) {
                    p.setNull(10, Types.VARCHAR);
                } else {
                    p.setString(10, s.zone());
                }
                p.setInt(11, s.planVersion());
                p.setBigDecimal(12, s.periodPrice());
                p.setBoolean(13, s.cancelAtPeriodEnd());
                bindNullable(dialect, p, 14, s.graceUntil());
                bindNullable(dialect, p, 15, s.notifiedAt());
                if (s.priorPlanVersion() == null) {
                    p.setNull(16, Types.INTEGER);
                } else {
                    p.setInt(16, s.priorPlanVersion());
                }
                p.setBigDecimal(17, s.priorPeriodPrice());
                if (s.priorTransactionId() == null) {
                    p.setNull(18, Types.VARCHAR);
                } else {
                    p.setString(18, s.priorTransactionId());
                }
                p.setLong(19, s.revision());
                return p.executeUpdate();
            }
        });
    }

    private static void bindNullable(Dialect dialect, PreparedStatement p, int position, Instant instant)
            throws java.sql.SQLException {
        if (instant == null) {
            dialect.bindNullInstant(p, position);
        } else {
            dialect.bindInstant(p, position, instant);
        }
    }

    private static final String INSERT_SUBSCRIPTION = """
            INSERT INTO subscriptions (id, namespace, plan_id, region, period_start, period_end, status, transaction_id,
                started_at, zone, plan_version, period_price, cancel_at_period_end, grace_until, notified_at,
                prior_plan_version, prior_period_price, prior_transaction_id, revision)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    @Override
    public List<SubscriptionRecord> listSubscriptions(String namespace) {
        return session.read("listSubscriptions", () -> sorted(handle.createQuery(
                        "SELECT " + SUBSCRIPTION_COLUMNS + " FROM subscriptions WHERE namespace = :namespace"
                                + " ORDER BY period_start, id")
                .bind("namespace", namespace)
                .map(JdbiSubscriptionStore::subscription)
                .list(), SUBSCRIPTION_ORDER));
    }

    @Override
    public Optional<SubscriptionRecord> findSubscriptionByTransaction(String transactionId) {
        return session.read("findSubscriptionByTransaction", () -> sorted(handle.createQuery(
                        "SELECT " + SUBSCRIPTION_COLUMNS + " FROM subscriptions WHERE transaction_id = :transactionId")
                .bind("transactionId", transactionId)
                .map(JdbiSubscriptionStore::subscription)
                .list(), Comparator.comparing(SubscriptionRecord::id)).stream().findFirst());
    }

    @Override
    public void updateSubscriptionStatus(String id, String status) {
        int n = session.write("updateSubscriptionStatus", () -> handle.createUpdate(
                        "UPDATE subscriptions SET status = :status, revision = revision + 1 WHERE id = :id")
                .bind("id", id)
                .bind("status", status)
                .execute());
        if (n == 0) {
            throw session.spoil(new StorageException("no subscription " + id));
        }
    }

    /**
     * One conditional {@code UPDATE} on the revision: the database locks the row and re-evaluates the
     * condition on the newest committed state, so of two units of work changing the subscription from one
     * revision exactly one updates a row. No {@code SELECT ... FOR UPDATE} (H2 issue #4208).
     */
    @Override
    public boolean replaceSubscription(SubscriptionRecord next, long expectedRevision) {
        checkPrices(next);
        int n = session.write("replaceSubscription", () -> handle.createUpdate("""
                UPDATE subscriptions SET namespace = :namespace, plan_id = :planId, region = :region,
                    period_start = :periodStart, period_end = :periodEnd, status = :status, transaction_id = :transactionId,
                    started_at = :startedAt, zone = :zone, plan_version = :planVersion, period_price = :periodPrice,
                    cancel_at_period_end = :cancel, grace_until = :graceUntil, notified_at = :notifiedAt,
                    prior_plan_version = :priorVersion, prior_period_price = :priorPrice,
                    prior_transaction_id = :priorTransaction, revision = :nextRevision
                WHERE id = :id AND revision = :expectedRevision""")
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
                .bind("planVersion", next.planVersion())
                .bindByType("periodPrice", next.periodPrice(), java.math.BigDecimal.class)
                .bind("cancel", next.cancelAtPeriodEnd())
                .bind("graceUntil", JdbiSession.nullableTimestamp(next.graceUntil()))
                .bind("notifiedAt", JdbiSession.nullableTimestamp(next.notifiedAt()))
                .bindByType("priorVersion", next.priorPlanVersion(), Integer.class)
                .bindByType("priorPrice", next.priorPeriodPrice(), java.math.BigDecimal.class)
                .bindByType("priorTransaction", next.priorTransactionId(), String.class)
                .bind("nextRevision", expectedRevision + 1)
                .bind("expectedRevision", expectedRevision)
                .execute());
        return n == 1;
    }

    @Override
    public Optional<SubscriptionRecord> findSubscription(String id) {
        return session.read("findSubscription", () -> handle.createQuery("SELECT " + SUBSCRIPTION_COLUMNS
                        + " FROM subscriptions WHERE id = :id")
                .bind("id", id)
                .map(JdbiSubscriptionStore::subscription)
                .findOne());
    }

    /** By the index on {@code (status, period_end)}; a page after the last one read is a keyset, never an offset. */
    @Override
    public List<SubscriptionRecord> listSubscriptionsDue(Instant horizon, Instant afterPeriodEnd, String afterId,
            int limit) {
        if (limit <= 0) {
            return List.of();
        }
        String after = afterPeriodEnd == null ? ""
                : " AND (period_end > :afterEnd OR (period_end = :afterEnd AND id > :afterId))";
        return session.read("listSubscriptionsDue", () -> {
            var query = handle.createQuery("SELECT " + SUBSCRIPTION_COLUMNS + " FROM subscriptions"
                            + " WHERE status IN ('active', 'past_due') AND period_end <= :now" + after
                            + " ORDER BY period_end, id FETCH FIRST :limit ROWS ONLY")
                    .bind("now", timestamp(horizon))
                    .bind("limit", limit);
            if (afterPeriodEnd != null) {
                query.bind("afterEnd", timestamp(afterPeriodEnd)).bind("afterId", afterId);
            }
            return sorted(query.map(JdbiSubscriptionStore::subscription).list(), SUBSCRIPTION_DUE_ORDER);
        });
    }

    /** Maps a row of {@link #SUBSCRIPTION_COLUMNS}. */
    static SubscriptionRecord subscription(ResultSet rs, StatementContext ctx) throws SQLException {
        return new SubscriptionRecord(rs.getString("id"), rs.getString("namespace"), rs.getString("plan_id"),
                rs.getString("region"), instant(rs, ctx, "period_start"), instant(rs, ctx, "period_end"), rs.getString("status"),
                rs.getString("transaction_id"), instant(rs, ctx, "started_at"), rs.getString("zone"), rs.getInt("plan_version"),
                rs.getBigDecimal("period_price"), rs.getBoolean("cancel_at_period_end"), instant(rs, ctx, "grace_until"),
                instant(rs, ctx, "notified_at"), (Integer) rs.getObject("prior_plan_version", Integer.class),
                rs.getBigDecimal("prior_period_price"), rs.getString("prior_transaction_id"), rs.getLong("revision"));
    }

    /** Refuses a price the column cannot hold exactly. */
    private void checkPrices(SubscriptionRecord s) {
        if (s.periodPrice() != null) {
            session.refuse(() -> JdbiSession.checkMoney("periodPrice", s.periodPrice()));
        }
        if (s.priorPeriodPrice() != null) {
            session.refuse(() -> JdbiSession.checkMoney("priorPeriodPrice", s.priorPeriodPrice()));
        }
    }
}
