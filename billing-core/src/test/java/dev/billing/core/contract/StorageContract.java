package dev.billing.core.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.spi.AccountRecord;
import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.IdempotencyRecord;
import dev.billing.spi.PlanRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.RegionRecord;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageSession;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.SubscriptionRecord;
import dev.billing.spi.TransactionRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The storage SPI's contract, written once and run against every storage (and any plugin): extend
 * it and implement {@link #newStorage()}. Amounts are compared by value, since stores may keep
 * another scale.
 */
public abstract class StorageContract extends StorageFixture {

    private static final Instant T0 = Instant.parse("2016-09-26T09:27:04.123Z");


    private static AccountRecord account(String ns) {
        return new AccountRecord(ns, "CNY", "active", false, new BigDecimal("0.00"), T0);
    }

    private static TransactionRecord tx(String id, String ns, String kind, String amount, String refundOf, Instant at) {
        return new TransactionRecord(0, id, ns, kind, new BigDecimal(amount), "CNY", "Plan A", "balance", null, refundOf,
                new BigDecimal("1.00"), at, null);
    }

    private static List<PostingRecord> legs(String id, String ns, String amount) {
        return List.of(new PostingRecord(id, "wallet:" + ns, new BigDecimal(amount), "CNY"),
                new PostingRecord(id, "revenue:plans", new BigDecimal(amount).negate(), "CNY"));
    }

    private static void assertAmount(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), "expected " + expected + " but was " + actual);
    }

    @Test
    void workThatThrows_afterWritingEverywhere_leavesNothing() {
        run(s -> s.insertAccount(account("keep")));
        StorageSnapshot before = snapshot();
        assertThrows(IllegalStateException.class, () -> storage.inTransaction(s -> {
            s.putRegion(new RegionRecord("r1", "铸造一区", "available"));
            s.putPlan(new PlanRecord("p1", "C", "S", "n", new BigDecimal("20.00"), "CNY", "monthly", "d", "r1", "available", T0));
            s.insertAccount(account("gone"));
            s.applyBalanceDelta("keep", new BigDecimal("5.00"), null);
            s.updateAccountState("keep", "suspended", true);
            s.appendTransaction(tx("t1", "keep", "recharge", "5.00", null, T0), legs("t1", "keep", "5.00"));
            s.insertSubscription(new SubscriptionRecord("s1", "keep", "p1", "r1", T0, T0.plusSeconds(60), "active", "t1"));
            s.insertIdempotency(new IdempotencyRecord("keep", "k", "f", "t1", BigDecimal.ONE, "active", T0));
            throw new IllegalStateException("boom");
        }));
        assertEquals(before, snapshot());
    }

    @Test
    void duplicateKeys_areRejected_andTheWholeUnitIsUndone() {
        run(s -> {
            s.insertAccount(account("a"));
            s.appendTransaction(tx("t1", "a", "purchase", "5.00", null, T0), legs("t1", "a", "-5.00"));
            s.appendTransaction(tx("r1", "a", "refund", "5.00", "t1", T0), legs("r1", "a", "5.00"));
            s.insertIdempotency(new IdempotencyRecord("a", "k", "f", null, null, null, T0));
        });
        StorageSnapshot before = snapshot();
        List<Consumer<StorageSession>> duplicates = List.of(
                s -> s.insertAccount(account("a")),
                s -> s.appendTransaction(tx("t1", "a", "recharge", "1.00", null, T0), legs("t1", "a", "1.00")),
                s -> s.appendTransaction(tx("r2", "a", "refund", "5.00", "t1", T0), legs("r2", "a", "5.00")),
                s -> s.insertIdempotency(new IdempotencyRecord("a", "k", "g", null, null, null, T0)));
        for (Consumer<StorageSession> duplicate : duplicates) {
            assertThrows(DuplicateKeyException.class, () -> run(s -> {
                s.applyBalanceDelta("a", new BigDecimal("1.00"), null);
                s.insertAccount(account("b-" + System.nanoTime()));
                duplicate.accept(s);
            }));
            assertEquals(before, snapshot());
        }
        run(s -> s.insertIdempotency(new IdempotencyRecord("other", "k", "f", null, null, null, T0)));
    }

    @Test
    void unbalancedOrForeignPostings_areRefused_andNothingIsWritten() {
        run(s -> s.insertAccount(account("a")));
        StorageSnapshot before = snapshot();
        List<PostingRecord> lopsided = List.of(new PostingRecord("t1", "wallet:a", new BigDecimal("10.00"), "CNY"),
                new PostingRecord("t1", "funding:recharge", new BigDecimal("-9.00"), "CNY"));
        assertThrows(StorageException.class, () -> run(s -> s.appendTransaction(
                tx("t1", "a", "recharge", "10.00", null, T0), lopsided)));
        assertThrows(StorageException.class, () -> run(s -> s.appendTransaction(
                tx("t1", "a", "recharge", "10.00", null, T0), legs("other", "a", "10.00"))));
        assertEquals(before, snapshot());
    }

    @Test
    void aFailedWriteThatTheWorkSwallows_stillUndoesTheUnit_andIsThrown() {
        run(s -> s.insertAccount(account("a")));
        StorageSnapshot before = snapshot();
        assertThrows(DuplicateKeyException.class, () -> run(s -> {
            s.applyBalanceDelta("a", new BigDecimal("1.00"), null);
            try {
                s.insertAccount(account("a"));
            } catch (DuplicateKeyException swallowed) {
                // the work carries on as if nothing happened
            }
            assertThrows(StorageException.class, () -> s.putRegion(new RegionRecord("r1", "after", "available")),
                    "a session whose write failed refuses more work, as an aborted database transaction does");
        }));
        assertEquals(before, snapshot());
        assertThrows(StorageException.class, () -> run(s -> {
            s.applyBalanceDelta("a", new BigDecimal("1.00"), null);
            try {
                s.applyBalanceDelta("ghost", new BigDecimal("1.00"), null);
            } catch (StorageException swallowed) {
                // the store's own refusal spoils the unit as a failed statement does
            }
        }));
        assertThrows(StorageException.class, () -> run(s -> {
            s.insertAccount(account("b"));
            try {
                s.appendTransaction(tx("t1", "b", "recharge", "1.00", null, T0),
                        List.of(new PostingRecord("t1", "wallet:b", new BigDecimal("1.00"), "CNY")));
            } catch (StorageException swallowed) {
                // unbalanced postings refused: the same
            }
        }));
        assertEquals(before, snapshot());
    }

    @Test
    void applyBalanceDelta_stopsBelowTheCeiling() {
        run(s -> s.insertAccount(account("a")));
        assertAmount("999999999999999.99", storage.inTransaction(
                s -> s.applyBalanceDelta("a", new BigDecimal("999999999999999.99"), null)).orElseThrow());
        StorageSnapshot before = snapshot();
        assertEquals(Optional.empty(), storage.inTransaction(s -> s.applyBalanceDelta("a", new BigDecimal("0.01"), null)));
        assertEquals(Optional.empty(), storage.inTransaction(
                s -> s.applyBalanceDelta("a", new BigDecimal("0.01"), BigDecimal.ZERO)));
        assertEquals(before, snapshot());
    }

    @Test
    void applyBalanceDelta_respectsTheFloor() {
        run(s -> s.insertAccount(account("a")));
        assertEquals(Optional.empty(), storage.inTransaction(s -> s.applyBalanceDelta("a", new BigDecimal("-0.01"), BigDecimal.ZERO)));
        assertAmount("10.00", storage.inTransaction(s -> s.applyBalanceDelta("a", new BigDecimal("10.00"), BigDecimal.ZERO)).orElseThrow());
        assertAmount("0.00", storage.inTransaction(s -> s.applyBalanceDelta("a", new BigDecimal("-10.00"), BigDecimal.ZERO)).orElseThrow());
        assertAmount("-3.50", storage.inTransaction(s -> s.applyBalanceDelta("a", new BigDecimal("-3.50"), null)).orElseThrow());
        assertAmount("-3.50", storage.inTransaction(s -> s.findAccount("a")).orElseThrow().balance());
        assertThrows(StorageException.class, () -> storage.inTransaction(s -> s.applyBalanceDelta("ghost", BigDecimal.ONE, null)));
    }

    @Test
    void transactions_listNewestFirst_pageBySeq_andShowTheirRefund() {
        run(s -> {
            s.insertAccount(account("a"));
            s.insertAccount(account("b"));
            for (int i = 1; i <= 5; i++) {
                s.appendTransaction(tx("a" + i, "a", "purchase", i + ".00", null, T0.plusSeconds(i)), legs("a" + i, "a", "-" + i));
                s.appendTransaction(tx("b" + i, "b", "recharge", "1.00", null, T0), legs("b" + i, "b", "1"));
            }
            s.appendTransaction(tx("ra2", "a", "refund", "2.00", "a2", T0), legs("ra2", "a", "2"));
        });
        List<TransactionRecord> first = storage.inTransaction(s -> s.listTransactions("a", Long.MAX_VALUE, 3));
        assertEquals(List.of("ra2", "a5", "a4"), first.stream().map(TransactionRecord::id).toList());
        List<TransactionRecord> rest = storage.inTransaction(s -> s.listTransactions("a", first.get(2).seq(), 10));
        assertEquals(List.of("a3", "a2", "a1"), rest.stream().map(TransactionRecord::id).toList());
        assertEquals("ra2", rest.get(1).refundedBy());
        assertNull(rest.get(0).refundedBy());
        TransactionRecord a3 = storage.inTransaction(s -> s.findTransaction("a3")).orElseThrow();
        assertEquals(T0.plusSeconds(3), a3.createdAt());
        assertAmount("3.00", a3.amount());
        assertEquals("ra2", storage.inTransaction(s -> s.findTransaction("a2")).orElseThrow().refundedBy());
        assertTrue(first.get(0).seq() > first.get(1).seq());
    }

    @Test
    void postings_sumPerLedgerAccountAndPerCurrency() {
        run(s -> {
            s.insertAccount(account("a"));
            s.appendTransaction(tx("t1", "a", "recharge", "10.00", null, T0), legs("t1", "a", "10.00"));
            s.appendTransaction(tx("t2", "a", "purchase", "2.50", null, T0), legs("t2", "a", "-2.50"));
        });
        assertAmount("7.50", storage.inTransaction(s -> s.sumPostings("wallet:a")));
        assertAmount("-7.50", storage.inTransaction(s -> s.sumPostings("revenue:plans")));
        assertAmount("0", storage.inTransaction(s -> s.sumPostings("wallet:nobody")));
        Map<String, BigDecimal> sums = storage.inTransaction(StorageSession::sumPostingsByCurrency);
        assertEquals(1, sums.size());
        assertAmount("0", sums.get("CNY"));
    }

    @Test
    void plans_filterByRegionTypeIgnoringCaseAndStatus_orderedByPriceThenId() {
        run(s -> {
            s.putRegion(new RegionRecord("aws", "AWS", "available"));
            s.putRegion(new RegionRecord("cn", "铸造一区", "available"));
            s.putPlan(new PlanRecord("p3", "C", "", "", new BigDecimal("88.88"), "CNY", "monthly", "d", "aws", "available", T0));
            s.putPlan(new PlanRecord("p2", "c", "", "", new BigDecimal("20.00"), "CNY", "monthly", "d", "aws", "available", T0));
            s.putPlan(new PlanRecord("p1", "C", "", "", new BigDecimal("20.00"), "CNY", "monthly", "d", "aws", "available", T0));
            s.putPlan(new PlanRecord("p0", "C", "", "", new BigDecimal("1.00"), "CNY", "monthly", "d", "aws", "retired", T0));
            s.putPlan(new PlanRecord("p9", "normal", "", "", new BigDecimal("1.00"), "CNY", "monthly", "d", "aws", "available", T0));
            s.putPlan(new PlanRecord("pc", "C", "", "", new BigDecimal("1.00"), "CNY", "monthly", "d", "cn", "available", T0));
        });
        assertEquals(List.of("p1", "p2", "p3"), storage.inTransaction(s -> s.listPlans("aws", "C", "available"))
                .stream().map(PlanRecord::id).toList());
        assertEquals(List.of("p0", "p9", "p1", "p2", "p3"), storage.inTransaction(s -> s.listPlans("aws", null, null))
                .stream().map(PlanRecord::id).toList());
        assertEquals("铸造一区", storage.inTransaction(s -> s.findRegion("cn")).orElseThrow().description());
        assertEquals(List.of("aws", "cn"), storage.inTransaction(StorageSession::listRegions).stream().map(RegionRecord::id).toList());
        run(s -> s.putPlan(new PlanRecord("p1", "C", "", "", new BigDecimal("30.00"), "CNY", "monthly", "d", "aws", "retired", T0)));
        assertAmount("30.00", storage.inTransaction(s -> s.findPlan("p1")).orElseThrow().price());
    }

    @Test
    void subscriptions_andAccountState_update() {
        run(s -> {
            s.insertAccount(account("a"));
            s.insertSubscription(new SubscriptionRecord("s2", "a", "p", "r", T0.plusSeconds(5), T0.plusSeconds(9), "active", "t2"));
            s.insertSubscription(new SubscriptionRecord("s1", "a", "p", "r", T0, T0.plusSeconds(9), "active", "t1"));
            s.updateSubscriptionStatus("s2", "cancelled");
            s.updateAccountState("a", "suspended", true);
        });
        List<SubscriptionRecord> subs = storage.inTransaction(s -> s.listSubscriptions("a"));
        assertEquals(List.of("s1", "s2"), subs.stream().map(SubscriptionRecord::id).toList());
        assertEquals("cancelled", subs.get(1).status());
        assertEquals(T0.plusSeconds(5), subs.get(1).periodStart());
        assertEquals("s2", storage.inTransaction(s -> s.findSubscriptionByTransaction("t2")).orElseThrow().id());
        AccountRecord a = storage.inTransaction(s -> s.findAccount("a")).orElseThrow();
        assertEquals("suspended", a.status());
        assertTrue(a.notification());
        assertEquals(T0, a.createdAt());
    }

    @Test
    void subscriptions_keepTheirStartAndZone_andRenewByCompareAndSet() {
        SubscriptionRecord sub = new SubscriptionRecord("s1", "a", "p", "r", T0.plusSeconds(60), T0.plusSeconds(120),
                "active", "t2", T0, "Asia/Shanghai");
        run(s -> {
            s.insertAccount(account("a"));
            s.insertSubscription(sub);
        });
        assertEquals(List.of(sub), storage.inTransaction(s -> s.listSubscriptions("a")));
        SubscriptionRecord renewed = sub.renewed(T0.plusSeconds(120), T0.plusSeconds(180), "t3");
        boolean stale = storage.inTransaction(s -> s.replaceSubscription(renewed, T0.plusSeconds(60)));
        assertFalse(stale, "stale end");
        boolean current = storage.inTransaction(s -> s.replaceSubscription(renewed, T0.plusSeconds(120)));
        assertTrue(current);
        assertEquals(List.of(renewed), storage.inTransaction(s -> s.listSubscriptions("a")));
        assertEquals("Asia/Shanghai", renewed.zone());
        assertEquals(T0, renewed.startedAt());
    }
}
