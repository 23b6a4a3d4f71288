package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageWork;
import dev.billing.tck.SnapshottingStorage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;

/**
 * One database for a whole property class, emptied before every try, instead of a fresh database (and
 * its migrations) per try: an H2 database in memory ({@link #EmptiedDatabase(String)}), or a scratch
 * schema on PostgreSQL or database on MariaDB ({@link #on(ServerDatabase)}), dropped by {@link #close()}.
 *
 * <p>{@link #newStorage()} opens the database on first use (the migrations run once), then deletes
 * every row of every table in the schema, as listed by {@code INFORMATION_SCHEMA.TABLES} (so a table a
 * later migration adds is emptied too), and restarts the identity columns, except the migrator's own
 * bookkeeping tables ({@value #VERSION_TABLE}, whose rows say the schema is migrated, and
 * {@value #LOCK_TABLE}, whose single row the migrator locks): the database is then as a freshly migrated
 * one. It returns a thin {@link BillingStorage} on the database; closing it leaves the database open
 * but makes that storage refuse further units of work, as a closed storage does, and the next
 * {@code newStorage()} closes the previous one too, so a try can never use another try's storage.
 * {@link #close()} closes the database, once the class is done ({@code @AfterContainer}).
 *
 * <p>Only for properties whose storage may be in memory and that never close and reopen a storage to
 * see what survived. Tries run one after another (jqwik's default); not for concurrent use.
 */
final class EmptiedDatabase implements AutoCloseable {

    /** The migrator's record of applied versions: kept. */
    static final String VERSION_TABLE = "BILLING_SCHEMA_VERSION";
    /** The migrator's lock row: kept. */
    static final String LOCK_TABLE = "BILLING_SCHEMA_LOCK";
    private static final Set<String> KEPT = Set.of(VERSION_TABLE, LOCK_TABLE);
    private static final AtomicInteger DATABASES = new AtomicInteger();
    /** PostgreSQL's delete order, by table list: every scratch has the same schema, so it is read once. */
    private static final Map<List<String>, List<String>> DELETE_ORDER = new java.util.concurrent.ConcurrentHashMap<>();

    private final String name;
    private final ServerDatabase server;
    private ServerDatabase.Scratch scratch;
    private JdbiStorage database;
    private Emptied current;

    /** @param name the in-memory database's name prefix (letters, digits, {@code _ - .}) */
    EmptiedDatabase(String name) {
        this.name = name;
        this.server = null;
    }

    private EmptiedDatabase(ServerDatabase server) {
        this.name = server.toString();
        this.server = server;
    }

    /**
     * @param server the database server; when its URL is not set, {@link #newStorage()} skips the test
     * @return one scratch on the server for the class, created at the first {@link #newStorage()}
     */
    static EmptiedDatabase on(ServerDatabase server) {
        return new EmptiedDatabase(server);
    }

    /**
     * Closes the previous try's storage, empties the database (opening it the first time) and returns a
     * storage on it.
     *
     * @return a storage on the emptied database, which shows its state ({@link SnapshottingStorage});
     *     closing it does not close the database
     */
    synchronized BillingStorage newStorage() {
        if (current != null) {
            current.close();
            current = null;
        }
        if (database == null) {
            if (server == null) {
                database = JdbiStorage.h2InMemory(name + "-" + DATABASES.incrementAndGet());
            } else {
                scratch = server.scratch();
                database = JdbiStorage.of(scratch.dataSource());
            }
        } else {
            empty(database);
        }
        current = new Emptied(database);
        JdbiStorage db = database;
        return SnapshottingStorage.of(current, () -> JdbcSnapshots.of(db));
    }

    /** @return the database itself, for tests of this class */
    synchronized JdbiStorage database() {
        return database;
    }

    /** Closes the database; a later {@link #newStorage()} opens a new one. Idempotent. */
    @Override
    public synchronized void close() {
        if (current != null) {
            current.close();
            current = null;
        }
        if (database != null) {
            database.close();
            database = null;
        }
        if (scratch != null) {
            scratch.close();
            scratch = null;
        }
    }

    /** @return the tables of the storage's schema, the migrator's bookkeeping included */
    static List<String> tables(Handle h) {
        Dialect dialect;
        try {
            dialect = Dialect.of(h.getConnection());
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        String schema = switch (dialect) {
            case H2 -> "'PUBLIC'";
            case POSTGRESQL -> "current_schema()";
            case MARIADB -> "DATABASE()";
        };
        return h.createQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = " + schema
                        + " AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME")
                .mapTo(String.class).list();
    }

    /** @return whether {@link #newStorage()} keeps the rows of {@code table} (the migrator's bookkeeping) */
    static boolean kept(String table) {
        return KEPT.contains(table.toUpperCase(Locale.ROOT));
    }

    /**
     * Deletes every row of every table but the migrator's, and restarts the identity columns at their
     * start ({@code TRUNCATE}, each committed at once). Referential integrity is off meanwhile on H2 and
     * MariaDB (nothing else uses the database between tries), so the order of the tables does not
     * matter; PostgreSQL truncates them all in one statement.
     */
    static void empty(JdbiStorage database) {
        try (Handle h = database.jdbi().open()) {
            List<String> tables = tables(h).stream().filter(t -> !kept(t)).toList();
            switch (database.dialect()) {
                case H2 -> {
                    h.execute("SET REFERENTIAL_INTEGRITY FALSE");
                    try {
                        for (String table : tables) {
                            h.execute("TRUNCATE TABLE \"" + table + "\" RESTART IDENTITY");
                        }
                    } finally {
                        h.execute("SET REFERENTIAL_INTEGRITY TRUE");
                    }
                }
                case POSTGRESQL -> {
                    // DELETE, children first: on a few rows it is a tenth of a millisecond a table, where
                    // TRUNCATE takes tens (identities are not restarted: nothing on a server relies on it)
                    h.begin();
                    for (String table : DELETE_ORDER.computeIfAbsent(tables, t -> childrenFirst(h, t))) {
                        h.execute("DELETE FROM " + table);
                    }
                    h.commit();
                }
                case MARIADB -> {
                    h.execute("SET FOREIGN_KEY_CHECKS = 0");
                    try {
                        for (String table : tables) {
                            h.execute("DELETE FROM " + table);
                        }
                    } finally {
                        h.execute("SET FOREIGN_KEY_CHECKS = 1");
                    }
                }
            }
        }
    }

    /** @return {@code tables} ordered so that a table comes before every table its foreign keys reference */
    private static List<String> childrenFirst(Handle h, List<String> tables) {
        Map<String, Set<String>> parents = new HashMap<>();
        h.createQuery("""
                        SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint
                        WHERE contype = 'f' AND connamespace = current_schema()::regnamespace""")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> parents.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue()));
        List<String> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        List<String> left = new ArrayList<>(tables);
        while (!left.isEmpty()) {
            // a table goes once no remaining table references it
            String next = left.stream().filter(t -> left.stream().noneMatch(o -> !o.equals(t)
                    && parents.getOrDefault(o, Set.of()).contains(t))).findFirst().orElse(left.get(0));
            ordered.add(next);
            placed.add(next);
            left.remove(next);
        }
        return ordered;
    }

    /** A storage on the shared database for one try: delegates, and refuses work once closed. */
    private static final class Emptied implements BillingStorage {

        private final JdbiStorage database;
        private volatile boolean closed;

        Emptied(JdbiStorage database) {
            this.database = database;
        }

        @Override
        public <T> T inTransaction(StorageWork<T> work) {
            if (closed) {
                throw new StorageException("the storage is closed: " + database.describe());
            }
            return database.inTransaction(work);
        }

        @Override
        public String describe() {
            return database.describe();
        }

        /** Ends this try's use of the database; the database stays open for the next try. */
        @Override
        public void close() {
            closed = true;
        }
    }
}
