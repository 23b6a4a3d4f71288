package dev.billing.jdbc;

import static dev.billing.jdbc.Records.account;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.spi.StorageException;
import dev.billing.spi.SubscriptionRecord;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
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

    private static final List<String> V1_TABLES = List.of("ACCOUNTS", "BILLING_SCHEMA_LOCK", "BILLING_SCHEMA_VERSION",
            "IDEMPOTENCY_KEYS", "PLANS", "POSTINGS", "REGIONS", "SUBSCRIPTIONS", "TRANSACTIONS");
    private static final List<String> TABLES = List.of("ACCOUNTS", "BILLING_PROFILES", "BILLING_SCHEMA_LOCK",
            "BILLING_SCHEMA_VERSION", "COMMITMENTS", "COUPONS", "EVENTS", "EVENT_CURSORS", "EVENT_SEQUENCER", "HTTP_RESPONSES",
            "IDEMPOTENCY_KEYS", "PAYMENTS", "PLANS", "PLAN_VERSIONS", "POSTINGS", "RATES",
            "RATE_TIERS",
            "REGIONS", "STATEMENTS", "STATEMENT_ANCESTORS", "STATEMENT_LINES", "SUBSCRIPTIONS", "TRANSACTIONS", "USAGE_EVENTS",
            "USAGE_TOTALS");

    @TempDir
    Path dir;

    private String url(String name) {
        return "jdbc:h2:file:" + dir.resolve(name);
    }

    private static List<String> tables(JdbiStorage storage) {
        return tables(storage.jdbi());
    }

    private static List<String> tables(Jdbi jdbi) {
        try (Handle h = jdbi.open()) {
            return h.createQuery("""
                            SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES
                            WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY TABLE_NAME""")
                    .mapTo(String.class).list();
        }
    }

    /** @return every known version, in order */
    private static List<Integer> allVersions() {
        return Migrations.ALL.stream().map(Migrations.Migration::version).toList();
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
            assertEquals(Migrations.ALL.size(), rows.size());
            assertEquals(1, rows.get(0).get("version"));
            assertEquals("wallet", rows.get(0).get("description"));
            assertEquals(Migrations.ALL.get(0).checksum(), rows.get(0).get("checksum"));
            assertEquals(2, rows.get(1).get("version"));
            assertEquals("metering", rows.get(1).get("description"));
            assertEquals(Migrations.ALL.get(1).checksum(), rows.get(1).get("checksum"));
        }
    }

    @Test
    void aV1Database_isUpgradedToV2_keepingItsRows() {
        Jdbi v1 = Jdbi.create(url("upgrade") + ";OPTIMIZE_REUSE_RESULTS=0", "sa", "");
        // keep the in-process database open until the V1 rows are in
        try (Handle h = v1.open()) {
            assertEquals(List.of(1), Migrations.migrate(v1, Migrations.ALL.subList(0, 1)));
            assertEquals(V1_TABLES, tables(v1));
            h.execute("""
                    INSERT INTO accounts (namespace, currency, status, notification, balance, created_at)
                    VALUES ('from-v1', 'CNY', 'active', FALSE, 12.3400, TIMESTAMP WITH TIME ZONE '2016-09-26 09:27:04+00')""");
            h.execute("""
                    INSERT INTO subscriptions (id, namespace, plan_id, region, period_start, period_end, status,
                        transaction_id)
                    VALUES ('s1', 'from-v1', 'p', 'aws', TIMESTAMP WITH TIME ZONE '2016-09-26 09:27:04+00',
                        TIMESTAMP WITH TIME ZONE '2016-10-26 09:27:04+00', 'active', 't1')""");
        }
        try (JdbiStorage storage = JdbiStorage.h2File(dir.resolve("upgrade"))) {
            assertEquals(TABLES, tables(storage));
            assertEquals(allVersions(), versionRows(storage.jdbi()).stream().map(r -> r.get("version")).toList());
            assertEquals(0, new BigDecimal("12.34").compareTo(
                    storage.inTransaction(s -> s.accounts().findAccount("from-v1")).orElseThrow().balance()));
            // the V1 row is due for renewal through the V2 index
            assertEquals(List.of("s1"), storage.inTransaction(s -> s.subscriptions().listSubscriptionsDue(
                    Instant.parse("2016-10-26T09:27:04Z"), 10)).stream().map(SubscriptionRecord::id).toList());
        }
    }

    @Test
    void aV5Database_isUpgradedToV6_withEachAccountsDebtFromItsReceivablePostings() {
        Jdbi v5 = Jdbi.create(url("v5") + ";OPTIMIZE_REUSE_RESULTS=0", "sa", "");
        try (Handle h = v5.open()) {
            assertEquals(List.of(1, 2, 3, 4, 5), Migrations.migrate(v5, Migrations.ALL.subList(0, 5)));
            for (String ns : List.of("owes", "paid", "clear")) {
                h.execute("INSERT INTO accounts (namespace, currency, status, notification, balance, created_at)"
                        + " VALUES (?, 'USD', 'active', FALSE, 0, TIMESTAMP WITH TIME ZONE '2016-01-31 10:00:00+00')", ns);
            }
            // 'owes' was charged 7.25 it could not pay; 'paid' owed 3 and paid it off; 'clear' never owed
            post(h, "t1", "owes", "receivable:owes", "-7.25");
            post(h, "t2", "paid", "receivable:paid", "-3.00");
            post(h, "t3", "paid", "receivable:paid", "3.00");
            post(h, "t4", "clear", "wallet:clear", "5.00");
        }
        try (JdbiStorage storage = JdbiStorage.h2File(dir.resolve("v5"))) {
            assertEquals(allVersions(), versionRows(storage.jdbi()).stream().map(r -> r.get("version")).toList());
            assertEquals(0, new BigDecimal("7.25").compareTo(debt(storage, "owes")));
            assertEquals(0, debt(storage, "paid").signum());
            assertEquals(0, debt(storage, "clear").signum());
        }
    }

    @Test
    void aV13Database_isUpgradedToV14_markingTheAccountsWithASubscriptionPastDue_andWhenTheyWereLastNotified() {
        Jdbi v13 = Jdbi.create(url("v13") + ";OPTIMIZE_REUSE_RESULTS=0", "sa", "");
        try (Handle h = v13.open()) {
            assertEquals(13, Migrations.migrate(v13, Migrations.ALL.subList(0, 13)).size());
            for (String ns : List.of("late", "fine", "none")) {
                h.execute("INSERT INTO accounts (namespace, currency, status, notification, balance, created_at)"
                        + " VALUES (?, 'CNY', 'active', FALSE, 0, TIMESTAMP WITH TIME ZONE '2026-01-05 09:00:00+00')", ns);
            }
            subscription(h, "s1", "late", "past_due", "2026-02-06 09:00:00");
            subscription(h, "s2", "late", "expired", "2026-01-20 09:00:00");
            subscription(h, "s3", "fine", "active", null);
        }
        try (JdbiStorage storage = JdbiStorage.h2File(dir.resolve("v13"))) {
            assertEquals(allVersions(), versionRows(storage.jdbi()).stream().map(r -> r.get("version")).toList());
            var late = storage.inTransaction(s -> s.accounts().findAccount("late")).orElseThrow();
            assertTrue(late.pastDue());
            assertEquals(Instant.parse("2026-02-06T09:00:00Z"), late.notifiedAt(), "its subscriptions' latest");
            var fine = storage.inTransaction(s -> s.accounts().findAccount("fine")).orElseThrow();
            assertFalse(fine.pastDue());
            assertEquals(null, fine.notifiedAt());
            assertFalse(storage.inTransaction(s -> s.accounts().findAccount("none")).orElseThrow().pastDue());
        }
    }

    private static void subscription(Handle h, String id, String ns, String status, String notifiedAt) {
        h.execute("INSERT INTO subscriptions (id, namespace, plan_id, region, period_start, period_end, status,"
                + " transaction_id, started_at, notified_at) VALUES (?, ?, 'p', 'r',"
                + " TIMESTAMP WITH TIME ZONE '2026-01-05 09:00:00+00', TIMESTAMP WITH TIME ZONE '2026-02-05 09:00:00+00',"
                + " ?, 't', TIMESTAMP WITH TIME ZONE '2026-01-05 09:00:00+00',"
                + " CAST(? AS TIMESTAMP WITH TIME ZONE))", id, ns, status, notifiedAt == null ? null : notifiedAt + "+00");
    }

    private static void post(Handle h, String id, String ns, String account, String amount) {
        h.execute("INSERT INTO transactions (id, namespace, kind, amount, currency, description, payment_method,"
                + " balance_after, created_at) VALUES (?, ?, 'usage_charge', 1, 'USD', 'x', 'balance', 0,"
                + " TIMESTAMP WITH TIME ZONE '2016-02-29 10:00:00+00')", id, ns);
        long seq = h.createQuery("SELECT seq FROM transactions WHERE id = ?").bind(0, id).mapTo(Long.class).one();
        h.execute("INSERT INTO postings (transaction_seq, transaction_id, ledger_account, amount, currency)"
                + " VALUES (?, ?, ?, ?, 'USD')", seq, id, account, new BigDecimal(amount));
        h.execute("INSERT INTO postings (transaction_seq, transaction_id, ledger_account, amount, currency)"
                + " VALUES (?, ?, 'revenue:usage', ?, 'USD')", seq, id, new BigDecimal(amount).negate());
    }

    private static BigDecimal debt(JdbiStorage storage, String ns) {
        return storage.inTransaction(s -> s.accounts().findAccount(ns)).orElseThrow().debt();
    }

    @Test
    void aV3Database_isUpgradedToV4_keepingItsRows_andItsPeriodsGoOnWhereTheyEnd() {
        Jdbi v3 = Jdbi.create(url("v3") + ";OPTIMIZE_REUSE_RESULTS=0", "sa", "");
        try (Handle h = v3.open()) {
            assertEquals(List.of(1, 2, 3), Migrations.migrate(v3, Migrations.ALL.subList(0, 3)));
            h.execute("""
                    INSERT INTO accounts (namespace, currency, status, notification, balance, created_at)
                    VALUES ('from-v3', 'USD', 'active', FALSE, 50.0000, TIMESTAMP WITH TIME ZONE '2016-01-31 10:00:00.5+00')""");
            // laid out by a V3 engine in UTC: monthly from the opening
            h.execute("""
                    INSERT INTO billing_profiles (namespace, parent, kind, period_start, period_end)
                    VALUES ('from-v3', NULL, 'cloud', TIMESTAMP WITH TIME ZONE '2016-02-29 10:00:00+00',
                        TIMESTAMP WITH TIME ZONE '2016-03-31 10:00:00+00')""");
            h.execute("""
                    INSERT INTO subscriptions (id, namespace, plan_id, region, period_start, period_end, status,
                        transaction_id)
                    VALUES ('s1', 'from-v3', 'p', 'aws', TIMESTAMP WITH TIME ZONE '2016-02-29 10:00:00+00',
                        TIMESTAMP WITH TIME ZONE '2016-03-29 10:00:00+00', 'cancelled', 't1')""");
            h.execute("""
                    INSERT INTO statements (id, namespace, period_start, period_end, currency, charge_sub_total,
                        discount_total, charge_total, charge_hierarchy_total, total, transaction_id, created_at)
                    VALUES ('st1', 'from-v3', TIMESTAMP WITH TIME ZONE '2016-01-31 10:00:00+00',
                        TIMESTAMP WITH TIME ZONE '2016-02-29 10:00:00+00', 'USD', 10.0000, -1.0000, 9.0000, 0.0000,
                        9.0000, NULL, TIMESTAMP WITH TIME ZONE '2016-02-29 10:00:00+00')""");
            h.execute("""
                    INSERT INTO statement_lines (statement_id, line_no, offering_code, charge_type, category, quantity,
                        unit_of_measure, rate, amount, end_date, charge_details, charge_description)
                    VALUES ('st1', 0, 'commit-1', 'Commit Discount', 'DISCOUNT', 1, 'COUNT', 1, -1.0000, NULL, NULL, NULL)""");
        }
        try (JdbiStorage storage = JdbiStorage.h2File(dir.resolve("v3"))) {
            assertEquals(allVersions(), versionRows(storage.jdbi()).stream().map(r -> r.get("version")).toList());
            var profile = storage.inTransaction(s -> s.profiles().findBillingProfile("from-v3")).orElseThrow();
            assertEquals(Instant.parse("2016-03-31T10:00:00Z"), profile.periodEnd());
            assertEquals(null, profile.cycleLength(), "a V3 profile has no stored cycle until an engine writes it");
            SubscriptionRecord sub = storage.inTransaction(s -> s.subscriptions().listSubscriptions("from-v3")).get(0);
            assertEquals(sub.periodStart(), sub.startedAt());
            assertEquals("commit-1", storage.inTransaction(s -> s.statements().listStatementLines("st1")).get(0).offeringCode(),
                    "old statement lines are kept as they were");

            var clock = java.time.Clock.fixed(Instant.parse("2016-03-31T10:00:00Z"), java.time.ZoneOffset.UTC);
            var engine = dev.billing.core.BillingEngine.builder().storage(storage).clock(clock)
                    .zone(java.time.ZoneId.of("Asia/Shanghai")).build();
            var run = engine.runDue();
            assertTrue(run.failures().isEmpty(), run.failures().toString());
            assertEquals(1, run.statements());
            var completed = engine.accounts().billingProfile("from-v3");
            // the next period starts exactly where the stored one ended, whatever the engine's zone
            assertEquals(Instant.parse("2016-03-31T10:00:00Z"), completed.openPeriod().start());
            // and ends where the completed cycle (monthly from the opening, in the engine's zone) says
            assertEquals(Instant.parse("2016-04-30T10:00:00Z"), completed.openPeriod().end());
            assertEquals(java.time.ZoneId.of("Asia/Shanghai"), completed.zone());
            assertEquals(java.time.Period.ofMonths(1), completed.cycle());
            assertEquals(List.of("st1"), engine.charges().statements("from-v3").stream().skip(1).map(st -> st.id()).toList());
        }
    }

    @Test
    void reopening_isANoOp() {
        List<Map<String, Object>> first;
        try (JdbiStorage storage = JdbiStorage.h2File(dir.resolve("billing"))) {
            storage.inTransaction(s -> {
                s.accounts().insertAccount(account("hello"));
                return null;
            });
            first = versionRows(storage.jdbi());
        }
        try (JdbiStorage storage = JdbiStorage.h2File(dir.resolve("billing"))) {
            assertEquals(first, versionRows(storage.jdbi()), "version rows changed on reopen");
            assertEquals(List.of(), Migrations.migrate(storage.jdbi(), Migrations.ALL), "nothing left to apply");
            assertTrue(storage.inTransaction(s -> s.accounts().findAccount("hello")).isPresent());
        }
    }

    @Test
    void twoStoragesOnOneFile_shareTheDatabase() {
        try (JdbiStorage a = JdbiStorage.h2File(dir.resolve("billing"));
                JdbiStorage b = JdbiStorage.h2File(dir.resolve("billing"))) {
            a.inTransaction(s -> {
                s.accounts().insertAccount(account("from-a"));
                return null;
            });
            assertTrue(b.inTransaction(s -> s.accounts().findAccount("from-a")).isPresent());
            assertEquals(Migrations.ALL.size(), versionRows(b.jdbi()).size());
            assertSame(a.quiescence(), b.quiescence(), "one storage's store must wait for the other's transactions");
            try (JdbiStorage c = JdbiStorage.builder().jdbcUrl("jdbc:h2:" + dir.resolve("x/../billing")).user("sa")
                    .password("").build()) {
                assertSame(a.quiescence(), c.quiescence(), "the same file, however its URL is spelled");
            }
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
            assertEquals(Migrations.ALL.size(), applied, "each version is applied by exactly one starter");
            assertEquals(Migrations.ALL.size(), versionRows(jdbis.get(0)).size());
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
                h.execute("DROP TABLE statement_lines");
            }
        }
        try (JdbiStorage storage = JdbiStorage.h2File(dir.resolve("billing"))) {
            assertEquals(TABLES, tables(storage));
            assertEquals(Migrations.ALL.size(), versionRows(storage.jdbi()).size());
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
        assertTrue(Migrations.ALL.get(1).statements().size() >= 11);
    }
}
