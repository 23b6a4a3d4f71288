package dev.billing.jdbc;

import static dev.billing.jdbc.Records.T0;
import static dev.billing.jdbc.Records.account;
import static dev.billing.jdbc.Records.dec;
import static dev.billing.jdbc.Records.idempotency;
import static dev.billing.jdbc.Records.plan;
import static dev.billing.jdbc.Records.postings;
import static dev.billing.jdbc.Records.purchase;
import static dev.billing.jdbc.Records.recharge;
import static dev.billing.jdbc.Records.refund;
import static dev.billing.jdbc.Records.subscription;
import static dev.billing.jdbc.Records.wallet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.spi.AccountRecord;
import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.PlanRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.RegionRecord;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageSession;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.SubscriptionRecord;
import dev.billing.spi.TransactionRecord;
import dev.billing.spi.TransientStorageException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SPI on a real H2 file database: what is specific to a JDBC store. */
class JdbiStorageTest {

    @TempDir
    Path dir;

    private JdbiStorage storage;

    @BeforeEach
    void open() {
        storage = JdbiStorage.h2File(dir.resolve("billing"));
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private StorageSnapshot snapshot() {
        return JdbcSnapshots.of(storage);
    }

    private void run(Consumer<StorageSession> work) {
        storage.inTransaction(s -> {
            work.accept(s);
            return null;
        });
    }

    /** An account with a recharge of 100, a purchase of 20 and its refund, a subscription and a key. */
    private void seed() {
        run(s -> {
            s.catalog().putRegion(new RegionRecord("aws", "AWS", "available"));
            s.catalog().putPlan(plan("plan-small", "C", "20", "aws", "available"));
            s.accounts().insertAccount(account("hello"));
            TransactionRecord r = recharge("t1", "hello", "100", "100");
            s.ledger().appendTransaction(r, postings(r, "funding:recharge", dec("100")));
            s.accounts().applyBalanceDelta("hello", dec("100"), null);
            TransactionRecord p = purchase("t2", "hello", "20", "80");
            s.ledger().appendTransaction(p, postings(p, "revenue:plans", dec("-20")));
            s.accounts().applyBalanceDelta("hello", dec("-20"), BigDecimal.ZERO);
            s.subscriptions().insertSubscription(subscription("s1", "hello", T0, "t2"));
            s.idempotency().insertIdempotency(idempotency("hello", "k1", "t1"));
        });
    }

    // ------------------------------------------------------------------ round trips

    @Test
    void everyRecord_roundTripsExactly() {
        seed();
        StorageSnapshot snap = snapshot();
        assertEquals(List.of(new RegionRecord("aws", "AWS", "available")), snap.regions());
        PlanRecord plan = snap.plans().get(0);
        assertEquals(0, plan.price().compareTo(dec("20")));
        assertEquals(4, plan.price().scale(), "DECIMAL(19,4) reads back with scale 4");
        assertEquals(T0, plan.createdAt(), "microsecond instants read back equal");
        assertEquals(0, snap.accounts().get(0).balance().compareTo(dec("80")));
        assertEquals(List.of("t1", "t2"), snap.transactions().stream().map(TransactionRecord::id).toList());
        assertTrue(snap.transactions().get(0).seq() < snap.transactions().get(1).seq());
        assertNull(snap.transactions().get(0).planId());
        assertEquals("plan-small", snap.transactions().get(1).planId());
        assertEquals(4, snap.postings().size());
        assertEquals(List.of("funding:recharge", "wallet:hello", "revenue:plans", "wallet:hello"),
                snap.postings().stream().map(PostingRecord::ledgerAccount).toList(),
                "postings by transaction seq, then ledger account");
        SubscriptionRecord sub = snap.subscriptions().get(0);
        assertEquals(T0, sub.periodStart());
        assertEquals(T0.plusSeconds(86_400L * 30), sub.periodEnd());
        assertEquals("t1", snap.idempotency().get(0).transactionId());
        assertEquals(snap, snapshot(), "the snapshot is deterministic");
    }

    @Test
    void nullableColumns_roundTripAsNull() {
        run(s -> s.idempotency().insertIdempotency(idempotency("hello", "k0", null)));
        var r = storage.inTransaction(s -> s.idempotency().findIdempotency("hello", "k0")).orElseThrow();
        assertNull(r.transactionId());
        assertNull(r.balance());
        assertNull(r.status());
        assertEquals(Optional.empty(), storage.inTransaction(s -> s.idempotency().findIdempotency("hello", "other")));
    }

    @Test
    void instants_areKeptToTheMicrosecond() {
        Instant nanos = Instant.parse("2024-02-29T23:59:59.999999999Z");
        run(s -> s.accounts().insertAccount(new dev.billing.spi.AccountRecord("n", "CNY", "active", true, BigDecimal.ONE, BigDecimal.ZERO, nanos)));
        var a = storage.inTransaction(s -> s.accounts().findAccount("n")).orElseThrow();
        assertEquals(Instant.parse("2024-02-29T23:59:59.999999Z"), a.createdAt(), "truncated, never rounded up");
        assertTrue(a.notification());
    }

    @Test
    void catalog_putReplaces_andListsInOrder() {
        run(s -> {
            s.catalog().putRegion(new RegionRecord("b", "B", "available"));
            s.catalog().putRegion(new RegionRecord("a", "铸造一区", "available"));
            s.catalog().putRegion(new RegionRecord("b", "B2", "unavailable"));
            s.catalog().putPlan(plan("p3", "C", "40.88", "a", "available"));
            s.catalog().putPlan(plan("p2", "c", "20", "a", "available"));
            s.catalog().putPlan(plan("p1", "normal", "20", "a", "available"));
            s.catalog().putPlan(plan("p0", "C", "5", "a", "retired"));
            s.catalog().putPlan(plan("p9", "C", "1", "b", "available"));
            s.catalog().putPlan(plan("p3", "C", "40.8800", "a", "available"));
        });
        assertEquals(List.of(new RegionRecord("a", "铸造一区", "available"), new RegionRecord("b", "B2", "unavailable")),
                storage.inTransaction(s -> s.catalog().listRegions()));
        assertEquals(List.of("p0", "p1", "p2", "p3"), ids(storage.inTransaction(s -> s.catalog().listPlans("a", null, null))));
        assertEquals(List.of("p0", "p2", "p3"), ids(storage.inTransaction(s -> s.catalog().listPlans("a", "C", null))));
        assertEquals(List.of("p2", "p3"), ids(storage.inTransaction(s -> s.catalog().listPlans("a", "c", "available"))));
        assertEquals(List.of("p1"), ids(storage.inTransaction(s -> s.catalog().listPlans("a", "NORMAL", null))));
        assertEquals(5, snapshot().plans().size());
    }

    private static List<String> ids(List<PlanRecord> plans) {
        return plans.stream().map(PlanRecord::id).toList();
    }

    @Test
    void ledger_pagesNewestFirst_andDerivesRefundedBy() {
        seed();
        run(s -> {
            TransactionRecord r = refund("t3", "hello", "t2", "20", "100");
            s.ledger().appendTransaction(r, postings(r, "revenue:plans", dec("20")));
            TransactionRecord other = recharge("o1", "other", "1", "1");
            s.ledger().appendTransaction(other, postings(other, "funding:recharge", dec("1")));
        });
        List<TransactionRecord> page = storage.inTransaction(s -> s.ledger().listTransactions("hello", Long.MAX_VALUE, 2));
        assertEquals(List.of("t3", "t2"), page.stream().map(TransactionRecord::id).toList());
        assertEquals("t3", page.get(1).refundedBy());
        assertNull(page.get(0).refundedBy());
        List<TransactionRecord> next = storage.inTransaction(s -> s.ledger().listTransactions("hello", page.get(1).seq(), 2));
        assertEquals(List.of("t1"), next.stream().map(TransactionRecord::id).toList());
        assertEquals(List.of(), storage.inTransaction(s -> s.ledger().listTransactions("hello", Long.MAX_VALUE, 0)));
        assertEquals("t3", storage.inTransaction(s -> s.ledger().findTransaction("t2")).orElseThrow().refundedBy());
        assertEquals(0, storage.inTransaction(s -> s.ledger().sumPostings(wallet("hello"))).compareTo(dec("100")));
        assertEquals(0, storage.inTransaction(s -> s.ledger().sumPostings("nothing:here")).signum());
        Map<String, BigDecimal> sums = storage.inTransaction(s -> s.ledger().sumPostingsByCurrency());
        assertEquals(List.of("CNY"), List.copyOf(sums.keySet()));
        assertEquals(0, sums.get("CNY").signum());
        assertEquals("s1", storage.inTransaction(s -> s.subscriptions().findSubscriptionByTransaction("t2")).orElseThrow().id());
    }

    @Test
    void aRefusedValueThatTheWorkSwallows_stillUndoesTheUnit() {
        run(s -> s.accounts().insertAccount(account("hello")));
        StorageSnapshot before = snapshot();
        assertThrows(StorageException.class, () -> run(s -> {
            s.accounts().applyBalanceDelta("hello", dec("1"), null);
            try {
                s.accounts().applyBalanceDelta("hello", dec("0.00001"), null);
            } catch (StorageException swallowed) {
                // refused before any statement, yet the unit is spoiled as by a failed statement
            }
        }));
        assertEquals(before, snapshot());
    }

    @Test
    void amountsThatDecimal19_4WouldRound_areRefused() {
        run(s -> s.accounts().insertAccount(account("hello")));
        StorageSnapshot before = snapshot();
        assertThrows(StorageException.class, () -> run(s -> s.accounts().applyBalanceDelta("hello", dec("0.00001"), null)));
        assertThrows(StorageException.class,
                () -> run(s -> s.accounts().applyBalanceDelta("hello", dec("1000000000000000"), null)));
        run(s -> s.accounts().applyBalanceDelta("hello", dec("999999999999999.9999"), null));
        run(s -> s.accounts().applyBalanceDelta("hello", dec("-999999999999999.99990000"), null));
        assertEquals(0, snapshot().accounts().get(0).balance().signum());
        assertEquals(before, snapshot());
    }

    // ------------------------------------------------------------------ uniqueness

    @Test
    void duplicateAccount_isDuplicateKey_andCommitsNothing() {
        seed();
        expectDuplicateAndNoChange(s -> {
            s.catalog().putRegion(new RegionRecord("new", "written before the failure", "available"));
            s.accounts().insertAccount(account("hello"));
        });
    }

    @Test
    void duplicateTransactionId_isDuplicateKey_andCommitsNothing() {
        seed();
        expectDuplicateAndNoChange(s -> {
            s.accounts().applyBalanceDelta("hello", dec("5"), null);
            TransactionRecord t = recharge("t1", "hello", "5", "85");
            s.ledger().appendTransaction(t, postings(t, "funding:recharge", dec("5")));
        });
    }

    @Test
    void secondRefundOfOnePurchase_isDuplicateKey_andCommitsNothing() {
        seed();
        run(s -> {
            TransactionRecord r = refund("t3", "hello", "t2", "20", "100");
            s.ledger().appendTransaction(r, postings(r, "revenue:plans", dec("20")));
        });
        expectDuplicateAndNoChange(s -> {
            s.accounts().applyBalanceDelta("hello", dec("20"), null);
            TransactionRecord r = refund("t4", "hello", "t2", "20", "120");
            s.ledger().appendTransaction(r, postings(r, "revenue:plans", dec("20")));
        });
    }

    @Test
    void duplicateIdempotencyKey_isDuplicateKey_andCommitsNothing() {
        seed();
        expectDuplicateAndNoChange(s -> {
            s.accounts().updateAccountState("hello", "suspended", true);
            s.idempotency().insertIdempotency(idempotency("hello", "k1", null));
        });
        run(s -> s.idempotency().insertIdempotency(idempotency("other", "k1", null)));
    }

    @Test
    void duplicateSubscription_isDuplicateKey_andCommitsNothing() {
        seed();
        expectDuplicateAndNoChange(s -> s.subscriptions().insertSubscription(subscription("s1", "hello", T0, "t1")));
    }

    private void expectDuplicateAndNoChange(Consumer<StorageSession> work) {
        StorageSnapshot before = snapshot();
        assertThrows(DuplicateKeyException.class, () -> run(work));
        assertEquals(before, snapshot(), "the failed unit of work committed something");
    }

    // ------------------------------------------------------------------ rollback

    @Test
    void workThatThrows_isRolledBack_andItsExceptionPropagatesUnchanged() {
        seed();
        StorageSnapshot before = snapshot();
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> run(s -> {
            s.accounts().applyBalanceDelta("hello", dec("1"), null);
            TransactionRecord t = recharge("t9", "hello", "1", "81");
            s.ledger().appendTransaction(t, postings(t, "funding:recharge", dec("1")));
            s.catalog().putRegion(new RegionRecord("x", "x", "available"));
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals(before, snapshot());
        AssertionError error = new AssertionError("an Error");
        assertSame(error, assertThrows(AssertionError.class, () -> run(s -> {
            s.accounts().insertAccount(account("new"));
            throw error;
        })));
        assertEquals(before, snapshot());
    }

    @Test
    void eachArea_isOneStoreForTheWholeUnitOfWork() {
        run(s -> {
            assertSame(s.catalog(), s.catalog());
            assertSame(s.accounts(), s.accounts());
            assertSame(s.profiles(), s.profiles());
            assertSame(s.ledger(), s.ledger());
            assertSame(s.subscriptions(), s.subscriptions());
            assertSame(s.usage(), s.usage());
            assertSame(s.rating(), s.rating());
            assertSame(s.statements(), s.statements());
            assertSame(s.idempotency(), s.idempotency());
        });
    }

    @Test
    void sessionOutsideItsUnitOfWork_isRefused() {
        StorageSession escaped = storage.inTransaction(s -> s);
        assertThrows(IllegalStateException.class, () -> escaped.accounts().findAccount("hello"));
    }

    @Test
    void closedStorage_refusesWork() {
        storage.close();
        storage.close();
        assertThrows(StorageException.class, this::snapshot);
    }

    // ------------------------------------------------------------------ balances

    @Test
    void applyBalanceDelta_respectsTheFloor() {
        run(s -> s.accounts().insertAccount(account("hello")));
        assertEquals(Optional.of(dec("10.0000")), storage.inTransaction(s -> s.accounts().applyBalanceDelta("hello", dec("10"), null)).map(AccountRecord::balance));
        assertEquals(Optional.empty(),
                storage.inTransaction(s -> s.accounts().applyBalanceDelta("hello", dec("-10.01"), BigDecimal.ZERO)).map(AccountRecord::balance));
        assertEquals(0, storage.inTransaction(s -> s.accounts().findAccount("hello")).orElseThrow().balance().compareTo(dec("10")));
        assertEquals(Optional.of(dec("0.0000")),
                storage.inTransaction(s -> s.accounts().applyBalanceDelta("hello", dec("-10"), BigDecimal.ZERO)).map(AccountRecord::balance),
                "reaching the floor exactly is allowed");
        assertEquals(Optional.of(dec("-5.0000")), storage.inTransaction(s -> s.accounts().applyBalanceDelta("hello", dec("-5"), null)).map(AccountRecord::balance),
                "no floor, no limit");
        assertEquals(Optional.of(dec("-4.0000")),
                storage.inTransaction(s -> s.accounts().applyBalanceDelta("hello", dec("1"), dec("-4"))).map(AccountRecord::balance));
        assertEquals(Optional.empty(), storage.inTransaction(s -> s.accounts().applyBalanceDelta("nobody", dec("1"), null)));
        assertEquals(Optional.empty(), storage.inTransaction(s -> s.accounts().applyBalanceDelta("nobody", dec("-1"), BigDecimal.ZERO)));
        assertThrows(StorageException.class, () -> run(s -> s.accounts().updateAccountState("nobody", "active", false)));
        assertThrows(StorageException.class, () -> run(s -> s.subscriptions().updateSubscriptionStatus("nothing", "expired")));
    }

    @Test
    void lockHeldBeyondTheTimeout_isTransient() {
        storage.close();
        storage = JdbiStorage.builder().jdbcUrl("jdbc:h2:file:" + dir.resolve("short") + ";LOCK_TIMEOUT=50")
                .user("sa").password("").build();
        run(s -> s.accounts().insertAccount(account("hello")));
        try (Handle holder = storage.jdbi().open()) {
            holder.begin();
            holder.execute("UPDATE accounts SET balance = balance + 1 WHERE namespace = 'hello'");
            assertThrows(TransientStorageException.class,
                    () -> storage.inTransaction(s -> s.accounts().applyBalanceDelta("hello", dec("1"), null)));
            holder.rollback();
        }
        assertEquals(Optional.of(dec("1.0000")), storage.inTransaction(s -> s.accounts().applyBalanceDelta("hello", dec("1"), null)).map(AccountRecord::balance));
    }

    @Test
    void duplicateOfAnUncommittedInsert_waits_thenIsTransientOnTimeout() {
        storage.close();
        storage = JdbiStorage.builder().jdbcUrl("jdbc:h2:file:" + dir.resolve("short") + ";LOCK_TIMEOUT=50")
                .user("sa").password("").build();
        try (Handle other = storage.jdbi().open()) {
            other.begin();
            insertRawAccount(other, "hello");
            assertThrows(TransientStorageException.class, () -> run(s -> s.accounts().insertAccount(account("hello"))));
            other.rollback();
        }
        run(s -> s.accounts().insertAccount(account("hello")));
    }

    @Test
    void duplicateOfAnUncommittedInsert_isDuplicateKey_onceTheOtherCommits() throws Exception {
        try (Handle other = storage.jdbi().open()) {
            other.begin();
            insertRawAccount(other, "hello");
            var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                var attempt = pool.submit(() -> run(s -> s.accounts().insertAccount(account("hello"))));
                other.commit();
                var e = assertThrows(java.util.concurrent.ExecutionException.class,
                        () -> attempt.get(60, java.util.concurrent.TimeUnit.SECONDS));
                assertTrue(e.getCause() instanceof DuplicateKeyException, String.valueOf(e.getCause()));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private static void insertRawAccount(Handle h, String namespace) {
        h.createUpdate("""
                INSERT INTO accounts (namespace, currency, status, notification, balance, created_at)
                VALUES (:namespace, 'CNY', 'active', FALSE, 0, CURRENT_TIMESTAMP)""")
                .bind("namespace", namespace).execute();
    }

    // ------------------------------------------------------------------ builder

    @Test
    void builder_validatesEachSetting_once() {
        JdbiStorage.Builder b = JdbiStorage.builder();
        assertThrows(IllegalArgumentException.class, () -> b.jdbcUrl("jdbc:postgresql://localhost/x"));
        assertThrows(IllegalArgumentException.class, () -> b.jdbcUrl("jdbc:h2:"));
        assertThrows(IllegalStateException.class, b::build);
        b.jdbcUrl("jdbc:h2:mem:builder").user("sa").password("").durability(Durability.POWER_LOSS).maxConnections(2);
        assertThrows(IllegalStateException.class, () -> b.jdbcUrl("jdbc:h2:mem:again"));
        assertThrows(IllegalStateException.class, () -> b.user("sa"));
        assertThrows(IllegalStateException.class, () -> b.password("x"));
        assertThrows(IllegalStateException.class, () -> b.durability(Durability.H2_DEFAULT));
        assertThrows(IllegalStateException.class, () -> b.maxConnections(3));
        assertThrows(IllegalArgumentException.class, () -> JdbiStorage.builder().maxConnections(0));
        assertThrows(NullPointerException.class, () -> JdbiStorage.builder().durability(null));
        try (JdbiStorage s = b.build()) {
            assertTrue(s.describe().contains("jdbc:h2:mem:builder"), s.describe());
        }
        assertThrows(IllegalArgumentException.class, () -> JdbiStorage.h2File(dir.resolve("x.mv.db")));
        assertThrows(IllegalArgumentException.class, () -> JdbiStorage.h2InMemory("a;b"));
    }

    @Test
    void builder_refusesUrlSettingsThatBreakTheGuarantees() {
        String url = "jdbc:h2:file:" + dir.resolve("conflict");
        assertThrows(IllegalArgumentException.class,
                () -> JdbiStorage.builder().jdbcUrl(url + ";WRITE_DELAY=500").build());
        assertThrows(IllegalArgumentException.class,
                () -> JdbiStorage.builder().jdbcUrl(url + ";OPTIMIZE_REUSE_RESULTS=1").build());
        assertThrows(IllegalArgumentException.class,
                () -> JdbiStorage.builder().jdbcUrl(url + ";write_delay=0;WRITE_DELAY=0").build());
        assertThrows(IllegalArgumentException.class, () -> JdbiStorage.builder().jdbcUrl(url + ";WRITE_DELAY=0")
                .durability(Durability.H2_DEFAULT).build(), "WRITE_DELAY=0 has lost updates");
        try (JdbiStorage s = JdbiStorage.builder().jdbcUrl(url + ";WRITE_DELAY=500")
                .durability(Durability.H2_DEFAULT).build()) {
            assertEquals("500", writeDelay(s));
        }
    }

    @Test
    void durability_storesEachWritingUnitOfWorkItself_withH2sBackgroundStoreOff() {
        assertEquals(JdbiStorage.NO_BACKGROUND_STORE, writeDelay(storage));
        assertTrue(storage.describe().contains("PROCESS_CRASH"), storage.describe());
        long before = storage.syncCount();
        storage.inTransaction(x -> x.accounts().findAccount("hello"));
        assertEquals(before, storage.syncCount(), "a read-only unit of work does not store");
        storage.inTransaction(x -> {
            x.accounts().insertAccount(account("hello"));
            return null;
        });
        assertEquals(before + 1, storage.syncCount(), "a unit of work that wrote waits for a store");
        storage.close();
        try (JdbiStorage s = JdbiStorage.builder().jdbcUrl("jdbc:h2:file:" + dir.resolve("billing"))
                .durability(Durability.H2_DEFAULT).user("sa").password("").build()) {
            assertTrue(writeDelay(s).contains("500"), writeDelay(s));
            s.inTransaction(x -> {
                x.accounts().insertAccount(account("h2-default"));
                return null;
            });
            assertEquals(0, s.syncCount(), "H2_DEFAULT leaves storing to H2");
        }
        try (JdbiStorage s = JdbiStorage.builder().jdbcUrl("jdbc:h2:file:" + dir.resolve("billing"))
                .durability(Durability.POWER_LOSS).user("sa").password("").build()) {
            assertEquals(JdbiStorage.NO_BACKGROUND_STORE, writeDelay(s));
            long start = s.syncCount();
            s.inTransaction(x -> x.accounts().findAccount("hello"));
            assertEquals(start, s.syncCount(), "a read-only unit of work does not sync");
            s.inTransaction(x -> {
                x.accounts().insertAccount(account("power-loss"));
                return null;
            });
            assertEquals(start + 1, s.syncCount(), "a unit of work that wrote waits for a sync");
        }
    }

    /**
     * @return H2's write delay: the live value when all rows agree, else "mixed" (INFORMATION_SCHEMA.SETTINGS
     *     lists both the live value and the persisted SET WRITE_DELAY setting)
     */
    private static String writeDelay(JdbiStorage s) {
        try (Handle h = s.jdbi().open()) {
            List<String> values = h.createQuery(
                            "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'")
                    .mapTo(String.class).list();
            return values.stream().distinct().count() == 1 ? values.get(0) : "mixed " + values;
        }
    }

    @Test
    void of_usesACallerManagedJdbi() {
        storage.close();
        org.jdbi.v3.core.Jdbi jdbi = org.jdbi.v3.core.Jdbi.create(
                "jdbc:h2:file:" + dir.resolve("own") + ";OPTIMIZE_REUSE_RESULTS=0", "sa", "");
        try (JdbiStorage s = JdbiStorage.of(jdbi)) {
            s.inTransaction(x -> {
                x.accounts().insertAccount(account("hello"));
                return null;
            });
            assertFalse(s.describe().isBlank());
        }
        try (JdbiStorage s = JdbiStorage.of(jdbi)) {
            assertTrue(s.inTransaction(x -> x.accounts().findAccount("hello")).isPresent(), "closing did not touch the Jdbi");
        }
        storage = JdbiStorage.h2InMemory("unused-" + System.nanoTime());
    }
}
