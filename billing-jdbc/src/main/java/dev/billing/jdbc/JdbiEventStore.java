package dev.billing.jdbc;

import static dev.billing.jdbc.JdbiSession.instant;

import dev.billing.spi.EventRecord;
import dev.billing.spi.EventStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The outbox (tables {@code events}, {@code event_sequencer}, {@code event_cursors}), in one unit of
 * work ({@link JdbiSession}). Sequencing first takes the row of {@code event_sequencer} with an
 * {@code UPDATE}, which holds it until commit: a second sequencer waits, then (at {@code READ COMMITTED})
 * reads the first one's last place and the events it left. An event's attributes are one text column,
 * a line {@code name=value} per attribute with {@code \}, line feeds and {@code =} in names escaped.
 * Not thread-safe.
 */
final class JdbiEventStore implements EventStore {

    static final String EVENT_COLUMNS = "pos, id, event_type, namespace, subject, occurred_at, attributes";

    private final JdbiSession session;
    private final Handle handle;

    JdbiEventStore(JdbiSession session) {
        this.session = session;
        this.handle = session.handle();
    }

    @Override
    public void appendEvent(EventRecord e) {
        Dialect dialect = session.dialect();
        session.writeSql("appendEvent", c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO events (id, event_type, namespace, subject, occurred_at, attributes)
                    VALUES (?, ?, ?, ?, ?, ?)""")) {
                p.setString(1, e.id());
                p.setString(2, e.type());
                p.setString(3, e.namespace());
                p.setString(4, e.subject());
                dialect.bindInstant(p, 5, e.occurredAt());
                p.setString(6, encode(e.data()));
                return p.executeUpdate();
            }
        });
    }

    @Override
    public int sequenceEvents(int limit) {
        if (limit <= 0) {
            return 0;
        }
        return session.write("sequenceEvents", () -> {
            // the row lock first: a concurrent sequencer waits here until this one commits
            if (handle.createUpdate("UPDATE event_sequencer SET last_position = last_position WHERE id = 1").execute() == 0) {
                // the first sequencing (or the row was deleted: a test emptying every table, say) puts the row
                // in, after the last place; of two sequencers doing so, the second fails on the primary key
                // and is retried
                handle.createUpdate("INSERT INTO event_sequencer (id, last_position)"
                        + " SELECT 1, COALESCE(MAX(pos), 0) FROM events").execute();
            }
            long last = handle.createQuery("SELECT last_position FROM event_sequencer WHERE id = 1")
                    .mapTo(Long.class).one();
            List<Long> seqs = handle.createQuery(
                            "SELECT seq FROM events WHERE pos IS NULL ORDER BY seq FETCH FIRST :limit ROWS ONLY")
                    .bind("limit", limit)
                    .mapTo(Long.class).list();
            if (seqs.isEmpty()) {
                return 0;
            }
            PreparedBatch batch = handle.prepareBatch("UPDATE events SET pos = :pos WHERE seq = :seq");
            long pos = last;
            for (long seq : seqs) {
                batch.bind("pos", ++pos).bind("seq", seq).add();
            }
            batch.execute();
            handle.createUpdate("UPDATE event_sequencer SET last_position = :pos WHERE id = 1")
                    .bind("pos", pos).execute();
            return seqs.size();
        });
    }

    @Override
    public List<EventRecord> listEvents(String namespace, long afterPosition, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return session.read("listEvents", () -> (namespace == null
                ? handle.createQuery("SELECT " + EVENT_COLUMNS
                        + " FROM events WHERE pos > :after ORDER BY pos FETCH FIRST :limit ROWS ONLY")
                : handle.createQuery("SELECT " + EVENT_COLUMNS + " FROM events WHERE namespace = :namespace"
                        + " AND pos > :after ORDER BY pos FETCH FIRST :limit ROWS ONLY").bind("namespace", namespace))
                .bind("after", afterPosition)
                .bind("limit", limit)
                .map(JdbiEventStore::event)
                .list());
    }

    @Override
    public long findCursor(String consumer) {
        return session.read("findCursor", () -> handle.createQuery(
                        "SELECT pos FROM event_cursors WHERE consumer = :consumer")
                .bind("consumer", consumer)
                .mapTo(Long.class).findOne().orElse(0L));
    }

    /**
     * A conditional {@code UPDATE}; from 0, an insert, whose primary key makes the second of two racing
     * first moves fail (the engine retries it, and then it finds the cursor moved).
     */
    @Override
    public boolean moveCursor(String consumer, long expected, long next) {
        if (next <= expected) {
            throw new IllegalArgumentException("next: must be above " + expected + ", got " + next);
        }
        return session.write("moveCursor", () -> {
            int n = handle.createUpdate("UPDATE event_cursors SET pos = :next WHERE consumer = :consumer AND pos = :expected")
                    .bind("consumer", consumer)
                    .bind("expected", expected)
                    .bind("next", next)
                    .execute();
            if (n == 1) {
                return true;
            }
            if (expected != 0 || handle.createQuery("SELECT COUNT(*) FROM event_cursors WHERE consumer = :consumer")
                    .bind("consumer", consumer).mapTo(Long.class).one() > 0) {
                return false;
            }
            handle.createUpdate("INSERT INTO event_cursors (consumer, pos) VALUES (:consumer, :next)")
                    .bind("consumer", consumer)
                    .bind("next", next)
                    .execute();
            return true;
        });
    }

    /**
     * Reads the oldest placed events' positions and times by the unique index on {@code pos}, then deletes
     * the run it may delete with one {@code DELETE}. What is older has been deleted already, so
     * {@code pos <= last} is that run; of two callers at once, the second deletes what the first left.
     */
    @Override
    public int deleteEvents(long upToPosition, Instant occurredBefore, int limit) {
        if (limit <= 0) {
            return 0;
        }
        return session.write("deleteEvents", () -> {
            List<Map.Entry<Long, Instant>> oldest = handle.createQuery("SELECT pos, occurred_at FROM events"
                            + " WHERE pos IS NOT NULL AND pos <= :upTo ORDER BY pos FETCH FIRST :limit ROWS ONLY")
                    .bind("upTo", upToPosition)
                    .bind("limit", limit)
                    .map((rs, ctx) -> Map.entry(rs.getLong("pos"), instant(rs, ctx, "occurred_at")))
                    .list();
            long last = 0;
            for (Map.Entry<Long, Instant> e : oldest) {
                if (!e.getValue().isBefore(occurredBefore)) {
                    break;
                }
                last = e.getKey();
            }
            return last == 0 ? 0 : handle.createUpdate("DELETE FROM events WHERE pos IS NOT NULL AND pos <= :last")
                    .bind("last", last).execute();
        });
    }

    /** Of two racing first inserts, the second fails on the primary key; the engine retries it, and it finds the row. */
    @Override
    public boolean insertCursor(String consumer) {
        return session.write("insertCursor", () -> {
            if (handle.createQuery("SELECT COUNT(*) FROM event_cursors WHERE consumer = :consumer")
                    .bind("consumer", consumer).mapTo(Long.class).one() > 0) {
                return false;
            }
            handle.createUpdate("INSERT INTO event_cursors (consumer, pos) VALUES (:consumer, 0)")
                    .bind("consumer", consumer).execute();
            return true;
        });
    }

    @Override
    public Map<String, Long> listCursors() {
        return session.read("listCursors", () -> {
            Map<String, Long> cursors = new TreeMap<>();
            handle.createQuery("SELECT consumer, pos FROM event_cursors")
                    .map((rs, ctx) -> Map.entry(rs.getString("consumer"), rs.getLong("pos")))
                    .forEach(e -> cursors.put(e.getKey(), e.getValue()));
            return Map.copyOf(cursors);
        });
    }

    @Override
    public boolean deleteCursor(String consumer) {
        return session.write("deleteCursor", () -> handle.createUpdate("DELETE FROM event_cursors WHERE consumer = :consumer")
                .bind("consumer", consumer).execute() > 0);
    }

    /** Maps a row of {@link #EVENT_COLUMNS}; an unplaced event has position 0. */
    static EventRecord event(ResultSet rs, StatementContext ctx) throws SQLException {
        long pos = rs.getLong("pos");
        return new EventRecord(rs.wasNull() ? 0 : pos, rs.getString("id"), rs.getString("event_type"),
                rs.getString("namespace"), rs.getString("subject"), instant(rs, ctx, "occurred_at"),
                decode(rs.getString("attributes")));
    }

    /** @return the attributes as lines {@code name=value}, escaped */
    static String encode(Map<String, String> data) {
        StringBuilder out = new StringBuilder();
        data.forEach((name, value) -> out.append(escape(name, true)).append('=').append(escape(value, false)).append('\n'));
        return out.toString();
    }

    /** @return the attributes {@link #encode} wrote */
    static SortedMap<String, String> decode(String text) {
        SortedMap<String, String> data = new TreeMap<>();
        StringBuilder name = new StringBuilder();
        StringBuilder value = new StringBuilder();
        StringBuilder current = name;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char n = text.charAt(++i);
                current.append(n == 'n' ? '\n' : n);
            } else if (c == '=' && current == name) {
                current = value;
            } else if (c == '\n') {
                data.put(name.toString(), value.toString());
                name.setLength(0);
                value.setLength(0);
                current = name;
            } else {
                current.append(c);
            }
        }
        return data;
    }

    private static String escape(String s, boolean name) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || name && c == '=') {
                out.append('\\').append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
