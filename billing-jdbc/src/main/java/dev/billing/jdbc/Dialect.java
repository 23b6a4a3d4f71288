package dev.billing.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * What differs between the databases the storage runs on, and nothing else: the column types of the
 * migration scripts, how an instant is bound and read, and which database a connection is on. The
 * scripts are written once, in standard SQL as H2 takes it; each other dialect replaces the few type
 * phrases it spells differently ({@code CHARACTER LARGE OBJECT}, and on MariaDB the zoned timestamp and
 * the identity column). Everything else (the SQL of every store, {@code FETCH FIRST}, the
 * conditional updates, the constraints) is the same on all three.
 *
 * <p>Instants are UTC with microsecond precision everywhere: {@code TIMESTAMP(6) WITH TIME ZONE} bound
 * as a UTC {@link OffsetDateTime} on H2 and PostgreSQL; on MariaDB, whose {@code TIMESTAMP} ends in 2038
 * and which has no zoned type, {@code DATETIME(6)} holding the UTC wall time, bound and read as a
 * {@link LocalDateTime} so that no driver or session time zone ever converts it.
 */
enum Dialect {
    H2("H2", List.of()),
    POSTGRESQL("PostgreSQL", List.of(
            Map.entry("CHARACTER LARGE OBJECT", "TEXT"))),
    MARIADB("MariaDB", List.of(
            Map.entry("TIMESTAMP(6) WITH TIME ZONE", "DATETIME(6)"),
            Map.entry("BIGINT GENERATED ALWAYS AS IDENTITY", "BIGINT NOT NULL AUTO_INCREMENT"),
            Map.entry("CHARACTER LARGE OBJECT", "LONGTEXT"),
            // MariaDB changes a column's nullability by restating the column (V4)
            Map.entry("ALTER TABLE subscriptions ALTER COLUMN started_at SET NOT NULL",
                    "ALTER TABLE subscriptions MODIFY COLUMN started_at DATETIME(6) NOT NULL"),
            Map.entry("ALTER TABLE statement_lines ALTER COLUMN offering_code DROP NOT NULL",
                    "ALTER TABLE statement_lines MODIFY COLUMN offering_code VARCHAR(255) NULL")));

    /** The statement attribute under which a handle carries its dialect (see {@link #of(StatementContext)}). */
    static final String ATTRIBUTE = "billing.dialect";

    private final String displayName;
    /** Phrases of the scripts and what this dialect says instead, applied in order. */
    private final List<Map.Entry<String, String>> rewrites;

    Dialect(String displayName, List<Map.Entry<String, String>> rewrites) {
        this.displayName = displayName;
        this.rewrites = rewrites;
    }

    /** @return the database's name as its makers write it */
    String displayName() {
        return displayName;
    }

    /**
     * @param connection a connection to the database
     * @return the database's dialect
     * @throws IllegalArgumentException for a database the storage does not support
     */
    static Dialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String p = product.toLowerCase(Locale.ROOT);
        if (p.equals("h2")) {
            return H2;
        }
        if (p.equals("postgresql")) {
            return POSTGRESQL;
        }
        if (p.equals("mariadb") || p.equals("mysql") && connection.getMetaData().getDatabaseProductVersion()
                .toLowerCase(Locale.ROOT).contains("mariadb")) {
            return MARIADB;
        }
        throw new IllegalArgumentException("unsupported database " + product + ": the storage runs on H2, PostgreSQL"
                + " and MariaDB");
    }

    /** @return the dialect the statement's handle carries; H2 when none is set */
    static Dialect of(StatementContext ctx) {
        Object d = ctx.getAttribute(ATTRIBUTE);
        return d instanceof Dialect dialect ? dialect : H2;
    }

    /** @return a migration script or DDL statement, written for H2 and PostgreSQL, in this dialect's SQL */
    String render(String sql) {
        String out = sql;
        for (Map.Entry<String, String> r : rewrites) {
            out = out.replace(r.getKey(), r.getValue());
        }
        return out;
    }

    /** Binds an instant (never null) as this dialect stores it, truncated to microseconds. */
    void bindInstant(PreparedStatement statement, int position, Instant instant) throws SQLException {
        Instant micros = instant.truncatedTo(ChronoUnit.MICROS);
        if (this == MARIADB) {
            statement.setObject(position, LocalDateTime.ofInstant(micros, ZoneOffset.UTC));
        } else {
            statement.setObject(position, micros.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
        }
    }

    /** Binds a typed SQL NULL where an instant goes. */
    void bindNullInstant(PreparedStatement statement, int position) throws SQLException {
        statement.setNull(position, this == MARIADB ? Types.TIMESTAMP : Types.TIMESTAMP_WITH_TIMEZONE);
    }

    /** @return the instant in {@code column}, or {@code null} */
    Instant readInstant(ResultSet rs, String column) throws SQLException {
        if (this == MARIADB) {
            LocalDateTime value = rs.getObject(column, LocalDateTime.class);
            return value == null ? null : value.toInstant(ZoneOffset.UTC);
        }
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
