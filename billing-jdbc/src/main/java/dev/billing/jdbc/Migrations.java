package dev.billing.jdbc;

import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.StorageException;
import dev.billing.spi.TransientStorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.TemplateEngine;
import org.jdbi.v3.core.transaction.TransactionException;

/**
 * The schema, as numbered SQL scripts applied in order at start-up.
 *
 * <p>Applied versions are recorded in {@code billing_schema_version} (version primary key, description,
 * checksum of the script, time applied). Migrating is a no-op when every known version is recorded. A
 * migration runs while the migrator holds a row lock on {@code billing_schema_lock} through a separate
 * connection, so concurrent start-ups, in this process or in others sharing the database, apply each
 * script once: the others wait for the lock, then find the versions recorded. The lock is held by an
 * open transaction, so a migrator that dies releases it. Should two migrators still race (a database
 * without row locks, or a lock time-out), the primary key on {@code version} makes the loser's insert
 * fail; it then re-reads the recorded versions. The bookkeeping tables themselves are created under
 * PostgreSQL's advisory lock there (its {@code CREATE TABLE IF NOT EXISTS} fails a concurrent creator),
 * and a start-up that still finds one created meanwhile tries again. Scripts are idempotent
 * ({@code IF NOT EXISTS}), because H2 and MariaDB commit DDL at once and cannot roll a half-applied
 * script back. One set of scripts
 * serves every database: each statement is rendered in the connection's {@link Dialect}, and the
 * checksum is the script's as written, so it is the same on all of them. A script for one database only
 * (V12 and V15, MariaDB's procedure) is one statement, applied there and recorded, with nothing applied, on the
 * others; a recorded procedure the database lacks (restored from a dump without its routines) is created again,
 * by the newest script that creates it.
 *
 * <p>Start-up fails when the database records a version this library does not know (it was migrated by
 * a newer release) or when a recorded checksum differs from the script's (the script was edited after
 * release). Stateless and thread-safe.
 */
final class Migrations {

    private static final System.Logger LOG = System.getLogger(Migrations.class.getName());

    /** Where the scripts live, as class-path resources. */
    static final String RESOURCE_DIR = "/dev/billing/jdbc/migrations/";

    /** The known migrations, in order. */
    static final List<Migration> ALL = List.of(
            new Migration(1, "wallet", "V1__wallet.sql"),
            new Migration(2, "metering", "V2__metering.sql"),
            new Migration(3, "responses", "V3__responses.sql"),
            new Migration(4, "cycles", "V4__cycles.sql"),
            new Migration(5, "usage totals", "V5__usage_totals.sql"),
            new Migration(6, "account debt", "V6__account_debt.sql"),
            new Migration(7, "events", "V7__events.sql"),
            new Migration(8, "payments", "V8__payments.sql"),
            new Migration(9, "coupons", "V9__coupons.sql"),
            new Migration(10, "plan versions", "V10__plan_versions.sql"),
            new Migration(11, "low balance", "V11__low_balance.sql"),
            new Migration(12, "mariadb apply and append", "V12__mariadb_apply_and_append.sql", Dialect.MARIADB),
            new Migration(13, "renewed ahead", "V13__renewed_ahead.sql"),
            new Migration(14, "accounts dunning", "V14__accounts_dunning.sql"),
            new Migration(15, "mariadb apply and append, dunning", "V15__mariadb_apply_and_append_dunning.sql",
                    Dialect.MARIADB));

    /** The name of the procedure a script creates. */
    private static final java.util.regex.Pattern ROUTINE = java.util.regex.Pattern.compile(
            "(?im)^CREATE\\s+(?:OR\\s+REPLACE\\s+)?PROCEDURE\\s+(\\w+)");

    private static final int BOOTSTRAP_ATTEMPTS = 10;
    /** PostgreSQL's advisory lock key for the bookkeeping tables' creation ("billing" in ASCII). */
    static final long BOOTSTRAP_LOCK_KEY = 0x62696C6C696E67L;
    /** PostgreSQL {@code duplicate_table}. */
    private static final String PG_DUPLICATE_TABLE = "42P07";
    /** SQL state of "table already exists" on H2 and MariaDB. */
    private static final String TABLE_EXISTS = "42S01";
    private static final int LOCK_ATTEMPTS = 30;

    private static final String CREATE_VERSION_TABLE = """
            CREATE TABLE IF NOT EXISTS billing_schema_version (
                version     INT          NOT NULL,
                description VARCHAR(255) NOT NULL,
                checksum    VARCHAR(64)  NOT NULL,
                applied_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL,
                CONSTRAINT billing_schema_version_pk PRIMARY KEY (version)
            )""";

    private static final String CREATE_LOCK_TABLE = """
            CREATE TABLE IF NOT EXISTS billing_schema_lock (
                id        INT NOT NULL,
                locked_at TIMESTAMP(6) WITH TIME ZONE,
                CONSTRAINT billing_schema_lock_pk PRIMARY KEY (id)
            )""";

    private Migrations() {
    }

    /**
     * One numbered script.
     *
     * @param version the version, unique, from 1
     * @param description a few words
     * @param resource the script's file name under {@link #RESOURCE_DIR}
     * @param only the one database the script changes, as one statement, or {@code null} for all
     */
    record Migration(int version, String description, String resource, Dialect only) {

        Migration {
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(resource, "resource");
        }

        /** A migration for every database. */
        Migration(int version, String description, String resource) {
            this(version, description, resource, null);
        }

        /** @return the script, with line ends normalised to {@code \n} */
        String script() {
            try (InputStream in = Migrations.class.getResourceAsStream(RESOURCE_DIR + resource)) {
                if (in == null) {
                    throw new IllegalStateException("migration script missing from the class path: " + resource);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read migration script " + resource, e);
            }
        }

        /** @return the SHA-256 of the normalised script, in hex */
        String checksum() {
            try {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                return HexFormat.of().formatHex(sha.digest(script().getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }

        /**
         * @return the script's statements, comments removed; a migration for one database only is one
         *     statement (procedural code, whose semicolons are its own)
         */
        List<String> statements() {
            return only == null ? split(script()) : List.of(withoutComments(script()));
        }

        /** @return the procedure a migration for one database creates, or {@code null} */
        String routine() {
            java.util.regex.Matcher created = ROUTINE.matcher(script());
            return only != null && created.find() ? created.group(1) : null;
        }

        /** @return whether the migration changes a database of this dialect (every dialect records it) */
        boolean appliesTo(Dialect dialect) {
            return only == null || only == dialect;
        }
    }

    /**
     * Brings the schema up to date.
     *
     * @param jdbi the database
     * @param migrations the known migrations, in version order
     * @return the versions this call applied (empty when the schema was up to date)
     * @throws StorageException when the database fails, records an unknown version, or a checksum differs
     */
    static List<Integer> migrate(Jdbi jdbi, List<Migration> migrations) {
        bootstrap(jdbi);
        if (pending(readApplied(jdbi), migrations).isEmpty()) {
            restoreRoutines(jdbi, migrations);
            return List.of();
        }
        List<Integer> applied = new ArrayList<>();
        try (Handle lock = open(jdbi)) {
            acquire(lock);
            try {
                for (Migration m : pending(readApplied(jdbi), migrations)) {
                    if (apply(jdbi, m)) {
                        applied.add(m.version());
                        LOG.log(System.Logger.Level.INFO, "billing schema: applied V{0} ({1})", m.version(),
                                m.description());
                    }
                }
            } finally {
                release(lock);
            }
        } catch (JdbiException e) {
            throw SqlErrors.translate("schema migration", e);
        }
        return List.copyOf(applied);
    }

    /**
     * Creates again a recorded migration's procedure that the database lacks: a dump taken without its
     * routines ({@code mariadb-dump} without {@code --routines}) restores the tables and the recorded
     * versions, not the procedure, and every credit would then fail.
     */
    private static void restoreRoutines(Jdbi jdbi, List<Migration> migrations) {
        try (Handle h = open(jdbi)) {
            java.util.Set<String> newest = new java.util.HashSet<>();
            List<Migration> newestFirst = new java.util.ArrayList<>(migrations);
            java.util.Collections.reverse(newestFirst);
            for (Migration m : newestFirst) {
                String routine = m.routine();
                if (routine == null || !m.appliesTo(dialect(h)) || !newest.add(routine)) {
                    continue; // a later script replaced this one's procedure
                }
                boolean present = h.createQuery("SELECT COUNT(*) FROM information_schema.ROUTINES"
                        + " WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = :name")
                        .bind("name", routine).mapTo(Long.class).one() > 0;
                if (!present) {
                    LOG.log(System.Logger.Level.WARNING, "billing schema: the procedure {0} of V{1} was missing"
                            + " (a dump without its routines?); created again", routine, m.version());
                    h.execute(m.statements().get(0));
                }
            }
        } catch (JdbiException e) {
            throw SqlErrors.translate("checking the schema's procedures", e);
        }
    }

    /** @return the recorded versions and their checksums */
    static Map<Integer, String> readApplied(Jdbi jdbi) {
        try (Handle h = open(jdbi)) {
            Map<Integer, String> applied = new TreeMap<>();
            h.createQuery("SELECT version, checksum FROM billing_schema_version")
                    .map((rs, ctx) -> Map.entry(rs.getInt(1), rs.getString(2)))
                    .forEach(e -> applied.put(e.getKey(), e.getValue()));
            return applied;
        } catch (JdbiException e) {
            throw SqlErrors.translate("reading the schema version", e);
        }
    }

    private static List<Migration> pending(Map<Integer, String> applied, List<Migration> migrations) {
        int newest = migrations.stream().mapToInt(Migration::version).max().orElse(0);
        for (int version : applied.keySet()) {
            if (version > newest) {
                throw new StorageException("the database schema is at version " + version
                        + ", newer than this library knows (" + newest + "); use a newer release");
            }
        }
        List<Migration> pending = new ArrayList<>();
        for (Migration m : migrations) {
            String checksum = applied.get(m.version());
            if (checksum == null) {
                pending.add(m);
            } else if (!checksum.equals(m.checksum())) {
                throw new StorageException("migration V" + m.version() + " (" + m.resource()
                        + ") differs from the script applied to this database (checksum " + checksum + ")");
            }
        }
        return pending;
    }

    /** Creates the bookkeeping tables and the lock row; retries the races of concurrent start-ups. */
    static void bootstrap(Jdbi jdbi) {
        for (int attempt = 1;; attempt++) {
            try (Handle h = open(jdbi)) {
                // the bookkeeping tables and the lock row in one transaction of their own
                begin(h);
                try {
                    if (dialect(h) == Dialect.POSTGRESQL) {
                        // CREATE TABLE IF NOT EXISTS is not atomic there: two start-ups can both see no
                        // table, and the second then fails with 42P07; this lock ends with the transaction
                        h.execute("SELECT pg_advisory_xact_lock(" + BOOTSTRAP_LOCK_KEY + ")");
                    }
                    h.execute(dialect(h).render(CREATE_VERSION_TABLE));
                    h.execute(dialect(h).render(CREATE_LOCK_TABLE));
                    boolean present = h.createQuery("SELECT COUNT(*) FROM billing_schema_lock WHERE id = 1")
                            .mapTo(Long.class).one() > 0;
                    if (!present) {
                        h.execute("INSERT INTO billing_schema_lock (id, locked_at) VALUES (1, NULL)");
                    }
                    commit(h);
                } catch (JdbiException e) {
                    rollback(h);
                    throw e;
                }
                return;
            } catch (JdbiException e) {
                StorageException s = SqlErrors.translate("creating the schema version table", e);
                boolean race = s instanceof DuplicateKeyException || s instanceof TransientStorageException
                        || tableAlreadyExists(e);
                if (!race || attempt >= BOOTSTRAP_ATTEMPTS) {
                    throw s;
                }
            }
        }
    }

    /** @return whether {@code e} says a table this start-up creates was created meanwhile by another */
    private static boolean tableAlreadyExists(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql
                    && (PG_DUPLICATE_TABLE.equals(sql.getSQLState()) || TABLE_EXISTS.equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static void acquire(Handle lock) {
        for (int attempt = 1;; attempt++) {
            try {
                begin(lock);
                lock.createUpdate("UPDATE billing_schema_lock SET locked_at = :now WHERE id = 1")
                        .bind("now", JdbiSession.timestamp(Instant.now()))
                        .execute();
                return;
            } catch (JdbiException e) {
                StorageException s = SqlErrors.translate("locking the schema", e);
                try {
                    rollback(lock);
                } catch (JdbiException ignored) {
                    // the handle is closed by the caller
                }
                if (!(s instanceof TransientStorageException) || attempt >= LOCK_ATTEMPTS) {
                    throw s;
                }
            }
        }
    }

    private static void release(Handle lock) {
        commit(lock);
    }

    /** @return whether this call applied {@code m} (false when a concurrent migrator recorded it first) */
    private static boolean apply(Jdbi jdbi, Migration m) {
        try (Handle h = open(jdbi)) {
            begin(h);
            try {
                if (m.appliesTo(dialect(h))) {
                    for (String statement : m.statements()) {
                        h.execute(dialect(h).render(statement));
                    }
                }
                h.createUpdate("""
                        INSERT INTO billing_schema_version (version, description, checksum, applied_at)
                        VALUES (:version, :description, :checksum, :appliedAt)""")
                        .bind("version", m.version())
                        .bind("description", m.description())
                        .bind("checksum", m.checksum())
                        .bind("appliedAt", JdbiSession.timestamp(Instant.now()))
                        .execute();
                commit(h);
                return true;
            } catch (JdbiException e) {
                rollback(h);
                StorageException s = SqlErrors.translate("migration V" + m.version(), e);
                if (s instanceof DuplicateKeyException && readApplied(jdbi).containsKey(m.version())) {
                    return false;
                }
                throw s;
            }
        }
    }

    /**
     * @return a handle for work outside units of work (the schema, start-up checks, H2's checkpoints); its
     *     transactions are begun and ended on the connection ({@link #begin}, {@link #commit}), since a
     *     pool may hand connections out without auto-commit, which JDBI's transaction handler takes for
     *     one inside a transaction already, and never commits
     */
    static Handle open(Jdbi jdbi) {
        Handle h = jdbi.open();
        h.getConfig(SqlStatements.class).setTemplateEngine(TemplateEngine.NOP);
        h.getConfig(Handles.class).setForceEndTransactions(false);
        try {
            h.define(Dialect.ATTRIBUTE, Dialect.of(h.getConnection()));
        } catch (java.sql.SQLException e) {
            h.close();
            throw SqlErrors.translate("reading the database's product name", e);
        }
        return h;
    }

    /** Begins a transaction on the handle's connection (auto-commit off until {@link #commit} or {@link #rollback}). */
    private static void begin(Handle h) {
        try {
            h.getConnection().setAutoCommit(false);
        } catch (SQLException e) {
            throw new TransactionException("beginning a transaction failed", e);
        }
    }

    private static void commit(Handle h) {
        end(h, true);
    }

    private static void rollback(Handle h) {
        end(h, false);
    }

    /** Commits or rolls back, and leaves the connection in auto-commit mode for the statements that follow. */
    private static void end(Handle h, boolean commit) {
        try {
            if (commit) {
                h.getConnection().commit();
            } else {
                h.getConnection().rollback();
            }
            h.getConnection().setAutoCommit(true);
        } catch (SQLException e) {
            throw new TransactionException((commit ? "commit" : "rollback") + " failed", e);
        }
    }

    private static Dialect dialect(Handle h) {
        return (Dialect) h.getConfig(SqlStatements.class).getAttribute(Dialect.ATTRIBUTE);
    }

    /**
     * Splits a script into statements at semicolons outside quotes, dropping {@code --} comments and
     * blank statements. Enough for the scripts for every database, which hold no procedural code.
     */
    static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (!single && !dbl && c == '-' && i + 1 < script.length() && script.charAt(i + 1) == '-') {
                int end = script.indexOf('\n', i);
                i = end < 0 ? script.length() : end;
                current.append('\n');
                continue;
            }
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            }
            if (c == ';' && !single && !dbl) {
                add(statements, current);
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        add(statements, current);
        return statements;
    }

    /** @return the script without its whole-line {@code --} comments */
    static String withoutComments(String script) {
        StringBuilder out = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                out.append(line).append('\n');
            }
        }
        return out.toString().strip();
    }

    private static void add(List<String> statements, StringBuilder current) {
        String s = current.toString().strip();
        if (!s.isEmpty()) {
            statements.add(s);
        }
    }
}
