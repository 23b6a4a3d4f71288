package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.StorageException;
import dev.billing.spi.TransientStorageException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link SqlErrors} on the real servers' real failures, not on hand-made exceptions: a broken unique
 * key, a deadlock and a lock time-out, provoked on PostgreSQL and MariaDB, are classified as the
 * storage promises (duplicate; transient, so the engine retries).
 */
class ServerSqlErrorsTest {

    private static final String INSERT = "INSERT INTO regions (id, description, status) VALUES ('r', 'd', 'available')";

    @ParameterizedTest
    @EnumSource(ServerDatabase.class)
    void aBrokenUniqueKey_isADuplicate(ServerDatabase server) {
        try (ServerDatabase.Scratch scratch = server.scratch(); JdbiStorage storage = JdbiStorage.of(scratch.dataSource());
                Handle h = storage.jdbi().open()) {
            h.execute(INSERT);
            JdbiException e = org.junit.jupiter.api.Assertions.assertThrows(JdbiException.class, () -> h.execute(INSERT));
            assertInstanceOf(DuplicateKeyException.class, SqlErrors.translate("insert", e), e.toString());
        }
    }

    @ParameterizedTest
    @EnumSource(ServerDatabase.class)
    void aDeadlock_isTransient(ServerDatabase server) throws Exception {
        try (ServerDatabase.Scratch scratch = server.scratch(); JdbiStorage storage = JdbiStorage.of(scratch.dataSource())) {
            try (Handle h = storage.jdbi().open()) {
                h.execute("INSERT INTO regions (id, description, status) VALUES ('a', 'd', 'available')");
                h.execute("INSERT INTO regions (id, description, status) VALUES ('b', 'd', 'available')");
            }
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                CountDownLatch bothLocked = new CountDownLatch(2);
                Future<StorageException> first = pool.submit(() -> crossUpdate(storage, "a", "b", bothLocked));
                Future<StorageException> second = pool.submit(() -> crossUpdate(storage, "b", "a", bothLocked));
                StorageException one = first.get(60, TimeUnit.SECONDS);
                StorageException other = second.get(60, TimeUnit.SECONDS);
                assertTrue(one != null ^ other != null, "exactly one of the two is the deadlock's victim: " + one + " / " + other);
                assertInstanceOf(TransientStorageException.class, one != null ? one : other);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Locks {@code mine}, waits until the other has locked its row, then updates the other's: a deadlock. */
    private static StorageException crossUpdate(JdbiStorage storage, String mine, String theirs, CountDownLatch bothLocked)
            throws InterruptedException {
        try (Handle h = storage.jdbi().open()) {
            h.begin();
            try {
                h.execute("UPDATE regions SET description = 'x' WHERE id = ?", mine);
                bothLocked.countDown();
                bothLocked.await(30, TimeUnit.SECONDS);
                h.execute("UPDATE regions SET description = 'y' WHERE id = ?", theirs);
                h.commit();
                return null;
            } catch (JdbiException e) {
                h.rollback();
                return SqlErrors.translate("update", e);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ServerDatabase.class)
    void aLockTimeout_isTransient(ServerDatabase server) throws Exception {
        try (ServerDatabase.Scratch scratch = server.scratch(); JdbiStorage storage = JdbiStorage.of(scratch.dataSource());
                Handle holder = storage.jdbi().open(); Handle waiter = storage.jdbi().open()) {
            holder.execute(INSERT);
            holder.begin();
            holder.execute("UPDATE regions SET description = 'held' WHERE id = 'r'");
            waiter.execute(server == ServerDatabase.POSTGRESQL ? "SET lock_timeout = '200ms'"
                    : "SET SESSION innodb_lock_wait_timeout = 1");
            waiter.begin();
            JdbiException e = org.junit.jupiter.api.Assertions.assertThrows(JdbiException.class,
                    () -> waiter.execute("UPDATE regions SET description = 'waited' WHERE id = 'r'"));
            waiter.rollback();
            holder.rollback();
            assertInstanceOf(TransientStorageException.class, SqlErrors.translate("update", e), e.toString());
        }
    }
}
