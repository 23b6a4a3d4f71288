package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.StorageException;
import dev.billing.spi.TransientStorageException;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.transaction.TransactionException;
import org.junit.jupiter.api.Test;

/** The translation table, on the exceptions drivers throw, wrapped as JDBI wraps them. */
class SqlErrorsTest {

    private static StorageException translate(SQLException e) {
        return SqlErrors.translate("test", new TransactionException("wrapped", new RuntimeException(e)));
    }

    @Test
    void uniqueViolations_areDuplicateKeys() {
        assertTrue(translate(new SQLException("h2/pg", "23505", 23505)) instanceof DuplicateKeyException);
        assertTrue(translate(new SQLException("pg", "23505", 0)) instanceof DuplicateKeyException);
        assertTrue(translate(new SQLException("mariadb", "23000", 1062)) instanceof DuplicateKeyException);
        assertTrue(translate(new SQLException("mariadb", "23000", 1586)) instanceof DuplicateKeyException);
        StorageException fk = translate(new SQLException("mariadb foreign key", "23000", 1452));
        assertEquals(StorageException.class, fk.getClass(), "other integrity violations are not duplicates");
    }

    @Test
    void contention_isTransient() {
        assertTrue(translate(new SQLException("h2 lock timeout", "HYT00", 50200)) instanceof TransientStorageException);
        assertTrue(translate(new SQLException("h2 deadlock", "40001", 40001)) instanceof TransientStorageException);
        assertTrue(translate(new SQLException("h2 concurrent update", "90131", 90131))
                instanceof TransientStorageException);
        assertTrue(translate(new SQLTransactionRollbackException("pg serialization", "40001"))
                instanceof TransientStorageException);
        assertTrue(translate(new SQLException("pg deadlock", "40P01")) instanceof TransientStorageException);
        assertTrue(translate(new SQLException("pg lock_timeout", "55P03")) instanceof TransientStorageException);
        assertTrue(translate(new SQLException("mariadb deadlock", "40001", 1213)) instanceof TransientStorageException);
        assertTrue(translate(new SQLException("mariadb lock wait", "HY000", 1205)) instanceof TransientStorageException);
    }

    @Test
    void anythingElse_isAPlainStorageException_withTheCauseKept() {
        ConnectionException cause = new ConnectionException(new SQLException("no such file", "08000", 8000));
        StorageException e = SqlErrors.translate("opening", cause);
        assertEquals(StorageException.class, e.getClass());
        assertSame(cause, e.getCause());
        assertTrue(e.getMessage().startsWith("opening failed: no such file"), e.getMessage());
        assertEquals(StorageException.class, SqlErrors.translate("x", new RuntimeException("no SQL at all")).getClass());
    }

    @Test
    void theNextExceptionChain_isSearchedToo() {
        SQLException batch = new SQLException("batch failed", "HY000", 0);
        batch.setNextException(new SQLException("duplicate", "23505", 23505));
        assertTrue(translate(batch) instanceof DuplicateKeyException);
    }

    @Test
    void storageExceptions_passThrough() {
        DuplicateKeyException already = new DuplicateKeyException("x", null);
        assertSame(already, SqlErrors.translate("y", already));
    }

    @Test
    void aCyclicCauseChain_ends() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertEquals(StorageException.class, SqlErrors.translate("cycle", a).getClass());
    }
}
