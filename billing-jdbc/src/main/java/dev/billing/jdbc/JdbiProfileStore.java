package dev.billing.jdbc;

import static dev.billing.jdbc.JdbiSession.instant;
import static dev.billing.jdbc.JdbiSession.nullableTimestamp;
import static dev.billing.jdbc.JdbiSession.sorted;
import static dev.billing.jdbc.JdbiSession.timestamp;

import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.ProfileStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Billing profiles (table {@code billing_profiles}), in one unit of work ({@link JdbiSession}). Closing
 * a period is one conditional {@code UPDATE}; the profile's row lock is taken by a no-op {@code UPDATE}.
 * Not thread-safe.
 */
final class JdbiProfileStore implements ProfileStore {

    static final String PROFILE_COLUMNS = """
            namespace, parent, kind, period_start, period_end, cycle_anchor, cycle_length, cycle_zone,
            next_cycle_length, next_cycle_zone""";

    private static final Comparator<BillingProfileRecord> PROFILE_DUE_ORDER =
            Comparator.comparing(BillingProfileRecord::periodEnd).thenComparing(BillingProfileRecord::namespace);

    private final JdbiSession session;
    private final Handle handle;

    JdbiProfileStore(JdbiSession session) {
        this.session = session;
        this.handle = session.handle();
    }

    @Override
    public void insertBillingProfile(BillingProfileRecord p) {
        session.write("insertBillingProfile", () -> handle.createUpdate("""
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

    /** Plain JDBC: a checkout reads the profile for its zone. */
    @Override
    public Optional<BillingProfileRecord> findBillingProfile(String namespace) {
        Dialect dialect = session.dialect();
        return session.readSql("findBillingProfile", c -> {
            try (PreparedStatement p = c.prepareStatement(FIND_PROFILE)) {
                p.setString(1, namespace);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(profile(rs, dialect)) : Optional.empty();
                }
            }
        });
    }

    private static final String FIND_PROFILE = "SELECT " + PROFILE_COLUMNS + " FROM billing_profiles WHERE namespace = ?";

    /**
     * A no-op {@code UPDATE} takes the row lock (no {@code SELECT ... FOR UPDATE}: H2 #4208), then a read.
     * (On MariaDB, whose row count is of changed rows, this wants {@code SELECT ... FOR UPDATE} instead.)
     */
    @Override
    public Optional<BillingProfileRecord> lockBillingProfile(String namespace) {
        int n = session.write("lockBillingProfile", () -> handle.createUpdate(
                        "UPDATE billing_profiles SET kind = kind WHERE namespace = :namespace")
                .bind("namespace", namespace)
                .execute());
        return n == 0 ? Optional.empty() : findBillingProfile(namespace);
    }

    /**
     * One conditional {@code UPDATE}, decided by its row count, as
     * {@link JdbiSubscriptionStore#replaceSubscription}.
     */
    @Override
    public boolean replaceBillingProfile(BillingProfileRecord next, Instant expectedPeriodStart) {
        int n = session.write("replaceBillingProfile", () -> handle.createUpdate("""
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
        return session.read("listChildren", () -> sorted(handle.createQuery(
                        "SELECT " + PROFILE_COLUMNS + " FROM billing_profiles WHERE parent = :parent ORDER BY namespace")
                .bind("parent", parent)
                .map(JdbiProfileStore::profile)
                .list(), Comparator.comparing(BillingProfileRecord::namespace)));
    }

    @Override
    public List<BillingProfileRecord> listPeriodsDue(Instant now, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return session.read("listPeriodsDue", () -> sorted(handle.createQuery("SELECT " + PROFILE_COLUMNS + """
                         FROM billing_profiles
                        WHERE period_end <= :now
                        ORDER BY period_end, namespace
                        FETCH FIRST :limit ROWS ONLY""")
                .bind("now", timestamp(now))
                .bind("limit", limit)
                .map(JdbiProfileStore::profile)
                .list(), PROFILE_DUE_ORDER));
    }

    /** Maps a row of {@link #PROFILE_COLUMNS}. */
    static BillingProfileRecord profile(ResultSet rs, StatementContext ctx) throws SQLException {
        return profile(rs, Dialect.of(ctx));
    }

    /** The profile in the current row, its columns read by name. */
    static BillingProfileRecord profile(ResultSet rs, Dialect d) throws SQLException {
        return new BillingProfileRecord(rs.getString("namespace"), rs.getString("parent"), rs.getString("kind"),
                d.readInstant(rs, "period_start"), d.readInstant(rs, "period_end"), d.readInstant(rs, "cycle_anchor"),
                rs.getString("cycle_length"), rs.getString("cycle_zone"), rs.getString("next_cycle_length"),
                rs.getString("next_cycle_zone"));
    }
}
