package dev.billing.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.SnapshotSource;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.StorageWork;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * A {@link BillingStorage} on a relational database through JDBI 3; H2 (embedded, in a file or in
 * memory) is the database it manages itself.
 *
 * <p>On creation it brings the schema up to date: versioned SQL scripts, recorded in
 * {@code billing_schema_version}, applied once even when several processes start at the same time.
 * Every {@link #inTransaction(StorageWork)} is one database transaction at {@code READ COMMITTED},
 * committed when the work returns and rolled back when it throws. Balances change through one
 * conditional {@code UPDATE} per call, so concurrent units of work never lose an update and never take
 * a balance below its floor. Money is {@code DECIMAL(19,4)} bound as {@link java.math.BigDecimal},
 * usage quantities {@code DECIMAL(28,6)} and unit rates {@code DECIMAL(19,6)}; a value the column would
 * round is refused. Instants are stored in UTC with microsecond precision. Usage is summed by the
 * database, never loaded; renewals and period closings are compare-and-set through one conditional
 * {@code UPDATE} each.
 *
 * <p>On H2 the storage adds to the URL: {@code LOCK_TIMEOUT=10000} (contended units of work queue for
 * up to 10 s instead of failing), {@code OPTIMIZE_REUSE_RESULTS=0} (H2's query-result cache has
 * returned stale rows under concurrency, H2 issues #3894 and #4208). It refuses {@code WRITE_DELAY=0}:
 * under concurrent commits of one row, H2 2.3.232 then lost updates in this project's stress tests.
 * See {@link Durability} for what each mode guarantees when {@code inTransaction} returns. Connections come
 * from a HikariCP pool ({@link Builder#maxConnections}); H2's own {@code JdbcConnectionPool} rolls back every
 * connection it hands out and takes back, which in H2 2.3.232 empties the session's cache of parsed
 * statements, so that every statement of every unit of work was parsed again.
 *
 * <p>Failures: a broken uniqueness constraint is a {@link dev.billing.spi.DuplicateKeyException}; a
 * deadlock, lock time-out or serialization failure (including H2's "concurrent update" for a key a
 * concurrent transaction inserted but has not committed) is a
 * {@link dev.billing.spi.TransientStorageException}; any other database failure is a
 * {@link StorageException}. Exceptions thrown by the work itself propagate unchanged, after the
 * rollback. A work that catches a storage failure and returns normally is rolled back anyway, and
 * {@code inTransaction} throws the failure.
 *
 * <p>Thread-safe: any number of threads may run units of work at once (up to the pool size
 * concurrently; others wait for a connection).
 *
 * <p>(This file runs past 500 lines because its public {@link Builder}, and the H2 settings it checks,
 * live here; how a transaction begins and ends is {@code Transactions}.)
 */
public final class JdbiStorage implements BillingStorage, SnapshotSource {

    /** H2's lock time-out set by this storage, in milliseconds. */
    static final int LOCK_TIMEOUT_MILLIS = 10_000;
    /** H2's WRITE_DELAY in the durable modes: its background store practically never runs. */
    static final String NO_BACKGROUND_STORE = Integer.toString(Integer.MAX_VALUE);
    /** Default number of pooled connections. */
    static final int DEFAULT_MAX_CONNECTIONS = 10;
    /**
     * One per database file in this process (H2 lets only one process open a file): storages opened on
     * the same file share it, so that one storage's store never runs while another's transaction is
     * open. Entries stay for the life of the process: one small lock per file ever opened.
     */
    private static final ConcurrentMap<String, ReentrantReadWriteLock> QUIESCENCE = new ConcurrentHashMap<>();

    private final Jdbi jdbi;
    private final Dialect dialect;
    private final Durability durability;
    private final String description;
    private final HikariDataSource pool;
    private final GroupSync groupSync;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Transactions transactions;
    /**
     * Units of work hold it shared; a store of the database holds it exclusively, so that H2 never
     * stores its MVStore while a transaction is open (see {@link H2Url#withSettings}).
     */
    private final ReentrantReadWriteLock quiescence;

    private JdbiStorage(Jdbi jdbi, Durability durability, String description, HikariDataSource pool,
            boolean persistent, String database) {
        this.dialect = detect(jdbi);
        this.transactions = new Transactions(dialect);
        this.quiescence = persistent ? QUIESCENCE.computeIfAbsent(database, d -> new ReentrantReadWriteLock(true))
                : new ReentrantReadWriteLock(true);
        this.jdbi = jdbi;
        this.durability = durability;
        this.description = description != null ? description
                : "JDBI storage on " + dialect.displayName() + " (a caller-managed data source)";
        this.pool = pool;
        this.groupSync = !persistent || durability == null || durability == Durability.H2_DEFAULT ? null
                : new GroupSync(durability == Durability.POWER_LOSS ? this::checkpointSync : this::checkpoint);
    }

    /**
     * Opens (creating when missing) an embedded H2 database in a file, with the default durability
     * {@link Durability#PROCESS_CRASH}, user {@code sa} and an empty password. Only one process may
     * open the file at a time (H2 locks it); storages in the same process share the database.
     *
     * @param dbFileWithoutSuffix the database file without H2's {@code .mv.db} suffix, such as
     *     {@code data/billing} for {@code data/billing.mv.db}; relative paths are resolved against the
     *     working directory
     * @return the storage, its schema up to date
     * @throws IllegalArgumentException when the path ends in {@code .mv.db} or contains {@code ;}
     * @throws StorageException when the database cannot be opened or migrated
     */
    public static JdbiStorage h2File(Path dbFileWithoutSuffix) {
        Objects.requireNonNull(dbFileWithoutSuffix, "dbFileWithoutSuffix");
        String path = dbFileWithoutSuffix.toAbsolutePath().normalize().toString();
        if (path.endsWith(".mv.db")) {
            throw new IllegalArgumentException("give the database path without the .mv.db suffix: " + path);
        }
        if (path.indexOf(';') >= 0) {
            throw new IllegalArgumentException("the database path must not contain ';': " + path);
        }
        return builder().jdbcUrl("jdbc:h2:file:" + path).user("sa").password("").build();
    }

    /**
     * Opens a private H2 database in this process's memory. It lives until the last storage on it is
     * closed; storages opened with the same name at the same time share it. Durability does not apply.
     *
     * @param name the database name: letters, digits, {@code _}, {@code -} and {@code .}
     * @return the storage, its schema created
     * @throws IllegalArgumentException when the name is empty or has other characters
     * @throws StorageException when the database cannot be created
     */
    public static JdbiStorage h2InMemory(String name) {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("an in-memory database name has letters, digits, _ - . only: " + name);
        }
        return builder().jdbcUrl("jdbc:h2:mem:" + name).user("sa").password("").build();
    }

    /**
     * Uses a {@link Jdbi} the caller configured and owns (its data source, pool, plugins), on H2,
     * PostgreSQL or MariaDB (see {@link #of(DataSource)}). The schema is brought up to date on it.
     * Durability, lock time-outs and other database settings are the caller's;
     * its connections must come with auto-commit on (JDBI takes one without it for a transaction already
     * open, and never commits it; {@link #of(DataSource)} switches it on itself);
     * on H2, the caller should add {@code OPTIMIZE_REUSE_RESULTS=0} to the URL and must not use
     * {@code WRITE_DELAY=0} (see {@link Durability} for the lost updates it caused). {@link #close()} does not
     * close the caller's data source.
     *
     * @param jdbi the database access
     * @return the storage
     * @throws StorageException when the schema cannot be migrated
     */
    public static JdbiStorage of(Jdbi jdbi) {
        Objects.requireNonNull(jdbi, "jdbi");
        JdbiStorage storage = new JdbiStorage(jdbi, null, null, null, false, null);
        Migrations.migrate(jdbi, Migrations.ALL);
        storage.checkRowCounts();
        return storage;
    }

    /**
     * Uses a data source the caller configured and owns: the way to run on PostgreSQL or MariaDB, through
     * a connection pool such as HikariCP (see the README). The schema is brought up to date on it, safely
     * when several processes start at once. Several processes may share the database: every unit of work
     * is one transaction at {@code READ COMMITTED}, every claim (a period's close, a renewal, an
     * idempotency key, a usage event id) is a constraint or a compare-and-set in the database, and
     * durability is the database's own (a commit returns once the database has it). {@link #close()} does
     * not close the data source.
     *
     * @param dataSource connections to H2, PostgreSQL 15+ or MariaDB 10.11+
     * @return the storage
     * @throws IllegalArgumentException when the database is none of those
     * @throws StorageException when the schema cannot be migrated, or MariaDB does not run in strict mode,
     *     counts changed instead of matched rows, or its database's collation is not binary
     */
    public static JdbiStorage of(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        // a pool may hand out connections in either auto-commit mode: inTransaction begins and ends its
        // transactions on the connection itself
        return of(Jdbi.create(dataSource));
    }

    /** @return a builder for an H2 storage from a JDBC URL */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs {@code work} in one database transaction at {@code READ COMMITTED}.
     *
     * <p>When it returns, the work's writes are committed and as durable as the storage's
     * {@link Durability} says.
     *
     * @param work the unit of work
     * @param <T> what the work returns
     * @return what the work returned
     * @throws dev.billing.spi.DuplicateKeyException when a write broke a uniqueness constraint (nothing committed)
     * @throws dev.billing.spi.TransientStorageException on a deadlock, lock time-out or serialization failure
     *     (nothing committed; the work may be run again)
     * @throws StorageException on any other database failure, or when the storage is closed; nothing is
     *     committed, except when a {@link Durability#POWER_LOSS} sync fails after the commit
     * @throws RuntimeException whatever the work threw, unchanged (nothing committed)
     */
    @Override
    public <T> T inTransaction(StorageWork<T> work) {
        Objects.requireNonNull(work, "work");
        if (closed.get()) {
            throw new StorageException("the storage is closed: " + description);
        }
        JdbiSession[] session = new JdbiSession[1];
        T result;
        Lock shared = groupSync == null ? null : quiescence.readLock();
        if (shared != null) {
            shared.lock();
        }
        try {
            result = jdbi.withHandle(handle -> transactions.run(handle, work, session));
        } catch (JdbiException e) {
            // opening the handle failed; the work's own failures are not JDBI's
            throw SqlErrors.translate("transaction", e);
        } finally {
            if (shared != null) {
                shared.unlock();
            }
        }
        if (groupSync != null && session[0] != null && session[0].wrote()) {
            try {
                groupSync.awaitSync();
            } catch (RuntimeException e) {
                throw new StorageException("committed, but syncing the database to disk failed;"
                        + " the unit of work's durability is unknown", e);
            }
        }
        return result;
    }

    private void checkpoint() {
        // CHECKPOINT: Database.checkpoint() -> Store.flush() -> MVStore.commit(): written, not synced
        store("CHECKPOINT");
    }

    private void checkpointSync() {
        // CHECKPOINT SYNC: Database.sync() -> Store.sync() -> MVStore.commit() then FileChannel.force(true)
        store("CHECKPOINT SYNC");
    }

    /**
     * Runs H2's store command while no unit of work is open, and commits, so that the pool takes the
     * connection back clean (a rolled-back H2 session forgets its parsed statements).
     */
    private void store(String command) {
        quiescence.writeLock().lock();
        try (Handle h = Migrations.open(jdbi)) {
            java.sql.Connection c = h.getConnection();
            try (java.sql.Statement st = c.createStatement()) {
                st.execute(command);
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (JdbiException | java.sql.SQLException e) {
            throw SqlErrors.translate(command, e);
        } finally {
            quiescence.writeLock().unlock();
        }
    }

    /** @return the durability of this storage, or {@code null} for {@link #of(Jdbi)} (the caller's) */
    Durability durability() {
        return durability;
    }

    /** @return how many grouped stores (PROCESS_CRASH) or syncs (POWER_LOSS) ran; 0 otherwise; for tests */
    long syncCount() {
        return groupSync == null ? 0 : groupSync.syncCount();
    }

    /** @return the lock that keeps stores of the database apart from its open transactions, for tests */
    ReentrantReadWriteLock quiescence() {
        return quiescence;
    }

    /** @return the JDBI instance, for tests in this package */
    Jdbi jdbi() {
        return jdbi;
    }

    /**
     * Everything the storage holds, read from its tables in one unit of work: for tests (the storage TCK,
     * a host's "nothing changed" checks) and small databases, since it loads every row.
     *
     * @throws dev.billing.spi.StorageException when the storage is closed or a statement fails
     */
    @Override
    public StorageSnapshot snapshot() {
        return JdbcSnapshots.of(this);
    }

    /** {@inheritDoc} The description names the database (without credentials) and the durability. */
    @Override
    public String describe() {
        return description;
    }

    /**
     * Closes the connection pool (connections still in use close when their unit of work ends). An
     * embedded H2 database closes, and compacts briefly, when its last connection closes. Idempotent;
     * later {@code inTransaction} calls throw {@link StorageException}. Does nothing to a Jdbi passed to
     * {@link #of(Jdbi)}.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && pool != null) {
            pool.close();
        }
    }

    /**
     * Builds an H2 {@link JdbiStorage} from a JDBC URL. Each setter may be called once; {@link #build()}
     * needs a URL. Not thread-safe (a builder is used by one thread).
     */
    public static final class Builder {

        private String jdbcUrl;
        private String user;
        private String password;
        private Durability durability;
        private Integer maxConnections;

        private Builder() {
        }

        /**
         * @param jdbcUrl an H2 URL, such as {@code jdbc:h2:file:/var/lib/billing/db},
         *     {@code jdbc:h2:mem:test} or {@code jdbc:h2:tcp://localhost/~/billing}, optionally with
         *     {@code ;KEY=VALUE} settings; the storage adds the settings described on {@link JdbiStorage}
         *     unless the URL sets them ({@code WRITE_DELAY=0} and {@code OPTIMIZE_REUSE_RESULTS} other
         *     than 0 are refused)
         * @return this builder
         * @throws IllegalArgumentException when the URL is blank or not an H2 URL
         * @throws IllegalStateException when the URL was set already
         */
        public Builder jdbcUrl(String jdbcUrl) {
            Objects.requireNonNull(jdbcUrl, "jdbcUrl");
            once(this.jdbcUrl, "jdbcUrl");
            if (!jdbcUrl.startsWith("jdbc:h2:") || jdbcUrl.strip().length() <= "jdbc:h2:".length()) {
                throw new IllegalArgumentException("not an H2 JDBC URL (jdbc:h2:...): " + jdbcUrl);
            }
            this.jdbcUrl = jdbcUrl;
            return this;
        }

        /**
         * @param user the database user; on H2 it needs admin rights unless the durability is
         *     {@link Durability#H2_DEFAULT} ({@code CHECKPOINT} and {@code CHECKPOINT SYNC} are admin
         *     commands). Default: none (H2's empty user).
         * @return this builder
         * @throws IllegalStateException when the user was set already
         */
        public Builder user(String user) {
            Objects.requireNonNull(user, "user");
            once(this.user, "user");
            this.user = user;
            return this;
        }

        /**
         * @param password the password, possibly empty. Default: empty.
         * @return this builder
         * @throws IllegalStateException when the password was set already
         */
        public Builder password(String password) {
            Objects.requireNonNull(password, "password");
            once(this.password, "password");
            this.password = password;
            return this;
        }

        /**
         * @param durability what an acknowledged unit of work survives; default {@link Durability#PROCESS_CRASH}
         * @return this builder
         * @throws IllegalStateException when the durability was set already
         */
        public Builder durability(Durability durability) {
            Objects.requireNonNull(durability, "durability");
            once(this.durability, "durability");
            this.durability = durability;
            return this;
        }

        /**
         * @param maxConnections the most connections the pool opens, at least 1; default 10. Units of work
         *     beyond it wait up to 30 s for a connection, then fail with a {@link StorageException}.
         * @return this builder
         * @throws IllegalArgumentException when below 1
         * @throws IllegalStateException when set already
         */
        public Builder maxConnections(int maxConnections) {
            once(this.maxConnections, "maxConnections");
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * Opens the database, checks its settings and brings the schema up to date.
         *
         * @return the storage
         * @throws IllegalStateException when no URL was set
         * @throws IllegalArgumentException when the URL's settings conflict with the durability
         * @throws StorageException when the database cannot be opened, configured or migrated
         */
        public JdbiStorage build() {
            if (jdbcUrl == null) {
                throw new IllegalStateException("set jdbcUrl before build()");
            }
            Durability mode = durability == null ? Durability.PROCESS_CRASH : durability;
            H2Url url = H2Url.parse(jdbcUrl);
            String full = url.withSettings(mode);
            HikariDataSource pool = pool(full, user, password, maxConnections == null ? DEFAULT_MAX_CONNECTIONS
                    : maxConnections);
            Jdbi jdbi = Jdbi.create(pool);
            boolean inMemory = url.base().startsWith("jdbc:h2:mem:");
            String text = inMemory
                    ? "JDBI storage on " + url.base() + " (H2 in memory; nothing survives close)"
                    : "JDBI storage on " + url.base() + " (H2, durability " + mode + ")";
            JdbiStorage storage = new JdbiStorage(jdbi, mode, text, pool, !inMemory, url.database());
            try {
                storage.checkSettings();
                Migrations.migrate(jdbi, Migrations.ALL);
                return storage;
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
        }

        /**
         * A pool whose connections are never retired (an in-memory database lives as long as one of its
         * connections does), handed out at READ COMMITTED and in auto-commit mode, as JDBI's users expect of
         * {@link #jdbi()} (a unit of work switches it off and back, which on H2 costs no round trip); it
         * opens its first connection here, so that a database that cannot be opened fails the build.
         */
        private static HikariDataSource pool(String url, String user, String password, int size) {
            HikariConfig c = new HikariConfig();
            c.setJdbcUrl(url);
            c.setUsername(user == null ? "" : user);
            c.setPassword(password == null ? "" : password);
            c.setMaximumPoolSize(size);
            c.setMinimumIdle(1);
            c.setIdleTimeout(0);
            c.setMaxLifetime(0);
            c.setAutoCommit(true);
            c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
            c.setConnectionTimeout(java.util.concurrent.TimeUnit.SECONDS.toMillis(30));
            c.setPoolName("billing-h2");
            try {
                return new HikariDataSource(c);
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw SqlErrors.translate("opening " + H2Url.parse(url).base(), cause);
            }
        }

        private static void once(Object current, String name) {
            if (current != null) {
                throw new IllegalStateException(name + " is set already");
            }
        }
    }

    /**
     * @return the dialect of the database behind {@code jdbi}
     * @throws StorageException when the database cannot be reached, or is a MariaDB that would truncate
     *     out-of-range values instead of refusing them (no strict SQL mode) or compares text without case
     */
    private static Dialect detect(Jdbi jdbi) {
        try (Handle h = Migrations.open(jdbi)) {
            Dialect d = Dialect.of(h.getConnection());
            if (d == Dialect.MARIADB) {
                String mode = h.createQuery("SELECT @@SESSION.sql_mode").mapTo(String.class).one();
                if (!mode.contains("STRICT_TRANS_TABLES") && !mode.contains("STRICT_ALL_TABLES")) {
                    throw new StorageException("MariaDB must run in a strict SQL mode (STRICT_TRANS_TABLES), so that"
                            + " a value a column cannot hold is refused, not truncated; sql_mode is '" + mode + "'");
                }
                String collation = h.createQuery("SELECT @@collation_database").mapTo(String.class).one();
                if (!collation.endsWith("_bin")) {
                    throw new StorageException("the MariaDB database must have a binary collation (CREATE DATABASE ..."
                            + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin), so that namespaces, keys and event ids are"
                            + " case-sensitive as on every other storage; it has " + collation);
                }
            }
            return d;
        } catch (JdbiException | java.sql.SQLException e) {
            throw SqlErrors.translate("connecting to the database", e);
        }
    }

    /**
     * Checks that an {@code UPDATE} that changes nothing still counts the row it matched: the storage
     * takes row locks that way (a period's close, a profile change), and reads a count of 0 as "no such
     * row". MariaDB's driver counts matched rows unless {@code useAffectedRows=true}, which is refused.
     */
    private void checkRowCounts() {
        try (Handle h = Migrations.open(jdbi)) {
            int matched = h.createUpdate("UPDATE billing_schema_lock SET id = id WHERE id = 1").execute();
            if (matched != 1) {
                throw new StorageException("an UPDATE that changes nothing counted " + matched + " rows instead of the"
                        + " row it matched; the storage locks rows that way (on MariaDB, remove useAffectedRows=true"
                        + " from the JDBC URL)");
            }
        } catch (JdbiException e) {
            throw SqlErrors.translate("checking row counts", e);
        }
    }

    /** @return the database this storage runs on */
    Dialect dialect() {
        return dialect;
    }

    /** Runs one store (and sync) at start-up, so that a user without the rights for it fails now. */
    private void checkSettings() {
        if (groupSync != null) {
            groupSync.awaitSync();
        }
    }
}
