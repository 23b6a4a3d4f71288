package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.billing.spi.TransientStorageException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL, whose driver asks the server for the isolation level every time: a connection the pool
 * hands out at {@code READ COMMITTED} is asked once, not per unit of work; one the pool hands out at
 * another level is put at {@code READ COMMITTED} every time, and every unit of work runs there; one moved
 * behind the storage's back is asked again after a transient failure.
 */
class PostgresReadCommittedTest {

    /** The pools' size: the migrations hold two connections at once. */
    private static final int SIZE = 2;

    @Test
    void aPoolAtReadCommitted_isAskedForItsLevelOncePerConnection() {
        try (ServerDatabase.Scratch scratch = ServerDatabase.POSTGRESQL.scratch();
                HikariDataSource pool = pool(scratch.url(), null)) {
            Counting counting = new Counting(pool);
            try (JdbiStorage storage = JdbiStorage.of(counting)) {
                int before = counting.asked.get();
                for (int i = 0; i < 10; i++) {
                    assertEquals("read committed", level(storage));
                }
                int asked = counting.asked.get() - before;
                assertTrue(asked >= 1 && asked <= SIZE, "asked " + asked + " times for " + SIZE + " connections");
                assertEquals(0, counting.set.get());
            }
        }
    }

    @Test
    void aPoolAtAnotherLevel_isPutAtReadCommittedForEveryUnitOfWork() {
        try (ServerDatabase.Scratch scratch = ServerDatabase.POSTGRESQL.scratch();
                HikariDataSource pool = pool(scratch.url(), "TRANSACTION_SERIALIZABLE")) {
            Counting counting = new Counting(pool);
            try (JdbiStorage storage = JdbiStorage.of(counting)) {
                int asked = counting.asked.get();
                int set = counting.set.get();
                for (int i = 0; i < 10; i++) {
                    assertEquals("read committed", level(storage));
                }
                // the pool puts its connections back at SERIALIZABLE each time it takes one back
                assertEquals(asked + 10, counting.asked.get());
                assertEquals(set + 10, counting.set.get());
            }
        }
    }

    /**
     * A remembered connection moved behind the storage's back (a host's {@code SET SESSION
     * CHARACTERISTICS}, which no pool sees) runs its units of work at the stronger level until one fails
     * as transient, as a serialization failure does; then it is asked again and put back.
     */
    @Test
    void aRememberedConnectionMovedBehindTheStoragesBack_isAskedAgainAfterATransientFailure() {
        try (ServerDatabase.Scratch scratch = ServerDatabase.POSTGRESQL.scratch();
                HikariDataSource pool = pool(scratch.url(), null)) {
            Counting counting = new Counting(pool);
            try (JdbiStorage storage = JdbiStorage.of(counting)) {
                // both connections at once (a unit of work inside another), each found at READ COMMITTED and
                // remembered, then moved
                String move = "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL SERIALIZABLE";
                storage.inTransaction(outer -> {
                    storage.inTransaction(inner -> ((JdbiSession) inner).handle().execute(move));
                    return ((JdbiSession) outer).handle().execute(move);
                });
                for (int i = 0; i < 5; i++) {
                    assertEquals("serializable", level(storage)); // remembered at READ COMMITTED: not asked
                }
                int asked = counting.asked.get();
                int set = counting.set.get();
                assertThrows(TransientStorageException.class, () -> storage.inTransaction(outer -> {
                    assertThrows(TransientStorageException.class, () -> storage.inTransaction(inner -> {
                        throw new TransientStorageException("could not serialize access (simulated)", null);
                    }));
                    throw new TransientStorageException("could not serialize access (simulated)", null);
                }));
                for (int i = 0; i < 10; i++) {
                    assertEquals("read committed", level(storage));
                }
                assertTrue(counting.asked.get() > asked, "not asked again after a transient failure");
                assertTrue(counting.set.get() > set, "not put back at READ COMMITTED");
            }
        }
    }

    /** @return the level a unit of work of the storage runs at, as the server says */
    private static String level(JdbiStorage storage) {
        return storage.inTransaction(s -> ((JdbiSession) s).handle().createQuery("SHOW transaction_isolation")
                .mapTo(String.class).one());
    }

    /** Few connections, so that units of work get the same ones again. */
    private static HikariDataSource pool(String url, String isolation) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(SIZE);
        if (isolation != null) {
            config.setTransactionIsolation(isolation);
        }
        return new HikariDataSource(config);
    }

    /** Counts the storage's reads and changes of its connections' isolation level. */
    private static final class Counting implements DataSource {
        final AtomicInteger asked = new AtomicInteger();
        final AtomicInteger set = new AtomicInteger();
        private final DataSource pool;

        Counting(DataSource pool) {
            this.pool = pool;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection c = pool.getConnection();
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("getTransactionIsolation")) {
                            asked.incrementAndGet();
                        } else if (method.getName().equals("setTransactionIsolation")) {
                            set.incrementAndGet();
                        }
                        try {
                            return method.invoke(c, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String user, String password) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {
        }

        @Override
        public void setLoginTimeout(int seconds) {
        }

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> iface) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> iface) {
            return false;
        }
    }
}
