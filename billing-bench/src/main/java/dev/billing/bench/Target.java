package dev.billing.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.billing.core.BillingEngine;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.jdbc.Durability;
import dev.billing.jdbc.JdbiStorage;
import dev.billing.spi.BillingStorage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * A storage to benchmark, and the raw-JDBC baseline beside it on a database of its own with the same
 * schema and the same durability: for H2's {@code H2_DEFAULT}, H2's default write delay; for
 * {@code PROCESS_CRASH}, what H2 itself offers for "written at commit" ({@code WRITE_DELAY=0}); for
 * PostgreSQL and MariaDB, their default commit. The H2 baseline, like the storage, runs without H2's
 * result cache ({@code OPTIMIZE_REUSE_RESULTS=0}), which would answer a repeated query without running
 * it. Server databases come from
 * {@code BILLING_BENCH_POSTGRES_URL} / {@code BILLING_BENCH_MARIADB_URL} (a JDBC URL with its user), in a
 * scratch schema or database dropped at the end; H2 files are in a temporary directory deleted at the end.
 */
final class Target implements AutoCloseable {

    /** The target's name, such as {@code h2-default}. */
    final String name;
    final BillingStorage storage;
    final BillingEngine engine;
    /**
     * Plain connections to the engine's own database, for loading bulk data in setup (never while the
     * engine works), or {@code null} when there is none (in memory).
     */
    final DataSource engineSql;
    /** The baseline's connections, or {@code null} when there is none (in memory). */
    final DataSource baseline;
    private final Runnable cleanup;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Cleans up when the fork ends without a tear-down (JMH skips it when a later setup fails). */
    private final Thread onExit = new Thread(this::close, "billing-bench-cleanup");

    private Target(String name, BillingStorage storage, Clock clock, DataSource engineSql, DataSource baseline,
            Runnable cleanup) {
        this.name = name;
        this.storage = storage;
        BillingEngine.Builder b = BillingEngine.builder().storage(storage);
        this.engine = (clock == null ? b : b.clock(clock)).build();
        this.engineSql = engineSql;
        this.baseline = baseline;
        this.cleanup = cleanup;
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /**
     * @return whether the baseline must sync the database to the device after each commit, as
     *     {@code POWER_LOSS} guarantees ({@code CHECKPOINT SYNC}: one fsync per commit, where the storage
     *     groups them)
     */
    boolean syncsEachCommit() {
        return name.equals("h2-power-loss");
    }

    static Target open(String name) throws IOException, SQLException {
        return open(name, null);
    }

    /**
     * @param name {@code memory}, {@code h2-default}, {@code h2-process-crash}, {@code h2-power-loss} (its
     *     baseline syncs after every commit: see {@link #syncsEachCommit()}), {@code postgresql} or {@code mariadb}
     * @param clock the engine's clock, or {@code null} for the system's
     */
    static Target open(String name, Clock clock) throws IOException, SQLException {
        switch (name) {
            case "memory":
                return new Target(name, InMemoryStorage.create(), clock, null, null, () -> { });
            case "h2-default":
            case "h2-process-crash":
            case "h2-power-loss": {
                Path dir = Files.createTempDirectory("billing-bench");
                Durability d = name.equals("h2-default") ? Durability.H2_DEFAULT
                        : name.equals("h2-process-crash") ? Durability.PROCESS_CRASH : Durability.POWER_LOSS;
                String engineUrl = "jdbc:h2:file:" + dir.resolve("engine");
                JdbiStorage storage = JdbiStorage.builder().jdbcUrl(engineUrl).user("sa")
                        .password("").durability(d).build();
                // the same database, shared in this process with the storage
                HikariDataSource engineSql = pool(engineUrl, 2, "sa", false);
                // the baseline's schema, made by the storage, then opened raw with H2's own setting
                JdbiStorage.h2File(dir.resolve("raw")).close();
                // no result cache, as the storage runs H2: a repeated query would otherwise be answered from it
                String raw = "jdbc:h2:file:" + dir.resolve("raw") + ";LOCK_TIMEOUT=10000;OPTIMIZE_REUSE_RESULTS=0"
                        + (d != Durability.H2_DEFAULT ? ";WRITE_DELAY=0" : "");
                HikariDataSource pool = pool(raw, 8, "sa", false);
                return new Target(name, storage, clock, engineSql, pool, () -> {
                    engineSql.close();
                    storage.close();
                    pool.close();
                    deleteTree(dir);
                });
            }
            case "postgresql":
            case "mariadb": {
                Scratch engineDb = Scratch.create(name);
                Scratch rawDb = Scratch.create(name);
                // as the README advises a host: auto-commit off and READ COMMITTED, so that neither the storage
                // nor the pool switches a connection per unit of work
                HikariDataSource enginePool = pool(engineDb.url, 8, null, true);
                HikariDataSource rawPool = pool(rawDb.url, 8, null, false);
                JdbiStorage storage = JdbiStorage.of(enginePool);
                JdbiStorage.of(rawPool).close(); // the baseline's schema
                return new Target(name, storage, clock, enginePool, rawPool, () -> {
                    storage.close();
                    enginePool.close();
                    rawPool.close();
                    engineDb.close();
                    rawDb.close();
                });
            }
            default:
                throw new IllegalArgumentException("unknown target " + name);
        }
    }

    /**
     * Brings the planner statistics of the engine's usage tables up to date on PostgreSQL and MariaDB (H2's
     * plans do not depend on them), as their background statistics do in a running system: PostgreSQL's
     * autovacuum analyzes a table once a tenth of its rows changed, at most once a minute, so in a
     * benchmark that fills an empty table within seconds its estimate stays at a few rows, and it then
     * looks event ids up by scanning the namespace's events instead of by primary key.
     */
    void analyze() throws SQLException {
        if (!name.equals("postgresql") && !name.equals("mariadb")) {
            return;
        }
        try (Connection c = engineSql.getConnection(); Statement s = c.createStatement()) {
            s.execute(name.equals("postgresql") ? "ANALYZE usage_events, usage_totals"
                    : "ANALYZE TABLE usage_events, usage_totals");
            if (!c.getAutoCommit()) {
                c.commit(); // PostgreSQL's ANALYZE is transactional: rolled back, it leaves no statistics
            }
        }
    }

    /**
     * @return the baseline's connections
     * @throws UnsupportedOperationException when the target has no SQL baseline (in memory): JMH reports
     *     the benchmark as failed with this message and goes on with the next
     */
    DataSource requireBaseline() {
        if (baseline == null) {
            throw new UnsupportedOperationException("target " + name + " has no SQL baseline: skipped");
        }
        return baseline;
    }

    /** @param forEngine whether the engine's storage uses it (then at READ COMMITTED) */
    private static HikariDataSource pool(String url, int size, String user, boolean forEngine) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        if (user != null) {
            c.setUsername(user);
            c.setPassword("");
        }
        c.setMaximumPoolSize(size);
        c.setAutoCommit(false); // as the README advises for the engine's pool, and as the baseline runs
        if (forEngine) {
            c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        }
        return new HikariDataSource(c);
    }

    /** Deletes a temporary directory; what cannot be deleted is reported, not thrown. */
    static void deleteTree(Path dir) {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("billing-bench: could not delete " + dir + ": " + e);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != onExit) {
            Runtime.getRuntime().removeShutdownHook(onExit);
        }
        cleanup.run();
    }

    /**
     * A scratch schema (PostgreSQL) or database (MariaDB) on the server that
     * {@code BILLING_BENCH_POSTGRES_URL} / {@code BILLING_BENCH_MARIADB_URL} names; {@link #close()} drops it.
     */
    static final class Scratch implements AutoCloseable {

        /** A JDBC URL of the scratch schema or database, with the user of the environment's URL. */
        final String url;
        private final String name;
        private final String server;
        private final String db;

        private Scratch(String name, String server, String db) {
            this.name = name;
            this.server = server;
            this.db = db;
            this.url = name.equals("postgresql") ? server + (server.contains("?") ? "&" : "?") + "currentSchema=" + db
                    : server.replaceFirst("/[^/?]*(\\?|$)", "/" + db + "$1");
        }

        /** @param name {@code postgresql} or {@code mariadb} */
        static Scratch create(String name) throws SQLException {
            String variable = name.equals("postgresql") ? "BILLING_BENCH_POSTGRES_URL" : "BILLING_BENCH_MARIADB_URL";
            String server = System.getenv(variable);
            if (server == null) {
                throw new IllegalStateException("set " + variable + " to benchmark " + name);
            }
            String db = "billing_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
                s.execute(name.equals("postgresql") ? "CREATE SCHEMA " + db
                        : "CREATE DATABASE " + db + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
            }
            return new Scratch(name, server, db);
        }

        @Override
        public void close() {
            try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
                s.execute(name.equals("postgresql") ? "DROP SCHEMA " + db + " CASCADE" : "DROP DATABASE " + db);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
