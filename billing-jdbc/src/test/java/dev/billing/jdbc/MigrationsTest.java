package dev.billing.jdbc;

import static dev.billing.jdbc.Records.account;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.spi.StorageException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The versioned schema on H2 file databases. */
class MigrationsTest {

    private static final List<String> TABLES = List.of("ACCOUNTS", "BILLING_SCHEMA_LOCK", "BILLING_SCHEMA_VERSION",
            "IDEMPOTENCY_KEYS", "PLANS", "POSTINGS", "REGIONS", "SUBSCRIPTIONS", "TRANSACTIONS");

    @TempDir
    Path dir;

    private String url(String name) {
        return "jdbc:h2:file:" + dir.resolve(name);
    }

    private static List<String> tables(JdbiStorage storage) {
        try (Handle h = storage.jdbi().open()) {
            return h.createQuery("""
                            SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES
                            WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY TABLE_NAME""")
                    .mapTo(String.class).list();
        }
    }

    private static List<Map<String, Object>> versionRows(Jdbi jdbi) {
        try (Handle h = jdbi.open()) {
            return h.createQuery("SELECT * FROM billing_schema_version ORDER BY version").mapToMap().list();
        }
    }

    @Test
    void freshStart_createsTheSchema_andRecordsTheVersion() {
        try (JdbiStorage storage = JdbiStorage.h2File(dir.resolve("billing"))) {
            assertEquals(TABLES, tables(storage));
            List<Map<String, Object>> rows = versionRows(storage.jdbi());
            assertEquals(1, rows.size());
            assertEquals(1, rows.get(0).get("version"));
            assertEquals("wallet", rows.get(0).get("description"));
            assertEquals(Migrations.ALL.get(0).checksum(), rows.get(0).get("checksum"));
        }
    }

    @Test
    void reopening_isANoOp() {
        List<Map<String, Object>> first;
        try (JdbiStorage storage = JdbiStorage.h2File(dir.resolve("billing"))) {
            storage.inTransaction(s -> {
                s.insertAccount(account("hello"));
                return null;
            });
            first = versionRows(storage.jdbi());
        }
        try (JdbiStorage storage = JdbiStorage.h2File(dir.resolve("billing"))) {
            assertEquals(first, versionRows(storage.jdbi()), "version rows changed on reopen");
            assertEquals(List.of(), Migrations.migrate(storage.jdbi(), Migrations.ALL), "nothing left to apply");
            assertTrue(storage.inTransaction(s -> s.findAccount("hello")).isPresent());
        }
    }

    @Test
    void twoStoragesOnOneFile_shareTheDatabase() {
        try (JdbiStorage a = JdbiStorage.h2File(dir.resolve("billing"));
                JdbiStorage b = JdbiStorage.h2File(dir.resolve("billing"))) {
            a.inTransaction(s -> {
                s.insertAccount(account("from-a"));
                return null;
            });
            assertTrue(b.inTransaction(s -> s.findAccount("from-a")).isPresent());
            assertEquals(1, versionRows(b.jdbi()).size());
        }
    }

    @Test
    void concurrentStartUps_applyEachMigrationOnce() throws Exception {
        int starters = 6;
        ExecutorService pool = Executors.newFixedThreadPool(starters);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Integer>>> results = new ArrayList<>();
        List<Jdbi> jdbis = new ArrayList<>();
        for (int i = 0; i < starters; i++) {
            // separate connections to one database, as separate processes would have
            Jdbi jdbi = Jdbi.create(url("race") + ";LOCK_TIMEOUT=10000;OPTIMIZE_REUSE_RESULTS=0", "sa", "");
            jdbis.add(jdbi);
        }
        // keep the in-process database open between the racers' short-lived connections
        try (Handle keepOpen = jdbis.get(0).open()) {
            for (Jdbi jdbi : jdbis) {
                results.add(pool.submit(() -> {
                    go.await();
                    return Migrations.migrate(jdbi, Migrations.ALL);
                }));
            }
            go.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(2, TimeUnit.MINUTES));
            int applied = 0;
            for (Future<List<Integer>> f : results) {
                applied += f.get().size();
            }
            assertEquals(1, applied, "exactly one starter applies V1");
            assertEquals(1, versionRows(jdbis.get(0)).size());
            assertTrue(keepOpen.createQuery("SELECT COUNT(*) FROM accounts").mapTo(Long.class).one() == 0);
        }
    }

    @Test
    void aDatabaseFromANewerRelease_isRefused() {
        try (JdbiStorage storage = JdbiStorage.h2File(dir.resolve("billing"))) {
            try (Handle h = storage.jdbi().open()) {
                h.execute("""
                        INSERT INTO billing_schema_version (version, description, checksum, applied_at)
                        VALUES (99, 'future', 'x', CURRENT_TIMESTAMP)""");
            }
        }
        StorageException e = assertThrows(StorageException.class, () -> JdbiStorage.h2File(dir.resolve("billing")));
        assertTrue(e.getMessage().contains("99"), e.getMessage());
    }

    @Test
    void anEditedScript_isRefused() {
        try (JdbiStorage storage = JdbiStorage.h2File(dir.resolve("billing"))) {
            try (Handle h = storage.jdbi().open()) {
                h.execute("UPDATE billing_schema_version SET checksum = 'edited' WHERE version = 1");
            }
        }
        assertThrows(StorageException.class, () -> JdbiStorage.h2File(dir.resolve("billing")));
    }

    @Test
    void aHalfAppliedScript_isCompletedOnTheNextStart() {
        try (JdbiStorage storage = JdbiStorage.h2File(dir.resolve("billing"))) {
            try (Handle h = storage.jdbi().open()) {
                // as after a crash between the DDL (committed at once by H2) and the version row
                h.execute("DELETE FROM billing_schema_version");
                h.execute("DROP TABLE idempotency_keys");
            }
        }
        try (JdbiStorage storage = JdbiStorage.h2File(dir.resolve("billing"))) {
            assertEquals(TABLES, tables(storage));
            assertEquals(1, versionRows(storage.jdbi()).size());
        }
    }

    @Test
    void split_dropsCommentsAndKeepsQuotedSemicolons() {
        assertEquals(List.of("CREATE TABLE a (x INT)", "INSERT INTO a VALUES ('x;y -- z')", "SELECT \"a;b\" FROM a"),
                Migrations.split("""
                        -- a comment; with a semicolon
                        CREATE TABLE a (x INT); -- trailing
                        INSERT INTO a VALUES ('x;y -- z');
                        SELECT "a;b" FROM a
                        ;
                        """));
        assertTrue(Migrations.ALL.get(0).statements().size() >= 9);
    }
}
