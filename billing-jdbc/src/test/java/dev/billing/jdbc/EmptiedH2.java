package dev.billing.jdbc;

import dev.billing.core.contract.SnapshottingStorage;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageWork;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;

/**
 * One H2 in-memory database for a whole property class, emptied before every try, instead of a fresh
 * database (and its migrations) per try.
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
final class EmptiedH2 implements AutoCloseable {

    /** The migrator's record of applied versions: kept. */
    static final String VERSION_TABLE = "BILLING_SCHEMA_VERSION";
    /** The migrator's lock row: kept. */
    static final String LOCK_TABLE = "BILLING_SCHEMA_LOCK";
    private static final Set<String> KEPT = Set.of(VERSION_TABLE, LOCK_TABLE);
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final String name;
    private JdbiStorage database;
    private Emptied current;

    /** @param name the in-memory database's name prefix (letters, digits, {@code _ - .}) */
    EmptiedH2(String name) {
        this.name = name;
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
            database = JdbiStorage.h2InMemory(name + "-" + DATABASES.incrementAndGet());
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
    }

    /** @return the tables of the schema (upper case, as H2 names them), the migrator's bookkeeping included */
    static List<String> tables(Handle h) {
        return h.createQuery("""
                        SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES
                        WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME""")
                .mapTo(String.class).list();
    }

    /** @return whether {@link #newStorage()} keeps the rows of {@code table} (the migrator's bookkeeping) */
    static boolean kept(String table) {
        return KEPT.contains(table.toUpperCase(Locale.ROOT));
    }

    /**
     * Deletes every row of every table but the migrator's, and restarts the identity columns at their
     * start ({@code TRUNCATE TABLE ... RESTART IDENTITY}, each committed at once). Referential integrity
     * is off meanwhile (nothing else uses the database between tries), so the order of the tables does
     * not matter; it is back on when this returns or throws.
     */
    static void empty(JdbiStorage database) {
        try (Handle h = database.jdbi().open()) {
            List<String> tables = tables(h);
            h.execute("SET REFERENTIAL_INTEGRITY FALSE");
            try {
                for (String table : tables) {
                    if (!kept(table)) {
                        h.execute("TRUNCATE TABLE \"" + table + "\" RESTART IDENTITY");
                    }
                }
            } finally {
                h.execute("SET REFERENTIAL_INTEGRITY TRUE");
            }
        }
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
