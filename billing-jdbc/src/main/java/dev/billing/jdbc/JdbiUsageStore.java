package dev.billing.jdbc;

import static dev.billing.jdbc.JdbiSession.checkQuantity;
import static dev.billing.jdbc.JdbiSession.instant;
import static dev.billing.jdbc.JdbiSession.sorted;
import static dev.billing.jdbc.JdbiSession.timestamp;

import dev.billing.spi.UsageRecord;
import dev.billing.spi.UsageStore;
import dev.billing.spi.UsageSum;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Metered usage events (table {@code usage_events}), in one unit of work ({@link JdbiSession}): summed
 * by the database, never loaded. Not thread-safe.
 */
final class JdbiUsageStore implements UsageStore {

    static final String USAGE_COLUMNS =
            "namespace, event_id, offering_code, charge_type, quantity, occurred_at, recorded_at";

    /** The columns of {@code usage_totals}. */
    static final String TOTAL_COLUMNS =
            "namespace, period_start, period_end, offering_code, charge_type, quantity, events";

    private static final Comparator<UsageSum> USAGE_SUM_ORDER =
            Comparator.comparing(UsageSum::offeringCode).thenComparing(UsageSum::chargeType);

    private final JdbiSession session;
    private final Handle handle;

    JdbiUsageStore(JdbiSession session) {
        this.session = session;
        this.handle = session.handle();
    }

    /** The batch of {@link #insertUsages} with one row: one way to write an event. */
    @Override
    public void insertUsage(UsageRecord u) {
        insertUsages(List.of(u));
    }

    /**
     * One batched {@code INSERT} (a single JDBC {@code executeBatch}) per {@value #INSERT_CHUNK} events, on
     * the handle's connection as a plain {@link PreparedStatement}: through JDBI's {@code PreparedBatch},
     * MariaDB Connector/J 3.5 took one round trip per row (10,000 rows in about 110 ms, where the same
     * connection's own batch takes about 16 ms, in its bulk protocol), and JDBI's binding by name was a
     * few per cent of an H2 ingestion's profile.
     */
    @Override
    public void insertUsages(List<UsageRecord> usages) {
        for (UsageRecord u : usages) {
            session.refuse(() -> checkQuantity("quantity", u.quantity()));
        }
        if (usages.isEmpty()) {
            return;
        }
        Dialect dialect = session.dialect();
        session.writeSql("insertUsages", c -> {
            try (PreparedStatement p = c.prepareStatement(INSERT_USAGE)) {
                for (int from = 0; from < usages.size(); from += INSERT_CHUNK) {
                    for (UsageRecord u : usages.subList(from, Math.min(usages.size(), from + INSERT_CHUNK))) {
                        p.setString(1, u.namespace());
                        p.setString(2, u.eventId());
                        p.setString(3, u.offeringCode());
                        p.setString(4, u.chargeType());
                        p.setBigDecimal(5, u.quantity());
                        dialect.bindInstant(p, 6, u.occurredAt());
                        dialect.bindInstant(p, 7, u.recordedAt());
                        p.addBatch();
                    }
                    p.executeBatch();
                }
            }
            return null;
        });
    }

    /**
     * {@code IN} queries of a few fixed sizes ({@link #ID_CHUNKS}), the last one padded by repeating an id,
     * so that the database sees a handful of distinct statements whatever the batch size. Each database
     * gets the form its planner answers from the primary key (checked with {@code EXPLAIN}); the other
     * form scans, and so made ingestion slower the more events were stored:
     * <ul>
     *   <li>H2: a list of whole keys, {@code (namespace, event_id) IN ((?, ?), ...)}; for {@code namespace =
     *       ? AND event_id IN (...)} H2 2.3.232 seeks the namespace only and filters its every event.
     *   <li>PostgreSQL and MariaDB: {@code namespace = ? AND event_id IN (?, ...)}, an index range per id
     *       (PostgreSQL: {@code event_id = ANY (...)} in the index condition, one index scan for every id,
     *       where row values get one bitmap index scan each). MariaDB 10.11 turns a list of 512 row values
     *       into a derived table joined to a scan of the whole primary key.
     * </ul>
     */
    @Override
    public Set<String> findUsageIds(String namespace, Collection<String> eventIds) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(eventIds));
        Set<String> found = new HashSet<>();
        if (ids.isEmpty()) {
            return found;
        }
        return session.read("findUsageIds", () -> {
            for (int from = 0; from < ids.size(); ) {
                int size = chunkFor(ids.size() - from);
                Query q = handle.createQuery((session.dialect() == Dialect.H2 ? KEY_QUERIES : ID_QUERIES).get(size))
                        .bind("namespace", namespace);
                for (int i = 0; i < size; i++) {
                    q.bind("e" + i, ids.get(Math.min(from + i, ids.size() - 1)));
                }
                q.mapTo(String.class).forEach(found::add);
                from += size;
            }
            return found;
        });
    }

    private static final String INSERT_USAGE = """
            INSERT INTO usage_events (namespace, event_id, offering_code, charge_type, quantity, occurred_at,
                recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)""";

    /** Rows per {@code executeBatch}. */
    private static final int INSERT_CHUNK = 1000;

    /** The sizes of the id queries, ascending. */
    private static final int[] ID_CHUNKS = {1, 16, 128, 512};

    /** By size, the id queries that list whole keys (H2). */
    private static final Map<Integer, String> KEY_QUERIES = idQueries(true);
    /** By size, the id queries that list the ids of one namespace (PostgreSQL, MariaDB). */
    private static final Map<Integer, String> ID_QUERIES = idQueries(false);

    private static Map<Integer, String> idQueries(boolean wholeKeys) {
        Map<Integer, String> queries = new HashMap<>();
        for (int size : ID_CHUNKS) {
            StringJoiner in = new StringJoiner(", ", "(", ")");
            for (int i = 0; i < size; i++) {
                in.add(wholeKeys ? "(:namespace, :e" + i + ")" : ":e" + i);
            }
            queries.put(size, wholeKeys ? "SELECT event_id FROM usage_events WHERE (namespace, event_id) IN " + in
                    : "SELECT event_id FROM usage_events WHERE namespace = :namespace AND event_id IN " + in);
        }
        return Map.copyOf(queries);
    }

    /** @return the smallest query size that takes {@code remaining} ids, or the largest */
    private static int chunkFor(int remaining) {
        for (int size : ID_CHUNKS) {
            if (size >= remaining) {
                return size;
            }
        }
        return ID_CHUNKS[ID_CHUNKS.length - 1];
    }

    @Override
    public Optional<UsageRecord> findUsage(String namespace, String eventId) {
        return session.read("findUsage", () -> handle.createQuery("SELECT " + USAGE_COLUMNS
                        + " FROM usage_events WHERE namespace = :namespace AND event_id = :eventId")
                .bind("namespace", namespace)
                .bind("eventId", eventId)
                .map(JdbiUsageStore::usage)
                .findOne());
    }

    /** One {@code GROUP BY} query: the database sums; only one row per (offering code, charge type) comes back. */
    @Override
    public List<UsageSum> sumUsage(String namespace, Instant from, Instant to) {
        return session.read("sumUsage", () -> sorted(handle.createQuery("""
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

    /** One look-up by the key's prefix; rows of a period kept with another end do not count. */
    @Override
    public List<UsageSum> findUsageTotals(String namespace, Instant start, Instant end) {
        return session.read("findUsageTotals", () -> handle.createQuery("SELECT " + TOTAL_COLUMNS
                        + " FROM usage_totals WHERE namespace = :namespace AND period_start = :start"
                        + " AND period_end = :end ORDER BY offering_code, charge_type")
                .bind("namespace", namespace)
                .bind("start", timestamp(start))
                .bind("end", timestamp(end))
                .map((rs, ctx) -> total(rs))
                .list());
    }

    /**
     * Two statements: a {@code DELETE} of the namespace's totals of every period that starts before
     * {@code end} (this one's included), then one batched {@code INSERT} of the new lines. The caller holds
     * the namespace's billing-profile lock, so no other unit of work writes these rows meanwhile.
     */
    @Override
    public void putUsageTotals(String namespace, Instant start, Instant end, List<UsageSum> totals) {
        for (UsageSum t : totals) {
            session.refuse(() -> checkQuantity("quantity", t.quantity()));
        }
        session.write("putUsageTotals", () -> {
            handle.createUpdate("DELETE FROM usage_totals WHERE namespace = :namespace AND period_start < :end")
                    .bind("namespace", namespace)
                    .bind("end", timestamp(end))
                    .execute();
            if (!totals.isEmpty()) {
                PreparedBatch batch = handle.prepareBatch("INSERT INTO usage_totals (" + TOTAL_COLUMNS + ")"
                        + " VALUES (:namespace, :start, :end, :offeringCode, :chargeType, :quantity, :events)");
                for (UsageSum t : totals) {
                    batch.bind("namespace", namespace)
                            .bind("start", timestamp(start))
                            .bind("end", timestamp(end))
                            .bind("offeringCode", t.offeringCode())
                            .bind("chargeType", t.chargeType())
                            .bind("quantity", t.quantity())
                            .bind("events", t.events())
                            .add();
                }
                batch.execute();
            }
            return null;
        });
    }

    /** Maps the line of a row of {@link #TOTAL_COLUMNS}. */
    static UsageSum total(ResultSet rs) throws SQLException {
        return new UsageSum(rs.getString("offering_code"), rs.getString("charge_type"), rs.getBigDecimal("quantity"),
                rs.getLong("events"));
    }

    @Override
    public boolean anyUsageSince(String offeringCode, String chargeType, Instant from) {
        return session.read("anyUsageSince", () -> handle.createQuery("""
                        SELECT 1 FROM usage_events
                        WHERE offering_code = :offeringCode AND charge_type = :chargeType AND occurred_at >= :from
                        FETCH FIRST 1 ROWS ONLY""")
                .bind("offeringCode", offeringCode)
                .bind("chargeType", chargeType)
                .bind("from", timestamp(from))
                .mapTo(Integer.class)
                .findOne()
                .isPresent());
    }

    /** Maps a row of {@link #USAGE_COLUMNS}. */
    static UsageRecord usage(ResultSet rs, StatementContext ctx) throws SQLException {
        return new UsageRecord(rs.getString("namespace"), rs.getString("event_id"), rs.getString("offering_code"),
                rs.getString("charge_type"), rs.getBigDecimal("quantity"), instant(rs, ctx, "occurred_at"),
                instant(rs, ctx, "recorded_at"));
    }
}
