package dev.billing.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * The database servers the tests run on besides H2: PostgreSQL at {@code BILLING_TEST_POSTGRES_URL} and
 * MariaDB at {@code BILLING_TEST_MARIADB_URL}, each a JDBC URL with its user (and password, if any) as
 * parameters, such as {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres} or
 * {@code jdbc:mariadb://127.0.0.1:3306/test?user=root}. Unset, the tests that need one are skipped, and
 * the run says so once per database on standard error. Every test class works in a scratch schema
 * (PostgreSQL) or database (MariaDB) of its own, so runs never see each other's rows.
 */
public enum ServerDatabase {
    /** PostgreSQL 15 or later. */
    POSTGRESQL("BILLING_TEST_POSTGRES_URL", "PostgreSQL"),
    /** MariaDB 10.11 or later. */
    MARIADB("BILLING_TEST_MARIADB_URL", "MariaDB");

    /** Tries of each property on PostgreSQL. */
    public static final int PROPERTY_TRIES = 30;
    /** Tries of each property on MariaDB, fewer: every commit waits for InnoDB's log flush, a global setting. */
    public static final int MARIADB_PROPERTY_TRIES = 15;

    private static final Pattern DATABASE_PATH = Pattern.compile("^(jdbc:[a-z]+://[^/?]+)/([^?]*)(\\?.*)?$");
    private static final ConcurrentHashMap<ServerDatabase, Boolean> SAID = new ConcurrentHashMap<>();

    private final String variable;
    private final String displayName;

    ServerDatabase(String variable, String displayName) {
        this.variable = variable;
        this.displayName = displayName;
    }

    /** @return the environment variable that holds the server's JDBC URL */
    public String variable() {
        return variable;
    }

    /** @return the server's JDBC URL, when the environment gives one */
    public Optional<String> url() {
        String url = System.getenv(variable);
        return url == null || url.isBlank() ? Optional.empty() : Optional.of(url.strip());
    }

    /**
     * Skips the calling test (a JUnit assumption) when the URL is not set, saying so once per run.
     *
     * @return the URL
     */
    public String require() {
        Optional<String> url = url();
        if (url.isEmpty() && SAID.putIfAbsent(this, true) == null) {
            System.err.println(displayName + " tests skipped: " + variable + " is not set (.ci/run sets it)");
        }
        Assumptions.assumeTrue(url.isPresent(), variable + " is not set: " + displayName + " tests skipped");
        return url.get();
    }

    /**
     * Creates a scratch schema (PostgreSQL) or database (MariaDB) for one test class; skips the test
     * when the server's URL is not set.
     *
     * @return the scratch, with a pooled data source on it; closing it drops it
     */
    public Scratch scratch() {
        String url = require();
        String name = "billing_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(this == POSTGRESQL ? "CREATE SCHEMA " + name : "CREATE DATABASE " + name
                    + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            throw new IllegalStateException(displayName + " at " + variable + " is unreachable: " + e.getMessage(), e);
        }
        return new Scratch(this, url, name, scratchUrl(url, name));
    }

    /** @return {@code url} on the schema (PostgreSQL) or database (MariaDB) {@code name} */
    String scratchUrl(String url, String name) {
        if (this == POSTGRESQL) {
            return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + name;
        }
        Matcher m = DATABASE_PATH.matcher(url);
        if (!m.matches()) {
            throw new IllegalStateException(variable + " is not jdbc:mariadb://host:port/database?...: " + url);
        }
        return m.group(1) + "/" + name + (m.group(3) == null ? "" : m.group(3));
    }

    /** A schema or database of one test class's own, and a connection pool on it. */
    public static final class Scratch implements AutoCloseable {
        private final ServerDatabase server;
        private final String adminUrl;
        private final String name;
        private final String url;
        private final HikariDataSource pool;

        Scratch(ServerDatabase server, String adminUrl, String name, String url) {
            this.server = server;
            this.adminUrl = adminUrl;
            this.name = name;
            this.url = url;
            this.pool = pool(server, url, 8);
        }

        /**
         * A pool as a host would configure it, with two settings for test speed on PostgreSQL, neither of
         * which changes what the storage guarantees: {@code synchronous_commit = off} (a commit returns
         * before its WAL is flushed; only a crash of the database server itself, which no test causes,
         * could lose it: the crash tests kill the engine's JVM), and {@code deadlock_timeout = 50ms} (the
         * deadlock two opposing parent changes make is found after 50 ms instead of a second).
         */
        static HikariDataSource pool(ServerDatabase server, String url, int size) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url);
            config.setMaximumPoolSize(size);
            config.setPoolName("billing-test");
            if (server == POSTGRESQL) {
                config.setConnectionInitSql("SET synchronous_commit = off; SET deadlock_timeout = '50ms'");
            }
            return new HikariDataSource(config);
        }

        /** @return the scratch's JDBC URL (for child JVMs) */
        public String url() {
            return url;
        }

        /** @return a pooled data source on the scratch */
        public DataSource dataSource() {
            return pool;
        }

        /** @return which server it is on */
        public ServerDatabase server() {
            return server;
        }

        @Override
        public String toString() {
            return server.displayName + " " + name;
        }

        /** Closes the pool and drops the schema or database. */
        @Override
        public void close() {
            pool.close();
            try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
                s.execute(server == POSTGRESQL ? "DROP SCHEMA " + name + " CASCADE" : "DROP DATABASE " + name);
            } catch (SQLException e) {
                throw new IllegalStateException("dropping " + this + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return displayName.toLowerCase(Locale.ROOT);
    }

    private net.jqwik.api.lifecycle.SkipExecutionHook.SkipResult skipUnlessSet() {
        if (url().isPresent()) {
            return net.jqwik.api.lifecycle.SkipExecutionHook.SkipResult.doNotSkip();
        }
        if (SAID.putIfAbsent(this, true) == null) {
            System.err.println(displayName + " tests skipped: " + variable + " is not set (.ci/run sets it)");
        }
        return net.jqwik.api.lifecycle.SkipExecutionHook.SkipResult.skip(variable + " is not set");
    }

    /** Skips a jqwik container when {@code BILLING_TEST_POSTGRES_URL} is not set. */
    public static final class OnPostgres implements net.jqwik.api.lifecycle.SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(net.jqwik.api.lifecycle.LifecycleContext context) {
            return POSTGRESQL.skipUnlessSet();
        }
    }

    /** Skips a jqwik container when {@code BILLING_TEST_MARIADB_URL} is not set. */
    public static final class OnMariaDb implements net.jqwik.api.lifecycle.SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(net.jqwik.api.lifecycle.LifecycleContext context) {
            return MARIADB.skipUnlessSet();
        }
    }
}
