package dev.billing.jdbc;

import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.StorageException;
import dev.billing.spi.TransientStorageException;
import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Turns database failures into the SPI's exceptions. JDBI wraps every {@link SQLException} (in
 * {@code UnableToExecuteStatementException}, {@code ConnectionException}, {@code TransactionException}
 * and others), so the whole cause chain, and each {@link SQLException#getNextException() next
 * exception}, is searched. Stateless and thread-safe.
 */
final class SqlErrors {

    /** SQL state of a unique-constraint violation on H2 and PostgreSQL. */
    static final String UNIQUE_VIOLATION = "23505";
    /** SQL state of an integrity-constraint violation; MariaDB uses it for duplicate keys too. */
    static final String INTEGRITY_VIOLATION = "23000";
    /** MariaDB/MySQL {@code ER_DUP_ENTRY}. */
    static final int MARIADB_DUP_ENTRY = 1062;
    /** MariaDB/MySQL {@code ER_DUP_ENTRY_WITH_KEY_NAME}. */
    static final int MARIADB_DUP_ENTRY_WITH_KEY_NAME = 1586;
    /** MariaDB/MySQL {@code ER_LOCK_WAIT_TIMEOUT}. */
    static final int MARIADB_LOCK_WAIT_TIMEOUT = 1205;
    /** MariaDB/MySQL {@code ER_LOCK_DEADLOCK}. */
    static final int MARIADB_DEADLOCK = 1213;
    /** SQL state of a serialization failure (SQL standard; H2's deadlock, MariaDB's deadlock). */
    static final String SERIALIZATION_FAILURE = "40001";
    /** PostgreSQL {@code deadlock_detected}. */
    static final String PG_DEADLOCK = "40P01";
    /** PostgreSQL {@code lock_not_available} (a {@code lock_timeout} expired). */
    static final String PG_LOCK_NOT_AVAILABLE = "55P03";
    /** H2 {@code ErrorCode.LOCK_TIMEOUT_1}. */
    static final int H2_LOCK_TIMEOUT = 50200;
    /** H2 {@code ErrorCode.DEADLOCK_1}. */
    static final int H2_DEADLOCK = 40001;
    /** H2 {@code ErrorCode.CONCURRENT_UPDATE_1}; also what H2 raises for a duplicate key that is not yet committed. */
    static final int H2_CONCURRENT_UPDATE = 90131;

    private static final int MAX_DEPTH = 64;

    private enum Kind { DUPLICATE, TRANSIENT, OTHER }

    private SqlErrors() {
    }

    /**
     * @param what the operation that failed, for the message
     * @param failure what the database or JDBI threw
     * @return the SPI exception to throw: {@link DuplicateKeyException}, {@link TransientStorageException}
     *     or a plain {@link StorageException}, with {@code failure} as its cause
     */
    static StorageException translate(String what, Throwable failure) {
        if (failure instanceof StorageException already) {
            return already;
        }
        SQLException sql = null;
        Kind kind = Kind.OTHER;
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        int depth = 0;
        for (Throwable t = failure; t != null && depth < MAX_DEPTH && seen.add(t); t = t.getCause(), depth++) {
            if (t instanceof SQLException e) {
                for (SQLException s = e; s != null && depth < MAX_DEPTH; s = s.getNextException(), depth++) {
                    if (sql == null) {
                        sql = s;
                    }
                    Kind k = classify(s);
                    if (k != Kind.OTHER) {
                        kind = k;
                        sql = s;
                        break;
                    }
                    if (s.getNextException() == s) {
                        break;
                    }
                }
                if (kind != Kind.OTHER) {
                    break;
                }
            }
        }
        String detail = sql != null ? sql.getMessage() : String.valueOf(failure.getMessage());
        String message = what + " failed: " + detail;
        return switch (kind) {
            case DUPLICATE -> new DuplicateKeyException(message, failure);
            case TRANSIENT -> new TransientStorageException(message, failure);
            case OTHER -> new StorageException(message, failure);
        };
    }

    private static Kind classify(SQLException e) {
        String state = e.getSQLState();
        int code = e.getErrorCode();
        if (UNIQUE_VIOLATION.equals(state)
                || (INTEGRITY_VIOLATION.equals(state)
                        && (code == MARIADB_DUP_ENTRY || code == MARIADB_DUP_ENTRY_WITH_KEY_NAME))) {
            return Kind.DUPLICATE;
        }
        if (SERIALIZATION_FAILURE.equals(state) || PG_DEADLOCK.equals(state) || PG_LOCK_NOT_AVAILABLE.equals(state)
                || code == H2_LOCK_TIMEOUT || code == H2_DEADLOCK || code == H2_CONCURRENT_UPDATE
                || code == MARIADB_LOCK_WAIT_TIMEOUT || code == MARIADB_DEADLOCK) {
            return Kind.TRANSIENT;
        }
        return Kind.OTHER;
    }
}
