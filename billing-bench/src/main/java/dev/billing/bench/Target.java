package dev.billing.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.billing.core.BillingEngine;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.jdbc.Durability;
import dev.billing.jdbc.JdbiStorage;
import dev.billing.spi.BillingStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * A storage to benchmark, and the raw-JDBC baseline beside it on a database of its own with the same
 * schema and the same durability: for H2's {@code H2_DEFAULT}, H2's default write delay; for
 * {@code PROCESS_CRASH}, what H2 itself offers for "written at commit" ({@code WRITE_DELAY=0}); for
 * PostgreSQL and MariaDB, their default commit. Server databases come from
 * {@code BILLING_BENCH_POSTGRES_URL} / {@code BILLING_BENCH_MARIADB_URL} (a JDBC URL with its user), in a
 * scratch schema or database dropped at the end.
 */
final class Target implements AutoCloseable {

    final BillingStorage storage;
    final BillingEngine engine;
    /** The baseline's connections, or {@code null} when there is none (in memory). */
    final DataSource baseline;
    private final Runnable cleanup;

    private Target(BillingStorage storage, DataSource baseline, Runnable cleanup) {
        this.storage = storage;
        this.engine = BillingEngine.builder().storage(storage).build();
        this.baseline = baseline;
        this.cleanup = cleanup;
    }

    static Target open(String name) throws IOException, SQLException {
        switch (name) {
            case "memory":
                return new Target(InMemoryStorage.create(), null, () -> { });
            case "h2-default":
            case "h2-process-crash": {
                Path dir = Files.createTempDirectory("billing-bench");
                Durability d = name.equals("h2-default") ? Durability.H2_DEFAULT : Durability.PROCESS_CRASH;
                JdbiStorage storage = JdbiStorage.builder().jdbcUrl("jdbc:h2:file:" + dir.resolve("engine")).user("sa")
                        .password("").durability(d).build();
                // the baseline's schema, made by the storage, then opened raw with H2's own setting
                JdbiStorage.h2File(dir.resolve("raw")).close();
                String raw = "jdbc:h2:file:" + dir.resolve("raw") + ";LOCK_TIMEOUT=10000"
                        + (d == Durability.PROCESS_CRASH ? ";WRITE_DELAY=0" : "");
                HikariDataSource pool = pool(raw, 8, "sa");
                return new Target(storage, pool, () -> {
                    storage.close();
                    pool.close();
                });
            }
            case "postgresql":
            case "mariadb": {
                String url = System.getenv(name.equals("postgresql") ? "BILLING_BENCH_POSTGRES_URL" : "BILLING_BENCH_MARIADB_URL");
                if (url == null) {
                    throw new IllegalStateException("set BILLING_BENCH_" + (name.equals("postgresql") ? "POSTGRES" : "MARIADB")
                            + "_URL to benchmark " + name);
                }
                String engineDb = scratch(name, url);
                String rawDb = scratch(name, url);
                HikariDataSource enginePool = pool(scratchUrl(name, url, engineDb), 8, null);
                HikariDataSource rawPool = pool(scratchUrl(name, url, rawDb), 8, null);
                JdbiStorage storage = JdbiStorage.of(enginePool);
                JdbiStorage.of(rawPool).close(); // the baseline's schema
                return new Target(storage, rawPool, () -> {
                    storage.close();
                    enginePool.close();
                    rawPool.close();
                    drop(name, url, engineDb);
                    drop(name, url, rawDb);
                });
            }
            default:
                throw new IllegalArgumentException("unknown target " + name);
        }
    }

    private static HikariDataSource pool(String url, int size, String user) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        if (user != null) {
            c.setUsername(user);
            c.setPassword("");
        }
        c.setMaximumPoolSize(size);
        c.setAutoCommit(false);
        return new HikariDataSource(c);
    }

    private static String scratch(String name, String url) throws SQLException {
        String db = "billing_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(name.equals("postgresql") ? "CREATE SCHEMA " + db
                    : "CREATE DATABASE " + db + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        return db;
    }

    private static String scratchUrl(String name, String url, String db) {
        if (name.equals("postgresql")) {
            return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + db;
        }
        return url.replaceFirst("/[^/?]*(\\?|$)", "/" + db + "$1");
    }

    private static void drop(String name, String url, String db) {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(name.equals("postgresql") ? "DROP SCHEMA " + db + " CASCADE" : "DROP DATABASE " + db);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        cleanup.run();
    }
}
