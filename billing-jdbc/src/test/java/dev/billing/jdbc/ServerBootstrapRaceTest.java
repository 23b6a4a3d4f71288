package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Start-ups racing to create the schema's bookkeeping tables on an empty PostgreSQL or MariaDB
 * database, as several instances of a host do when they are deployed together: every one of them
 * succeeds. On PostgreSQL, {@code CREATE TABLE IF NOT EXISTS} is not atomic (two sessions can both find
 * no table, and the second fails with {@code 42P07} or a duplicate key in {@code pg_type}), so the
 * start-up serialises on an advisory lock there; the negative control shows the failure without it.
 */
class ServerBootstrapRaceTest {

    private static final int STARTERS = 8;
    private static final int ROUNDS = 12;

    @ParameterizedTest
    @EnumSource(ServerDatabase.class)
    void racingStartUps_allCreateOrFindTheBookkeepingTables(ServerDatabase server) throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            try (ServerDatabase.Scratch scratch = server.scratch()) {
                Jdbi jdbi = Jdbi.create(scratch.dataSource());
                assertEquals(List.of(), race(bootstrap(jdbi)), "round " + round + " on " + scratch);
                assertBookkeepingTables(jdbi);
            }
        }
    }

    /**
     * All the starters held at the bootstrap's lock at once, then let go together: each waits its turn,
     * and all succeed. The waiters counted in {@code pg_locks} show the race happened.
     */
    @Test
    void startUpsReleasedTogether_onPostgres_takeTurnsAtTheBootstrapLock() throws Exception {
        try (ServerDatabase.Scratch scratch = ServerDatabase.POSTGRESQL.scratch();
                Connection holder = DriverManager.getConnection(scratch.url());
                Statement s = holder.createStatement()) {
            Jdbi jdbi = Jdbi.create(scratch.dataSource());
            s.execute("SELECT pg_advisory_lock(" + Migrations.BOOTSTRAP_LOCK_KEY + ")");
            ExecutorService pool = Executors.newFixedThreadPool(STARTERS);
            try {
                List<Future<Void>> started = new ArrayList<>();
                for (int i = 0; i < STARTERS; i++) {
                    started.add(pool.submit(bootstrap(jdbi)));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                int waiting = 0;
                while (waiting < STARTERS && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                    waiting = waiters(s);
                }
                assertTrue(waiting >= STARTERS, "only " + waiting + " of " + STARTERS + " start-ups waited at the lock");
                s.execute("SELECT pg_advisory_unlock(" + Migrations.BOOTSTRAP_LOCK_KEY + ")");
                for (Future<Void> f : started) {
                    f.get(1, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertBookkeepingTables(jdbi);
        }
    }

    /**
     * The same race without the lock, each creator's transaction open a moment longer (as a start-up on
     * a loaded machine): PostgreSQL refuses the creators that overlap the first one.
     */
    @Test
    void negativeControl_unguardedCreateIfNotExists_failsOverlappingStartUpsOnPostgres() throws Exception {
        try (ServerDatabase.Scratch scratch = ServerDatabase.POSTGRESQL.scratch()) {
            List<Throwable> failures = race(() -> {
                try (Connection c = scratch.dataSource().getConnection(); Statement s = c.createStatement()) {
                    c.setAutoCommit(false);
                    try {
                        s.execute("CREATE TABLE IF NOT EXISTS racing_a (id INT PRIMARY KEY)");
                        s.execute("CREATE TABLE IF NOT EXISTS racing_b (id INT PRIMARY KEY)");
                        s.execute("SELECT pg_sleep(0.3)");
                        c.commit();
                    } finally {
                        c.rollback();
                        c.setAutoCommit(true);
                    }
                }
                return null;
            });
            assertFalse(failures.isEmpty(), "no unguarded creator failed: the race did not happen");
            for (Throwable failure : failures) {
                String state = failure instanceof SQLException sql ? sql.getSQLState() : null;
                assertTrue("42P07".equals(state) || "23505".equals(state), "an unexpected failure: " + failure);
            }
        }
    }

    private static Callable<Void> bootstrap(Jdbi jdbi) {
        return () -> {
            Migrations.bootstrap(jdbi);
            return null;
        };
    }

    private static void assertBookkeepingTables(Jdbi jdbi) {
        try (Handle h = jdbi.open()) {
            assertEquals(1L, h.createQuery("SELECT COUNT(*) FROM billing_schema_lock").mapTo(Long.class).one());
            assertEquals(0L, h.createQuery("SELECT COUNT(*) FROM billing_schema_version").mapTo(Long.class).one());
        }
    }

    /** @return the sessions waiting for the bootstrap's advisory lock */
    private static int waiters(Statement s) throws SQLException {
        long key = Migrations.BOOTSTRAP_LOCK_KEY;
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory'"
                + " AND NOT granted AND classid = " + (key >>> 32) + " AND objid = " + (key & 0xFFFFFFFFL))) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** @return what the starters threw, each running {@code start} at the same moment on its own thread */
    private static List<Throwable> race(Callable<Void> start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(STARTERS);
        try {
            CyclicBarrier go = new CyclicBarrier(STARTERS);
            List<Future<Void>> results = new ArrayList<>();
            for (int i = 0; i < STARTERS; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return start.call();
                }));
            }
            List<Throwable> failures = new ArrayList<>();
            for (Future<Void> f : results) {
                try {
                    f.get(1, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause() instanceof SQLException sql ? sql : e.getCause());
                }
            }
            return failures;
        } finally {
            pool.shutdownNow();
        }
    }
}
