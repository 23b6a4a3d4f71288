package dev.billing.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.billing.spi.StorageSnapshot;

import dev.billing.spi.AccountRecord;
import dev.billing.spi.AccountStore;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.IdempotencyRecord;
import dev.billing.spi.PlanAndProfile;
import dev.billing.spi.PlanAndRegion;
import dev.billing.spi.PlanRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.RegionRecord;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageSession;
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
        return new AccountRecord(ns, "CNY", "active", false, new BigDecimal("0.00"), BigDecimal.ZERO, T0);
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
    void planVersions_areKeptApart_andASecondOfOneVersionIsRefused() {
        PlanRecord v1 = new PlanRecord("p1", "C", "S", "n", new BigDecimal("20.00"), "CNY", "monthly", "d", "r1", "available",
                T0, 1);
        PlanRecord v2 = new PlanRecord("p1", "C", "S", "n", new BigDecimal("25.00"), "CNY", "monthly", "d", "r1", "available",
                T0.plusSeconds(60), 2);
        run(s -> {
            s.catalog().insertPlanVersion(v1);
            s.catalog().insertPlanVersion(v2);
            s.catalog().putPlan(v2);
        });
        assertAmount("20.00", storage.inTransaction(s -> s.catalog().findPlanVersion("p1", 1)).orElseThrow().price());
        assertEquals(2, storage.inTransaction(s -> s.catalog().findPlanVersion("p1", 2)).orElseThrow().version());
        assertEquals(2, storage.inTransaction(s -> s.catalog().findPlan("p1")).orElseThrow().version());
        assertEquals(Optional.empty(), storage.inTransaction(s -> s.catalog().findPlanVersion("p1", 3)));
        StorageSnapshot before = snapshot();
        assertThrows(DuplicateKeyException.class, () -> run(s -> s.catalog().insertPlanVersion(v1)));
        assertEquals(before, snapshot());
        assertEquals(2, before.planVersions().size());
    }

    @Test
    void anAccountsLowBalanceThreshold_readsBack_andStaysThroughItsBalanceChanges() {
        run(s -> s.accounts().insertAccount(account("a")));
        assertNull(storage.inTransaction(s -> s.accounts().findAccount("a")).orElseThrow().lowBalanceThreshold());
        run(s -> s.accounts().setLowBalanceThreshold("a", new BigDecimal("30.00")));
        AccountRecord changed = storage.inTransaction(s -> s.accounts().applyBalanceDelta("a", new BigDecimal("5.00"), null))
                .orElseThrow();
        assertAmount("30.00", changed.lowBalanceThreshold());
        run(s -> s.accounts().updateAccountState("a", "suspended", true));
        assertAmount("30.00", storage.inTransaction(s -> s.accounts().findAccount("a")).orElseThrow().lowBalanceThreshold());
        run(s -> s.accounts().setLowBalanceThreshold("a", null));
        assertNull(storage.inTransaction(s -> s.accounts().findAccount("a")).orElseThrow().lowBalanceThreshold());
        assertThrows(StorageException.class, () -> run(s -> s.accounts().setLowBalanceThreshold("nobody", BigDecimal.ONE)));
    }

    @Test
    void anAccountsDunningState_readsBack_isAnsweredByItsBalanceChange_andSurvivesItsOtherChanges() {
        run(s -> s.accounts().insertAccount(account("a")));
        AccountRecord opened = storage.inTransaction(s -> s.accounts().findAccount("a")).orElseThrow();
        assertFalse(opened.pastDue(), "unmarked when opened");
        assertNull(opened.notifiedAt());
        Instant notified = T0.plusSeconds(3600).plusNanos(123_000);
        run(s -> s.accounts().updateDunning("a", true, notified));
        AccountRecord changed = storage.inTransaction(s -> s.accounts().applyBalanceDelta("a", BigDecimal.ZERO, null))
                .orElseThrow();
        assertTrue(changed.pastDue(), "the balance change answers the mark");
        assertEquals(notified, changed.notifiedAt(), "and the time of notification, to the microsecond");
        run(s -> {
            s.accounts().updateAccountState("a", "active", true);
            s.accounts().setLowBalanceThreshold("a", BigDecimal.TEN);
            s.accounts().applyDebtDelta("a", BigDecimal.ONE);
        });
        AccountRecord kept = storage.inTransaction(s -> s.accounts().findAccount("a")).orElseThrow();
        assertTrue(kept.pastDue(), "kept through the account's other changes");
        assertEquals(notified, kept.notifiedAt());
        run(s -> s.accounts().updateDunning("a", false, null));
        assertFalse(storage.inTransaction(s -> s.accounts().findAccount("a")).orElseThrow().pastDue());
        assertNull(storage.inTransaction(s -> s.accounts().findAccount("a")).orElseThrow().notifiedAt());
        run(s -> s.accounts().insertAccount(account("b").withDunning(true, notified)));
        assertEquals(account("b").withDunning(true, notified).notifiedAt(),
                storage.inTransaction(s -> s.accounts().findAccount("b")).orElseThrow().notifiedAt(), "inserted as given");
        assertTrue(storage.inTransaction(s -> s.accounts().findAccount("b")).orElseThrow().pastDue());
        StorageSnapshot before = snapshot();
        assertThrows(StorageException.class, () -> run(s -> s.accounts().updateDunning("nobody", true, notified)));
        assertEquals(before, snapshot());
    }

    @Test
    void workThatThrows_afterWritingEverywhere_leavesNothing() {
        run(s -> s.accounts().insertAccount(account("keep")));
        StorageSnapshot before = snapshot();
        assertThrows(IllegalStateException.class, () -> storage.inTransaction(s -> {
            s.catalog().putRegion(new RegionRecord("r1", "铸造一区", "available"));
            s.catalog().putPlan(new PlanRecord("p1", "C", "S", "n", new BigDecimal("20.00"), "CNY", "monthly", "d", "r1", "available", T0));
            s.accounts().insertAccount(account("gone"));
            s.accounts().applyBalanceDelta("keep", new BigDecimal("5.00"), null);
            s.accounts().updateAccountState("keep", "suspended", true);
            s.ledger().appendTransaction(tx("t1", "keep", "recharge", "5.00", null, T0), legs("t1", "keep", "5.00"));
            s.subscriptions().insertSubscription(new SubscriptionRecord("s1", "keep", "p1", "r1", T0, T0.plusSeconds(60), "active", "t1"));
            s.idempotency().insertIdempotency(new IdempotencyRecord("keep", "k", "f", "t1", BigDecimal.ONE, "active", T0));
            throw new IllegalStateException("boom");
        }));
        assertEquals(before, snapshot());
    }

    @Test
    void duplicateKeys_areRejected_andTheWholeUnitIsUndone() {
        run(s -> {
            s.accounts().insertAccount(account("a"));
            s.ledger().appendTransaction(tx("t1", "a", "purchase", "5.00", null, T0), legs("t1", "a", "-5.00"));
            s.ledger().appendTransaction(tx("r1", "a", "refund", "5.00", "t1", T0), legs("r1", "a", "5.00"));
            s.idempotency().insertIdempotency(new IdempotencyRecord("a", "k", "f", null, null, null, T0));
        });
        StorageSnapshot before = snapshot();
        List<Consumer<StorageSession>> duplicates = List.of(
                s -> s.accounts().insertAccount(account("a")),
                s -> s.ledger().appendTransaction(tx("t1", "a", "recharge", "1.00", null, T0), legs("t1", "a", "1.00")),
                s -> s.ledger().appendTransaction(tx("r2", "a", "refund", "5.00", "t1", T0), legs("r2", "a", "5.00")),
                s -> s.idempotency().insertIdempotency(new IdempotencyRecord("a", "k", "g", null, null, null, T0)));
        for (Consumer<StorageSession> duplicate : duplicates) {
            assertThrows(DuplicateKeyException.class, () -> run(s -> {
                s.accounts().applyBalanceDelta("a", new BigDecimal("1.00"), null);
                s.accounts().insertAccount(account("b-" + System.nanoTime()));
                duplicate.accept(s);
            }));
            assertEquals(before, snapshot());
        }
        run(s -> s.idempotency().insertIdempotency(new IdempotencyRecord("other", "k", "f", null, null, null, T0)));
    }

    @Test
    void unbalancedOrForeignPostings_areRefused_andNothingIsWritten() {
        run(s -> s.accounts().insertAccount(account("a")));
        StorageSnapshot before = snapshot();
        List<PostingRecord> lopsided = List.of(new PostingRecord("t1", "wallet:a", new BigDecimal("10.00"), "CNY"),
                new PostingRecord("t1", "funding:recharge", new BigDecimal("-9.00"), "CNY"));
        assertThrows(StorageException.class, () -> run(s -> s.ledger().appendTransaction(
                tx("t1", "a", "recharge", "10.00", null, T0), lopsided)));
        assertThrows(StorageException.class, () -> run(s -> s.ledger().appendTransaction(
                tx("t1", "a", "recharge", "10.00", null, T0), legs("other", "a", "10.00"))));
        assertEquals(before, snapshot());
    }

    @Test
    void aFailedWriteThatTheWorkSwallows_stillUndoesTheUnit_andIsThrown() {
        run(s -> s.accounts().insertAccount(account("a")));
        StorageSnapshot before = snapshot();
        assertThrows(DuplicateKeyException.class, () -> run(s -> {
            s.accounts().applyBalanceDelta("a", new BigDecimal("1.00"), null);
            try {
                s.accounts().insertAccount(account("a"));
            } catch (DuplicateKeyException swallowed) {
                // the work carries on as if nothing happened
            }
            assertThrows(StorageException.class, () -> s.catalog().putRegion(new RegionRecord("r1", "after", "available")),
                    "a session whose write failed refuses more work, as an aborted database transaction does");
        }));
        assertEquals(before, snapshot());
        assertThrows(StorageException.class, () -> run(s -> {
            s.accounts().applyBalanceDelta("a", new BigDecimal("1.00"), null);
            try {
                s.accounts().updateAccountState("ghost", "active", false);
            } catch (StorageException swallowed) {
                // the store's own refusal spoils the unit as a failed statement does
            }
        }));
        assertThrows(StorageException.class, () -> run(s -> {
            s.accounts().insertAccount(account("b"));
            try {
                s.ledger().appendTransaction(tx("t1", "b", "recharge", "1.00", null, T0),
                        List.of(new PostingRecord("t1", "wallet:b", new BigDecimal("1.00"), "CNY")));
            } catch (StorageException swallowed) {
                // unbalanced postings refused: the same
            }
        }));
        assertEquals(before, snapshot());
    }

    @Test
    void applyBalanceDelta_stopsBelowTheCeiling() {
        run(s -> s.accounts().insertAccount(account("a")));
        assertAmount("999999999999999.99", storage.inTransaction(
                s -> s.accounts().applyBalanceDelta("a", new BigDecimal("999999999999999.99"), null)).orElseThrow().balance());
        StorageSnapshot before = snapshot();
        assertEquals(Optional.empty(), storage.inTransaction(s -> s.accounts().applyBalanceDelta("a", new BigDecimal("0.01"), null)));
        assertEquals(Optional.empty(), storage.inTransaction(
                s -> s.accounts().applyBalanceDelta("a", new BigDecimal("0.01"), BigDecimal.ZERO)));
        assertEquals(before, snapshot());
    }

    @Test
    void applyBalanceDelta_returnsTheRowAsOfTheChange() {
        run(s -> s.accounts().insertAccount(account("a")));
        run(s -> s.accounts().updateAccountState("a", "suspended", true));
        AccountRecord changed = storage.inTransaction(s -> {
            AccountRecord before = s.accounts().findAccount("a").orElseThrow();
            AccountRecord after = s.accounts().applyBalanceDelta("a", new BigDecimal("2.50"), null).orElseThrow();
            assertEquals(before.balance().add(new BigDecimal("2.50")).compareTo(after.balance()), 0);
            return after;
        });
        assertEquals("a", changed.namespace());
        assertEquals("suspended", changed.status());
        assertTrue(changed.notification());
        assertEquals(storage.inTransaction(s -> s.accounts().findAccount("a")).orElseThrow().currency(), changed.currency());
        assertAmount("2.50", changed.balance());
        AccountRecord unchanged = storage.inTransaction(s -> s.accounts().applyBalanceDelta("a", BigDecimal.ZERO, null))
                .orElseThrow();
        assertAmount("2.50", unchanged.balance());
        assertEquals(storage.inTransaction(s -> s.accounts().findAccount("a")).orElseThrow(), unchanged,
                "a zero change returns the account as stored");
    }

    @Test
    void applyBalanceDelta_respectsTheFloor() {
        run(s -> s.accounts().insertAccount(account("a")));
        assertEquals(Optional.empty(), storage.inTransaction(s -> s.accounts().applyBalanceDelta("a", new BigDecimal("-0.01"), BigDecimal.ZERO)));
        assertAmount("10.00", storage.inTransaction(s -> s.accounts().applyBalanceDelta("a", new BigDecimal("10.00"), BigDecimal.ZERO)).orElseThrow().balance());
        assertAmount("0.00", storage.inTransaction(s -> s.accounts().applyBalanceDelta("a", new BigDecimal("-10.00"), BigDecimal.ZERO)).orElseThrow().balance());
        assertAmount("-3.50", storage.inTransaction(s -> s.accounts().applyBalanceDelta("a", new BigDecimal("-3.50"), null)).orElseThrow().balance());
        assertAmount("-3.50", storage.inTransaction(s -> s.accounts().findAccount("a")).orElseThrow().balance());
    }

    @Test
    void applyBalanceDelta_onAMissingAccount_changesNothing_andTheUnitGoesOn() {
        StorageSnapshot before = snapshot();
        assertEquals(Optional.empty(), storage.inTransaction(s -> s.accounts().applyBalanceDelta("ghost", BigDecimal.ONE, null)));
        assertEquals(Optional.empty(), storage.inTransaction(s -> s.accounts().applyDebtDelta("ghost", BigDecimal.ONE)));
        assertEquals(before, snapshot());
        AccountRecord opened = storage.inTransaction(s -> {
            assertEquals(Optional.empty(), s.accounts().applyBalanceDelta("ghost", BigDecimal.ONE, null));
            s.accounts().insertAccount(account("ghost")); // how a first recharge opens the account
            return s.accounts().applyBalanceDelta("ghost", BigDecimal.ONE, null).orElseThrow();
        });
        assertAmount("1.00", opened.balance());
        assertEquals(opened, storage.inTransaction(s -> s.accounts().findAccount("ghost")).orElseThrow());
    }

    @Test
    void applyBalanceDeltaAndAppend_changesTheBalance_andAppendsWithTheBalanceAfter_orDoesNeither() {
        run(s -> s.accounts().insertAccount(account("a")));
        run(s -> s.accounts().updateAccountState("a", "suspended", true));
        Instant notified = T0.plusSeconds(60).plusNanos(654_321_000);
        run(s -> s.accounts().updateDunning("a", true, notified));
        // an instant with microseconds, which every storage keeps
        TransactionRecord recharge = new TransactionRecord(0, "t1", "a", "recharge", new BigDecimal("10.00"), "CNY",
                "Recharge", "alipay", null, null, BigDecimal.ZERO, T0.plusNanos(123_456_000), null);
        AccountRecord changed = storage.inTransaction(s -> s.applyBalanceDeltaAndAppend("a", new BigDecimal("10.00"), null,
                recharge, List.of(new PostingRecord("t1", "wallet:a", new BigDecimal("10.00"), "CNY"),
                        new PostingRecord("t1", "funding:alipay", new BigDecimal("-10.00"), "CNY")))).orElseThrow();
        assertAmount("10.00", changed.balance());
        assertEquals("suspended", changed.status(), "the account as of the change, as applyBalanceDelta returns it");
        assertTrue(changed.pastDue(), "with its dunning state: a credit decides from it whether to renew");
        assertEquals(notified, changed.notifiedAt());
        assertEquals(changed, storage.inTransaction(s -> s.accounts().findAccount("a")).orElseThrow());
        assertStored(recharge, "10.00");
        assertAmount("10.00", storage.inTransaction(s -> s.ledger().sumPostings("wallet:a")));
        assertAmount("-10.00", storage.inTransaction(s -> s.ledger().sumPostings("funding:alipay")));

        TransactionRecord purchase = new TransactionRecord(0, "t2", "a", "purchase", new BigDecimal("2.50"), "CNY",
                "Plan A", "balance", "plan-a", null, BigDecimal.ZERO, T0.plusSeconds(1), null);
        AccountRecord debited = storage.inTransaction(s -> s.applyBalanceDeltaAndAppend("a", new BigDecimal("-2.50"),
                BigDecimal.ZERO, purchase, legs("t2", "a", "-2.50"))).orElseThrow();
        assertAmount("7.50", debited.balance());
        assertStored(purchase, "7.50");
        TransactionRecord refund = new TransactionRecord(0, "t3", "a", "refund", new BigDecimal("2.50"), "CNY",
                "Refund", "balance", null, "t2", BigDecimal.ZERO, T0.plusSeconds(2), null);
        storage.inTransaction(s -> s.applyBalanceDeltaAndAppend("a", new BigDecimal("2.50"), null, refund,
                legs("t3", "a", "2.50"))).orElseThrow();
        assertStored(refund, "10.00");
        assertEquals("t3", storage.inTransaction(s -> s.ledger().findTransaction("t2")).orElseThrow().refundedBy());
        List<TransactionRecord> listed = storage.inTransaction(s -> s.ledger().listTransactions("a", Long.MAX_VALUE, 10));
        assertEquals(List.of("t3", "t2", "t1"), listed.stream().map(TransactionRecord::id).toList());
        assertAmount("0", storage.inTransaction(s -> s.ledger().sumPostingsByCurrency()).get("CNY"));

        StorageSnapshot before = snapshot();
        assertEquals(Optional.empty(), storage.inTransaction(s -> s.applyBalanceDeltaAndAppend("a", new BigDecimal("-10.01"),
                BigDecimal.ZERO, tx("t4", "a", "purchase", "10.01", null, T0), legs("t4", "a", "-10.01"))),
                "below the floor: no change and no transaction");
        assertEquals(Optional.empty(), storage.inTransaction(s -> s.applyBalanceDeltaAndAppend("ghost", BigDecimal.ONE, null,
                tx("t5", "ghost", "recharge", "1.00", null, T0), legs("t5", "ghost", "1.00"))), "no such account");
        BigDecimal toCeiling = AccountStore.MAX_BALANCE.subtract(new BigDecimal("10.00"));
        assertEquals(Optional.empty(), storage.inTransaction(s -> s.applyBalanceDeltaAndAppend("a", toCeiling, null,
                tx("t8", "a", "recharge", toCeiling.toPlainString(), null, T0), legs("t8", "a", toCeiling.toPlainString()))),
                "the balance never reaches the ceiling");
        assertEquals(before, snapshot());
        assertThrows(DuplicateKeyException.class, () -> run(s -> s.applyBalanceDeltaAndAppend("a", BigDecimal.ONE, null,
                tx("t1", "a", "recharge", "1.00", null, T0), legs("t1", "a", "1.00"))), "a transaction id is unique");
        assertThrows(DuplicateKeyException.class, () -> run(s -> s.applyBalanceDeltaAndAppend("a", BigDecimal.ONE, null,
                tx("t6", "a", "refund", "1.00", "t2", T0), legs("t6", "a", "1.00"))), "a purchase is refunded once");
        assertThrows(StorageException.class, () -> run(s -> s.applyBalanceDeltaAndAppend("a", BigDecimal.ONE, null,
                tx("t7", "a", "recharge", "1.00", null, T0),
                List.of(new PostingRecord("t7", "wallet:a", BigDecimal.ONE, "CNY")))), "unbalanced postings");
        assertEquals(before, snapshot(), "a refused append undoes the balance change with it");

        // a change of nothing (a free plan) and a transaction of three postings are changes like any other
        AccountRecord unchanged = storage.inTransaction(s -> s.applyBalanceDeltaAndAppend("a", BigDecimal.ZERO,
                BigDecimal.ZERO, tx("t9", "a", "purchase", "0.00", null, T0), legs("t9", "a", "0.00"))).orElseThrow();
        assertAmount("10.00", unchanged.balance());
        TransactionRecord split = tx("t10", "a", "recharge", "3.00", null, T0.plusSeconds(3));
        storage.inTransaction(s -> s.applyBalanceDeltaAndAppend("a", new BigDecimal("3.00"), null, split,
                List.of(new PostingRecord("t10", "wallet:a", new BigDecimal("3.00"), "CNY"),
                        new PostingRecord("t10", "funding:alipay", new BigDecimal("-1.00"), "CNY"),
                        new PostingRecord("t10", "funding:coupon", new BigDecimal("-2.00"), "CNY")))).orElseThrow();
        assertStored(split, "13.00");
        assertAmount("-2.00", storage.inTransaction(s -> s.ledger().sumPostings("funding:coupon")));
        assertAmount("13.00", storage.inTransaction(s -> s.ledger().sumPostings("wallet:a")));
    }

    /** Asserts that {@code appended} was stored field by field, with {@code balanceAfter} as its balance after. */
    private void assertStored(TransactionRecord appended, String balanceAfter) {
        TransactionRecord stored = storage.inTransaction(s -> s.ledger().findTransaction(appended.id())).orElseThrow();
        assertAmount(balanceAfter, stored.balanceAfter());
        assertAmount(appended.amount().toPlainString(), stored.amount());
        assertEquals(appended.withBalanceAfter(stored.balanceAfter()).asStored(stored.seq(), stored.refundedBy()),
                new TransactionRecord(stored.seq(), stored.id(), stored.namespace(), stored.kind(), appended.amount(),
                        stored.currency(), stored.description(), stored.paymentMethod(), stored.planId(),
                        stored.refundOf(), stored.balanceAfter(), stored.createdAt(), stored.refundedBy()));
    }

    @Test
    void applyDebtDelta_keepsTheDebtWithinZeroAndTheCeiling_andTheBalanceAsItIs() {
        run(s -> s.accounts().insertAccount(account("a")));
        run(s -> s.accounts().applyBalanceDelta("a", new BigDecimal("3.00"), null));
        AccountRecord owing = storage.inTransaction(s -> s.accounts().applyDebtDelta("a", new BigDecimal("7.25"))).orElseThrow();
        assertAmount("7.25", owing.debt());
        assertAmount("3.00", owing.balance());
        assertEquals(owing, storage.inTransaction(s -> s.accounts().findAccount("a")).orElseThrow());
        StorageSnapshot before = snapshot();
        assertEquals(Optional.empty(), storage.inTransaction(s -> s.accounts().applyDebtDelta("a", new BigDecimal("-7.26"))),
                "a debt never goes below zero");
        assertEquals(Optional.empty(), storage.inTransaction(s -> s.accounts().applyDebtDelta("a",
                AccountStore.MAX_BALANCE.subtract(new BigDecimal("7.25")))), "nor reaches the ceiling");
        assertEquals(before, snapshot());
        assertAmount("0.00", storage.inTransaction(s -> s.accounts().applyDebtDelta("a", new BigDecimal("-7.25"))).orElseThrow().debt());
        AccountRecord after = storage.inTransaction(s -> s.accounts().applyBalanceDelta("a", BigDecimal.ONE, null)).orElseThrow();
        assertAmount("0.00", after.debt());
        assertAmount("4.00", after.balance());
    }

    @Test
    void transactions_listNewestFirst_pageBySeq_andShowTheirRefund() {
        run(s -> {
            s.accounts().insertAccount(account("a"));
            s.accounts().insertAccount(account("b"));
            for (int i = 1; i <= 5; i++) {
                s.ledger().appendTransaction(tx("a" + i, "a", "purchase", i + ".00", null, T0.plusSeconds(i)), legs("a" + i, "a", "-" + i));
                s.ledger().appendTransaction(tx("b" + i, "b", "recharge", "1.00", null, T0), legs("b" + i, "b", "1"));
            }
            s.ledger().appendTransaction(tx("ra2", "a", "refund", "2.00", "a2", T0), legs("ra2", "a", "2"));
        });
        List<TransactionRecord> first = storage.inTransaction(s -> s.ledger().listTransactions("a", Long.MAX_VALUE, 3));
        assertEquals(List.of("ra2", "a5", "a4"), first.stream().map(TransactionRecord::id).toList());
        List<TransactionRecord> rest = storage.inTransaction(s -> s.ledger().listTransactions("a", first.get(2).seq(), 10));
        assertEquals(List.of("a3", "a2", "a1"), rest.stream().map(TransactionRecord::id).toList());
        assertEquals("ra2", rest.get(1).refundedBy());
        assertNull(rest.get(0).refundedBy());
        TransactionRecord a3 = storage.inTransaction(s -> s.ledger().findTransaction("a3")).orElseThrow();
        assertEquals(T0.plusSeconds(3), a3.createdAt());
        assertAmount("3.00", a3.amount());
        assertEquals("ra2", storage.inTransaction(s -> s.ledger().findTransaction("a2")).orElseThrow().refundedBy());
        assertTrue(first.get(0).seq() > first.get(1).seq());
    }

    @Test
    void postings_sumPerLedgerAccountAndPerCurrency() {
        run(s -> {
            s.accounts().insertAccount(account("a"));
            s.ledger().appendTransaction(tx("t1", "a", "recharge", "10.00", null, T0), legs("t1", "a", "10.00"));
            s.ledger().appendTransaction(tx("t2", "a", "purchase", "2.50", null, T0), legs("t2", "a", "-2.50"));
        });
        assertAmount("7.50", storage.inTransaction(s -> s.ledger().sumPostings("wallet:a")));
        assertAmount("-7.50", storage.inTransaction(s -> s.ledger().sumPostings("revenue:plans")));
        assertAmount("0", storage.inTransaction(s -> s.ledger().sumPostings("wallet:nobody")));
        Map<String, BigDecimal> sums = storage.inTransaction(s -> s.ledger().sumPostingsByCurrency());
        assertEquals(1, sums.size());
        assertAmount("0", sums.get("CNY"));
    }

    @Test
    void plans_filterByRegionTypeIgnoringCaseAndStatus_orderedByPriceThenId() {
        run(s -> {
            s.catalog().putRegion(new RegionRecord("aws", "AWS", "available"));
            s.catalog().putRegion(new RegionRecord("cn", "铸造一区", "available"));
            s.catalog().putPlan(new PlanRecord("p3", "C", "", "", new BigDecimal("88.88"), "CNY", "monthly", "d", "aws", "available", T0));
            s.catalog().putPlan(new PlanRecord("p2", "c", "", "", new BigDecimal("20.00"), "CNY", "monthly", "d", "aws", "available", T0));
            s.catalog().putPlan(new PlanRecord("p1", "C", "", "", new BigDecimal("20.00"), "CNY", "monthly", "d", "aws", "available", T0));
            s.catalog().putPlan(new PlanRecord("p0", "C", "", "", new BigDecimal("1.00"), "CNY", "monthly", "d", "aws", "retired", T0));
            s.catalog().putPlan(new PlanRecord("p9", "normal", "", "", new BigDecimal("1.00"), "CNY", "monthly", "d", "aws", "available", T0));
            s.catalog().putPlan(new PlanRecord("pc", "C", "", "", new BigDecimal("1.00"), "CNY", "monthly", "d", "cn", "available", T0));
        });
        assertEquals(List.of("p1", "p2", "p3"), storage.inTransaction(s -> s.catalog().listPlans("aws", "C", "available"))
                .stream().map(PlanRecord::id).toList());
        assertEquals(List.of("p0", "p9", "p1", "p2", "p3"), storage.inTransaction(s -> s.catalog().listPlans("aws", null, null))
                .stream().map(PlanRecord::id).toList());
        assertEquals("铸造一区", storage.inTransaction(s -> s.catalog().findRegion("cn")).orElseThrow().description());
        assertEquals(List.of("aws", "cn"), storage.inTransaction(s -> s.catalog().listRegions()).stream().map(RegionRecord::id).toList());
        run(s -> s.catalog().putPlan(new PlanRecord("p1", "C", "", "", new BigDecimal("30.00"), "CNY", "monthly", "d", "aws", "retired", T0)));
        assertAmount("30.00", storage.inTransaction(s -> s.catalog().findPlan("p1")).orElseThrow().price());
    }

    @Test
    void planRegionAndProfile_readTogether_answerAsTheSeparateReads() {
        RegionRecord aws = new RegionRecord("aws", "AWS", "available");
        RegionRecord cn = new RegionRecord("cn", "铸造一区", "unavailable");
        PlanRecord p1 = new PlanRecord("p1", "C", "S", "n", new BigDecimal("20.00"), "CNY", "monthly", "d", "aws",
                "available", T0);
        // one profile with its cycle, one stored before cycles were kept, and a namespace without one
        BillingProfileRecord cycled = new BillingProfileRecord("a", "root", "cloud", T0, T0.plusSeconds(86_400), T0,
                "P1M", "Asia/Shanghai", "P1D", "UTC");
        BillingProfileRecord old = new BillingProfileRecord("b", null, "dedicated", T0, T0.plusSeconds(60));
        run(s -> {
            s.catalog().putRegion(aws);
            s.catalog().putRegion(cn);
            s.catalog().putPlan(p1);
            s.profiles().insertBillingProfile(cycled);
            s.profiles().insertBillingProfile(old);
        });
        for (String planId : List.of("p1", "nope")) {
            for (String regionId : List.of("aws", "cn", "nowhere")) {
                PlanAndRegion both = storage.inTransaction(s -> s.catalog().findPlanAndRegion(planId, regionId));
                PlanAndRegion separately = storage.inTransaction(s -> new PlanAndRegion(
                        s.catalog().findPlan(planId).orElse(null), s.catalog().findRegion(regionId).orElse(null)));
                assertEquals(separately, both, planId + " in " + regionId);
                for (String namespace : List.of("a", "b", "none")) {
                    PlanAndProfile all = storage.inTransaction(s -> s.findPlanAndProfile(planId, regionId, namespace));
                    assertEquals(separately, all.offer(), planId + " in " + regionId + " for " + namespace);
                    assertEquals(storage.inTransaction(s -> s.profiles().findBillingProfile(namespace)).orElse(null),
                            all.profile(), planId + " in " + regionId + " for " + namespace);
                }
            }
        }
        assertEquals(cycled, storage.inTransaction(s -> s.findPlanAndProfile("p1", "aws", "a")).profile());
        assertEquals(old, storage.inTransaction(s -> s.findPlanAndProfile("nope", "aws", "b")).profile());
        PlanAndRegion both = storage.inTransaction(s -> s.catalog().findPlanAndRegion("p1", "cn"));
        assertAmount("20.00", both.plan().price());
        assertEquals("unavailable", both.region().status()); // another region than the plan's own, as asked
    }

    @Test
    void subscriptions_andAccountState_update() {
        run(s -> {
            s.accounts().insertAccount(account("a"));
            s.subscriptions().insertSubscription(new SubscriptionRecord("s2", "a", "p", "r", T0.plusSeconds(5), T0.plusSeconds(9), "active", "t2"));
            s.subscriptions().insertSubscription(new SubscriptionRecord("s1", "a", "p", "r", T0, T0.plusSeconds(9), "active", "t1"));
            s.subscriptions().updateSubscriptionStatus("s2", "cancelled");
            s.accounts().updateAccountState("a", "suspended", true);
        });
        List<SubscriptionRecord> subs = storage.inTransaction(s -> s.subscriptions().listSubscriptions("a"));
        assertEquals(List.of("s1", "s2"), subs.stream().map(SubscriptionRecord::id).toList());
        assertEquals("cancelled", subs.get(1).status());
        assertEquals(T0.plusSeconds(5), subs.get(1).periodStart());
        assertEquals("s2", storage.inTransaction(s -> s.subscriptions().findSubscriptionByTransaction("t2")).orElseThrow().id());
        AccountRecord a = storage.inTransaction(s -> s.accounts().findAccount("a")).orElseThrow();
        assertEquals("suspended", a.status());
        assertTrue(a.notification());
        assertEquals(T0, a.createdAt());
    }

    @Test
    void subscriptions_keepTheirStartAndZone_andRenewByCompareAndSet() {
        SubscriptionRecord sub = new SubscriptionRecord("s1", "a", "p", "r", T0.plusSeconds(60), T0.plusSeconds(120),
                "active", "t2", T0, "Asia/Shanghai");
        run(s -> {
            s.accounts().insertAccount(account("a"));
            s.subscriptions().insertSubscription(sub);
        });
        assertEquals(List.of(sub), storage.inTransaction(s -> s.subscriptions().listSubscriptions("a")));
        SubscriptionRecord renewed = sub.renewed(T0.plusSeconds(120), T0.plusSeconds(180), "t3");
        boolean stale = storage.inTransaction(s -> s.subscriptions().replaceSubscription(renewed, 7));
        assertFalse(stale, "stale revision");
        boolean current = storage.inTransaction(s -> s.subscriptions().replaceSubscription(renewed, 0));
        assertTrue(current);
        assertEquals(List.of(renewed.atRevision(1)), storage.inTransaction(s -> s.subscriptions().listSubscriptions("a")));
        assertEquals("Asia/Shanghai", renewed.zone());
        assertEquals(T0, renewed.startedAt());
    }
}
