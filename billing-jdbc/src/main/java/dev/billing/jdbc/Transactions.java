package dev.billing.jdbc;

import dev.billing.spi.StorageWork;
import dev.billing.spi.TransientStorageException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.TemplateEngine;

/**
 * How {@link JdbiStorage} begins and ends a unit of work's database transaction: on the connection
 * itself rather than through JDBI's transaction handler, which reads and sets the isolation level and the
 * auto-commit mode around every transaction (six {@code SHOW TRANSACTION ISOLATION LEVEL} round trips per
 * unit of work on PostgreSQL, two {@code SET autocommit} on MariaDB).
 *
 * <p>The connection is put at {@code READ COMMITTED} unless it is there already (the usual case:
 * PostgreSQL's and H2's default, and what the README asks a pool to configure), and left there
 * ({@link #atReadCommitted}); a connection in auto-commit mode is switched out of it for the transaction
 * and back after, one that is not (a pool configured with auto-commit off, the cheaper way) is used as it
 * is.
 *
 * <p>Thread-safe.
 */
final class Transactions {

    private static final System.Logger LOG = System.getLogger(Transactions.class.getName());

    private final Dialect dialect;
    /**
     * PostgreSQL connections (the driver's, unwrapped from the pool's wrapper) found at
     * {@code READ COMMITTED} without being put there: their level is not asked again (a round trip).
     */
    private final Set<Connection> readCommitted =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    Transactions(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Runs {@code work} in one transaction on the handle's connection, committed when it returns (unless
     * a statement failed and the work swallowed it) and rolled back when it throws.
     *
     * @param session receives the unit of work's session, so that the caller can tell whether it wrote
     */
    <T> T run(Handle handle, StorageWork<T> work, JdbiSession[] session) {
        handle.getConfig(Handles.class).setForceEndTransactions(false); // the connection's mode is ours to end
        handle.getConfig(SqlStatements.class).setTemplateEngine(TemplateEngine.NOP);
        handle.define(Dialect.ATTRIBUTE, dialect);
        Connection c = handle.getConnection();
        boolean autoCommit;
        try {
            atReadCommitted(c);
            autoCommit = c.getAutoCommit();
            if (autoCommit) {
                c.setAutoCommit(false);
            }
        } catch (SQLException e) {
            throw SqlErrors.translate("beginning the transaction", e);
        }
        JdbiSession s = new JdbiSession(handle, dialect);
        session[0] = s;
        boolean committed = false;
        try {
            T value;
            try {
                value = work.run(s);
            } finally {
                s.close();
            }
            if (s.failure() != null) {
                throw s.swallowedFailure();
            }
            try {
                c.commit();
            } catch (SQLException e) {
                throw SqlErrors.translate("commit", e);
            }
            committed = true;
            return value;
        } catch (TransientStorageException e) {
            forget(c);
            throw e;
        } finally {
            try {
                if (!committed) {
                    c.rollback();
                }
                if (autoCommit) {
                    c.setAutoCommit(true);
                }
            } catch (SQLException e) {
                // the handle closes the connection next; a pool discards or resets it
                LOG.log(System.Logger.Level.WARNING, "ending a transaction failed: " + e);
            }
        }
    }

    /**
     * Puts the connection at {@code READ COMMITTED} unless it is there. On PostgreSQL, whose driver asks
     * the server for the level every time, a connection found there without being put there is
     * remembered and not asked again: a pool configured at {@code READ COMMITTED} (as the README asks)
     * keeps it there. One put there is asked every time, since a pool may reset it to its own default
     * when it takes it back. Whatever else could move a remembered connection (a host's own
     * {@code SET SESSION CHARACTERISTICS} on a pooled connection) can only raise its level (PostgreSQL
     * runs {@code READ UNCOMMITTED} as {@code READ COMMITTED}): its units of work then fail with
     * serialization failures where they would have waited for a row lock, which {@code READ COMMITTED}
     * never raises; each is transient, runs again, and makes the connection be asked again
     * ({@link #forget}), so the next attempt runs at {@code READ COMMITTED}.
     */
    private void atReadCommitted(Connection c) throws SQLException {
        Connection physical = dialect == Dialect.POSTGRESQL ? physical(c) : null;
        if (physical != null && readCommitted.contains(physical)) {
            return;
        }
        if (c.getTransactionIsolation() != Connection.TRANSACTION_READ_COMMITTED) {
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        } else if (physical != null) {
            readCommitted.add(physical);
        }
    }

    /** A transient failure: the connection is asked for its level again by its next unit of work. */
    private void forget(Connection c) {
        if (dialect == Dialect.POSTGRESQL) {
            Connection physical = physical(c);
            if (physical != null) {
                readCommitted.remove(physical);
            }
        }
    }

    /**
     * @return the driver's connection under a pool's wrapper (HikariCP's unwraps to it; a wrapper that
     *     answers with itself is remembered only as long as the pool keeps that wrapper), or {@code null}
     */
    private static Connection physical(Connection c) {
        try {
            return c.unwrap(Connection.class);
        } catch (SQLException e) {
            return null;
        }
    }
}
