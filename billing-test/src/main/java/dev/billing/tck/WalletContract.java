package dev.billing.tck;

import static dev.billing.tck.World.cny;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.billing.spi.StorageSnapshot;
import dev.billing.test.TestClock;

import dev.billing.core.BillingEngine;
import dev.billing.core.BillingException;
import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.core.InsufficientFundsException;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.accounts.Account;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanStatus;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.subscriptions.SubscriptionStatus;
import dev.billing.core.wallet.Balance;
import dev.billing.core.wallet.Transaction;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.core.wallet.TransactionPage;
import dev.billing.core.wallet.TransactionStatus;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.PostingRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.money.Monetary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The wallet's behaviour, written once and run against every storage: extend it and implement
 * {@link #newStorage()}.
 *
 * <p>Longer than most files on purpose: a plugin extends one class per area of the TCK, so an area's
 * tests stay in one class rather than in several a plugin would have to find and extend.
 */
public abstract class WalletContract {

    /** The engine and its storage under test, new for each test. */
    protected World world;
    /** The world's engine. */
    protected BillingEngine engine;

    /** @return a new, empty storage; the contract closes it */
    protected abstract BillingStorage newStorage();

    @BeforeEach
    void setUpWorld() {
        world = new World(newStorage());
        engine = world.engine;
    }

    @AfterEach
    void closeWorld() {
        world.close();
    }

    /** Runs {@code call}, expects {@code type}, and proves that the storage did not change. */
    protected <E extends BillingException> E rejectsAndChangesNothing(Class<E> type, ErrorCode code, Runnable call) {
        StorageSnapshot before = world.snapshot();
        E e = assertThrows(type, call::run);
        assertEquals(code, e.code(), e.getMessage());
        assertEquals(before, world.snapshot(), "a failed call changed the storage");
        return e;
    }

    // ------------------------------------------------------------ recharge

    @Test
    void recharge_unknownNamespace_opensAccountAndCredits() {
        Balance b = engine.wallet().recharge("chaizs", cny("1234.34"), "k1");
        assertEquals(new Balance(cny("1234.34"), AccountStatus.ACTIVE), b);
        Account a = engine.accounts().account("chaizs");
        assertEquals(Monetary.getCurrency("CNY"), a.currency());
        assertEquals(cny("1234.34"), a.balance());
        assertFalse(a.purchased());
        assertEquals(List.of(), a.plans());
    }

    @Test
    void recharge_sameKeySameRequest_returnsFirstResultAndChangesNothing() {
        Balance first = engine.wallet().recharge("ns", cny("10"), "k1");
        engine.wallet().recharge("ns", cny("5"), "k2");
        StorageSnapshot before = world.snapshot();
        Balance replay = engine.wallet().recharge("ns", cny("10.00"), "k1");
        assertEquals(first, replay);
        assertEquals(before, world.snapshot());
        assertEquals(cny("15"), engine.wallet().balance("ns").amount());
    }

    @Test
    void recharge_sameKeyDifferentRequest_isConflictAndChangesNothing() {
        engine.wallet().recharge("ns", cny("10"), "k1");
        rejectsAndChangesNothing(ConflictException.class, ErrorCode.IDEMPOTENCY_CONFLICT,
                () -> engine.wallet().recharge("ns", cny("11"), "k1"));
        rejectsAndChangesNothing(ConflictException.class, ErrorCode.IDEMPOTENCY_CONFLICT,
                () -> engine.subscriptions().checkout("ns", World.SMALL, "aws", "k1"));
    }

    @Test
    void recharge_sameKeyInAnotherNamespace_isAnotherRequest() {
        engine.wallet().recharge("a", cny("10"), "k1");
        engine.wallet().recharge("b", cny("20"), "k1");
        assertEquals(cny("10"), engine.wallet().balance("a").amount());
        assertEquals(cny("20"), engine.wallet().balance("b").amount());
    }

    @Test
    void recharge_hostPaymentMethod_isRecordedAndBalancedAgainstItsFunding() {
        engine.wallet().recharge("ns", cny("10"), "alipay", "k1");
        Transaction t = engine.wallet().transactions("ns", null, 10).items().get(0);
        assertEquals("alipay", t.paymentMethod());
        assertEquals(TransactionKind.RECHARGE, t.kind());
        assertEquals(TransactionStatus.FINISH, t.status());
    }

    @Test
    void recharge_closedAccount_isRejected() {
        engine.wallet().recharge("ns", cny("10"), "k1");
        engine.accounts().setStatus("ns", AccountStatus.CLOSED, "close");
        rejectsAndChangesNothing(ConflictException.class, ErrorCode.ACCOUNT_NOT_ACTIVE,
                () -> engine.wallet().recharge("ns", cny("10"), "k2"));
    }

    static Stream<Arguments> badRecharges() {
        return Stream.of(
                Arguments.of(null, "10", "CNY", "k", "namespace"),
                Arguments.of("", "10", "CNY", "k", "namespace"),
                Arguments.of("   ", "10", "CNY", "k", "namespace"),
                Arguments.of("x".repeat(65), "10", "CNY", "k", "namespace"),
                Arguments.of("bad\u0000ns", "10", "CNY", "k", "namespace"),
                Arguments.of("bad\nns", "10", "CNY", "k", "namespace"),
                Arguments.of("bad\u2028ns", "10", "CNY", "k", "namespace"),
                Arguments.of("bad\u2029ns", "10", "CNY", "k", "namespace"),
                Arguments.of("bad\ud800ns", "10", "CNY", "k", "namespace"),
                Arguments.of("bad\u200bns", "10", "CNY", "k", "namespace"),
                Arguments.of(" padded", "10", "CNY", "k", "namespace"),
                Arguments.of("ns", "0", "CNY", "k", "amount"),
                Arguments.of("ns", "-1", "CNY", "k", "amount"),
                Arguments.of("ns", "0.001", "CNY", "k", "amount"),
                Arguments.of("ns", "10.5", "JPY", "k", "amount"),
                Arguments.of("ns", "1000000000000000", "CNY", "k", "amount"),
                Arguments.of("ns", "10", "CNY", null, "idempotencyKey"),
                Arguments.of("ns", "10", "CNY", "", "idempotencyKey"),
                Arguments.of("ns", "10", "CNY", "k".repeat(129), "idempotencyKey"));
    }

    @ParameterizedTest
    @MethodSource("badRecharges")
    void recharge_badInput_namesTheFieldAndChangesNothing(String ns, String amount, String currency, String key,
            String field) {
        engine.wallet().recharge("existing", cny("1"), "opening");
        InvalidRequestException e = rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.INVALID_REQUEST,
                () -> engine.wallet().recharge(ns, World.money(amount, currency), key));
        assertEquals(field, e.field());
        assertTrue(e.getMessage().startsWith(field + ":"), e.getMessage());
    }

    @Test
    void recharge_namespaceOf64Characters_isAccepted() {
        String ns = "n".repeat(64);
        assertEquals(cny("1"), engine.wallet().recharge(ns, cny("1"), "k").amount());
    }

    @Test
    void recharge_wrongCurrency_isCurrencyMismatchAndChangesNothing() {
        engine.wallet().recharge("ns", cny("10"), "k1");
        InvalidRequestException e = rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.CURRENCY_MISMATCH,
                () -> engine.wallet().recharge("ns", World.money("10", "USD"), "k2"));
        assertEquals("amount", e.field());
    }

    @Test
    void recharge_toTheBalanceCeiling_isRejectedAndChangesNothing() {
        engine.wallet().recharge("ns", cny("999999999999999.00"), "k1");
        InvalidRequestException e = rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.INVALID_REQUEST,
                () -> engine.wallet().recharge("ns", cny("1.00"), "k2"));
        assertEquals("amount", e.field());
        rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.INVALID_REQUEST,
                () -> engine.wallet().adjust("ns", cny("1.00"), "goodwill", "k3"));
        assertEquals(cny("999999999999999.99"), engine.wallet().recharge("ns", cny("0.99"), "k4").amount());
    }

    @Test
    void refund_toTheBalanceCeiling_isRejectedAndChangesNothing() {
        engine.wallet().recharge("ns", cny("100"), "k1");
        engine.subscriptions().checkout("ns", World.SMALL, "aws", "k2");
        String purchase = engine.wallet().transactions("ns", null, 1).items().get(0).id();
        engine.wallet().recharge("ns", cny("999999999999900.00"), "k3");
        InvalidRequestException e = rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.INVALID_REQUEST,
                () -> engine.wallet().refund("ns", purchase, "k4"));
        assertEquals("transactionId", e.field());
    }

    @Test
    void recharge_nullAmount_isRejected() {
        InvalidRequestException e = rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.INVALID_REQUEST,
                () -> engine.wallet().recharge("ns", null, "k1"));
        assertEquals("amount", e.field());
    }

    // ------------------------------------------------------------ checkout

    @Test
    void checkout_withFunds_debitsPriceAndSubscribesForOnePeriod() {
        engine.wallet().recharge("chaizs", cny("100"), "k1");
        Balance b = engine.subscriptions().checkout("chaizs", World.MEDIUM, "aws", "k2");
        assertEquals(new Balance(cny("59.12"), AccountStatus.ACTIVE), b);
        Account a = engine.accounts().account("chaizs");
        assertTrue(a.purchased());
        assertEquals(List.of(World.MEDIUM), a.plans().stream().map(Plan::id).toList());
        var sub = a.subscriptions().get(0);
        assertEquals(world.clock.instant(), sub.periodStart());
        // 2016-09-26 17:27:04 in Shanghai + 1 month
        assertEquals(Instant.parse("2016-10-26T09:27:04Z"), sub.periodEnd());
        Transaction t = engine.wallet().transactions("chaizs", null, 1).items().get(0);
        assertAll(
                () -> assertEquals(TransactionKind.PURCHASE, t.kind()),
                () -> assertEquals(cny("40.88"), t.amount()),
                () -> assertEquals("balance", t.paymentMethod()),
                () -> assertEquals("2 CPU Cores, 1G Memory", t.description()),
                () -> assertEquals(cny("59.12"), t.balanceAfter()),
                () -> assertEquals(World.MEDIUM, t.planId()));
    }

    @Test
    void checkout_onJanuary31_endsOnLastDayOfFebruary() {
        World w = new World(newStorage(), TestClock.at("2024-01-31T10:00:00Z"), ZoneId.of("UTC"));
        try {
            w.engine.wallet().recharge("ns", cny("100"), "k1");
            w.engine.subscriptions().checkout("ns", World.NORMAL, "cn-north-1", "k2");
            assertEquals(Instant.parse("2024-02-29T10:00:00Z"), w.engine.accounts().account("ns").subscriptions().get(0).periodEnd());
        } finally {
            w.close();
        }
    }

    @Test
    void checkout_exactBalance_leavesZero() {
        engine.wallet().recharge("ns", cny("20"), "k1");
        assertEquals(cny("0"), engine.subscriptions().checkout("ns", World.SMALL, "aws", "k2").amount());
    }

    @Test
    void checkout_insufficientFunds_isDistinctErrorAndChangesNothing() {
        engine.wallet().recharge("ns", cny("20"), "k1");
        InsufficientFundsException e = rejectsAndChangesNothing(InsufficientFundsException.class,
                ErrorCode.INSUFFICIENT_FUNDS, () -> engine.subscriptions().checkout("ns", World.MEDIUM, "aws", "k2"));
        assertEquals(cny("20"), e.balance());
        assertEquals(cny("40.88"), e.required());
        // the failed key was not remembered: the same key works once the wallet is topped up
        engine.wallet().recharge("ns", cny("30"), "k3");
        assertEquals(cny("9.12"), engine.subscriptions().checkout("ns", World.MEDIUM, "aws", "k2").amount());
    }

    static Stream<Arguments> badCheckouts() {
        return Stream.of(
                Arguments.of("ns", "nope", "aws", NotFoundException.class, ErrorCode.PLAN_NOT_FOUND),
                Arguments.of("ns", World.SMALL, "nowhere", NotFoundException.class, ErrorCode.REGION_NOT_FOUND),
                Arguments.of("ghost", World.SMALL, "aws", NotFoundException.class, ErrorCode.ACCOUNT_NOT_FOUND),
                Arguments.of("ns", World.RETIRED, "aws", InvalidRequestException.class, ErrorCode.PLAN_NOT_AVAILABLE),
                Arguments.of("ns", World.SMALL, "cn-north-1", InvalidRequestException.class, ErrorCode.PLAN_NOT_AVAILABLE),
                Arguments.of("ns", World.CLOSED_REGION_PLAN, "closed-1", InvalidRequestException.class,
                        ErrorCode.REGION_NOT_AVAILABLE),
                Arguments.of("ns", "", "aws", InvalidRequestException.class, ErrorCode.INVALID_REQUEST),
                Arguments.of("ns", World.SMALL, null, InvalidRequestException.class, ErrorCode.INVALID_REQUEST),
                Arguments.of(null, World.SMALL, "aws", InvalidRequestException.class, ErrorCode.INVALID_REQUEST));
    }

    @ParameterizedTest
    @MethodSource("badCheckouts")
    void checkout_badInput_isRejectedAndChangesNothing(String ns, String plan, String region,
            Class<? extends BillingException> type, ErrorCode code) {
        engine.wallet().recharge("ns", cny("1000"), "k1");
        rejectsAndChangesNothing(type, code, () -> engine.subscriptions().checkout(ns, plan, region, "k2"));
    }

    @Test
    void checkout_planInOtherCurrency_isCurrencyMismatch() {
        engine.catalog().definePlan(Plan.of("usd-plan", "C", World.money("1", "USD"), dev.billing.core.catalog.PlanTerm.MONTHLY,
                "usd", "aws"));
        engine.wallet().recharge("ns", cny("10"), "k1");
        rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.CURRENCY_MISMATCH,
                () -> engine.subscriptions().checkout("ns", "usd-plan", "aws", "k2"));
    }

    @Test
    void checkout_suspendedAccount_isRejectedButRechargeWorks() {
        engine.wallet().recharge("ns", cny("100"), "k1");
        engine.accounts().setStatus("ns", AccountStatus.SUSPENDED, "suspend");
        rejectsAndChangesNothing(ConflictException.class, ErrorCode.ACCOUNT_NOT_ACTIVE,
                () -> engine.subscriptions().checkout("ns", World.SMALL, "aws", "k2"));
        assertEquals(new Balance(cny("110"), AccountStatus.SUSPENDED), engine.wallet().recharge("ns", cny("10"), "k3"));
    }

    @Test
    void checkout_replayedAfterLaterMoves_returnsFirstResult() {
        engine.wallet().recharge("ns", cny("100"), "k1");
        Balance first = engine.subscriptions().checkout("ns", World.SMALL, "aws", "k2");
        engine.wallet().recharge("ns", cny("7"), "k3");
        StorageSnapshot before = world.snapshot();
        assertEquals(first, engine.subscriptions().checkout("ns", World.SMALL, "aws", "k2"));
        assertEquals(before, world.snapshot());
    }

    @Test
    void checkout_repeatedAfterItsBalanceWasSpent_returnsFirstResult_thoughTheRepeatAloneWouldFail() {
        // the first attempt of a keyed call does not read its key: here the repeat's own checkout fails
        // (the first one spent the balance), and the answer must still be the first call's
        engine.wallet().recharge("ns", cny("20"), "k1");
        Balance first = engine.subscriptions().checkout("ns", World.SMALL, "aws", "k2");
        assertEquals(new Balance(cny("0.00"), AccountStatus.ACTIVE), first);
        StorageSnapshot before = world.snapshot();
        assertEquals(first, engine.subscriptions().checkout("ns", World.SMALL, "aws", "k2"));
        assertEquals(before, world.snapshot());
        rejectsAndChangesNothing(InsufficientFundsException.class, ErrorCode.INSUFFICIENT_FUNDS,
                () -> engine.subscriptions().checkout("ns", World.SMALL, "aws", "k3"));
    }

    @Test
    void recharge_repeatedAfterTheAccountClosed_returnsFirstResult_andADifferentRequestUnderItsKeyConflicts() {
        Balance first = engine.wallet().recharge("ns", cny("5"), "k1");
        engine.accounts().setStatus("ns", AccountStatus.CLOSED, "close");
        StorageSnapshot before = world.snapshot();
        assertEquals(first, engine.wallet().recharge("ns", cny("5"), "k1"));
        assertEquals(before, world.snapshot());
        // the different request fails on the closed account before its key is read: still a key conflict
        rejectsAndChangesNothing(ConflictException.class, ErrorCode.IDEMPOTENCY_CONFLICT,
                () -> engine.wallet().recharge("ns", cny("6"), "k1"));
        rejectsAndChangesNothing(ConflictException.class, ErrorCode.ACCOUNT_NOT_ACTIVE,
                () -> engine.wallet().recharge("ns", cny("5"), "k2"));
    }

    @Test
    void recharge_aDifferentRequestUnderAUsedKey_thatWouldSucceed_conflictsAndChangesNothing() {
        engine.wallet().recharge("ns", cny("5"), "k1");
        // its first attempt credits, then the key's record is refused by the store: all of it is undone
        rejectsAndChangesNothing(ConflictException.class, ErrorCode.IDEMPOTENCY_CONFLICT,
                () -> engine.wallet().recharge("ns", cny("6"), "k1"));
        assertEquals(new Balance(cny("5.00"), AccountStatus.ACTIVE), engine.wallet().recharge("ns", cny("5"), "k1"));
    }

    // ------------------------------------------------------------ market and catalog

    @Test
    void market_typeMatchesCaseInsensitively_andListsAvailablePlansCheapestFirst() {
        List<Plan> plans = engine.catalog().market("aws", "c");
        assertEquals(List.of(World.SMALL, World.MEDIUM, World.LARGE), plans.stream().map(Plan::id).toList());
        assertEquals("C", plans.get(0).type());
        assertEquals("S", plans.get(0).level());
        assertEquals(cny("40.88"), plans.get(1).price());
        assertEquals(List.of(), engine.catalog().market("aws", "normal"));
        assertEquals(List.of(World.NORMAL), engine.catalog().market("cn-north-1", null).stream().map(Plan::id).toList());
    }

    @Test
    void market_unknownRegion_isNotFound() {
        rejectsAndChangesNothing(NotFoundException.class, ErrorCode.REGION_NOT_FOUND, () -> engine.catalog().market("mars", "c"));
    }

    @Test
    void retirePlan_removesItFromMarketButKeepsSubscriptions() {
        engine.wallet().recharge("ns", cny("100"), "k1");
        engine.subscriptions().checkout("ns", World.SMALL, "aws", "k2");
        assertEquals(PlanStatus.RETIRED, engine.catalog().retirePlan(World.SMALL).status());
        assertFalse(engine.catalog().market("aws", "C").stream().anyMatch(p -> p.id().equals(World.SMALL)));
        assertEquals(List.of(World.SMALL), engine.accounts().account("ns").plans().stream().map(Plan::id).toList());
    }

    @Test
    void regions_keepUnicodeDescriptions() {
        assertEquals("铸造一区", engine.catalog().regions().stream().filter(r -> r.id().equals("cn-north-1")).findFirst()
                .orElseThrow().description());
    }

    @Test
    void definePlan_unknownRegionOrBadPrice_isRejected() {
        rejectsAndChangesNothing(NotFoundException.class, ErrorCode.REGION_NOT_FOUND, () -> engine.catalog().definePlan(
                Plan.of("p", "C", cny("1"), dev.billing.core.catalog.PlanTerm.MONTHLY, "d", "mars")));
        rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.INVALID_REQUEST, () -> engine.catalog().definePlan(
                Plan.of("p", "C", cny("0.001"), dev.billing.core.catalog.PlanTerm.MONTHLY, "d", "aws")));
        rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.INVALID_REQUEST, () -> engine.catalog().definePlan(
                Plan.of("p", "C", cny("-1"), dev.billing.core.catalog.PlanTerm.MONTHLY, "d", "aws")));
    }

    // ------------------------------------------------------------ accounts

    @Test
    void account_unknownNamespace_isNotFoundNotEmpty() {
        rejectsAndChangesNothing(NotFoundException.class, ErrorCode.ACCOUNT_NOT_FOUND, () -> engine.accounts().account("hello-org"));
        rejectsAndChangesNothing(NotFoundException.class, ErrorCode.ACCOUNT_NOT_FOUND, () -> engine.wallet().balance("hello-org"));
        rejectsAndChangesNothing(NotFoundException.class, ErrorCode.ACCOUNT_NOT_FOUND,
                () -> engine.wallet().transactions("hello-org", null, 10));
    }

    @Test
    void openAccount_explicitly_thenTwiceIsConflictUnlessSameKey() {
        Account a = engine.accounts().openAccount("hello-org", Monetary.getCurrency("USD"), "open-1");
        assertEquals(World.money("0", "USD"), a.balance());
        assertEquals(a, engine.accounts().openAccount("hello-org", Monetary.getCurrency("USD"), "open-1"));
        rejectsAndChangesNothing(ConflictException.class, ErrorCode.ACCOUNT_EXISTS,
                () -> engine.accounts().openAccount("hello-org", Monetary.getCurrency("USD"), "open-2"));
        rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.CURRENCY_MISMATCH,
                () -> engine.wallet().recharge("hello-org", cny("1"), "r1"));
    }

    @Test
    void openAccount_replayedAfterLaterMoves_returnsFirstResultAndChangesNothing() {
        Account first = engine.accounts().openAccount("ns", Monetary.getCurrency("CNY"), "open-1");
        engine.wallet().recharge("ns", cny("25"), "r1");
        engine.subscriptions().checkout("ns", World.SMALL, "aws", "c1");
        StorageSnapshot before = world.snapshot();
        assertEquals(first, engine.accounts().openAccount("ns", Monetary.getCurrency("CNY"), "open-1"));
        assertEquals(before, world.snapshot());
    }

    @Test
    void setStatus_lateRetryOfAnEarlierChange_doesNotUndoALaterOne() {
        engine.wallet().recharge("ns", cny("1"), "k1");
        engine.accounts().setStatus("ns", AccountStatus.SUSPENDED, "suspend-1");
        engine.accounts().setStatus("ns", AccountStatus.ACTIVE, "reactivate-1");
        StorageSnapshot before = world.snapshot();
        engine.accounts().setStatus("ns", AccountStatus.SUSPENDED, "suspend-1");
        assertEquals(before, world.snapshot());
        assertEquals(AccountStatus.ACTIVE, engine.accounts().account("ns").status());
        rejectsAndChangesNothing(ConflictException.class, ErrorCode.IDEMPOTENCY_CONFLICT,
                () -> engine.accounts().setStatus("ns", AccountStatus.CLOSED, "suspend-1"));
        InvalidRequestException e = rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.INVALID_REQUEST,
                () -> engine.accounts().setStatus("ns", null, "k9"));
        assertEquals("status", e.field());
    }

    @Test
    void setNotification_lateRetry_doesNotUndoALaterChange() {
        engine.wallet().recharge("ns", cny("1"), "k1");
        engine.accounts().setNotification("ns", true, "flag-1");
        engine.accounts().setNotification("ns", false, "clear-1");
        StorageSnapshot before = world.snapshot();
        engine.accounts().setNotification("ns", true, "flag-1");
        assertEquals(before, world.snapshot());
        assertFalse(engine.accounts().account("ns").notification());
    }

    @Test
    void defineRegionOrPlan_null_isInvalidRequestAndChangesNothing() {
        assertEquals("region", rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.INVALID_REQUEST,
                () -> engine.catalog().defineRegion(null)).field());
        assertEquals("plan", rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.INVALID_REQUEST,
                () -> engine.catalog().definePlan(null)).field());
    }

    @Test
    void setNotification_flagsTheAccount() {
        engine.wallet().recharge("ns", cny("1"), "k1");
        engine.accounts().setNotification("ns", true, "flag");
        assertTrue(engine.accounts().account("ns").notification());
    }

    // ------------------------------------------------------------ refunds

    @Test
    void refund_afterRenewal_cancelsOnlyWhenItPaidTheCurrentPeriod() {
        engine.wallet().recharge("ns", cny("100"), "k1");
        engine.subscriptions().checkout("ns", World.SMALL, "aws", "k2");
        String first = engine.wallet().transactions("ns", null, 1).items().get(0).id();
        world.clock.advance(Duration.ofDays(31));
        assertEquals(1, engine.runDue().renewals());
        String renewal = engine.wallet().transactions("ns", null, 1).items().get(0).id();
        engine.wallet().refund("ns", first, "k3");
        assertTrue(engine.accounts().account("ns").purchased(), "the renewal paid the current period");
        engine.wallet().refund("ns", renewal, "k4");
        assertFalse(engine.accounts().account("ns").purchased());
        assertEquals(cny("100"), engine.wallet().balance("ns").amount());
    }

    @Test
    void refund_purchase_creditsBackMarksRefundedAndCancelsSubscription() {
        engine.wallet().recharge("ns", cny("100"), "k1");
        engine.subscriptions().checkout("ns", World.LARGE, "aws", "k2");
        String purchase = engine.wallet().transactions("ns", null, 1).items().get(0).id();
        world.clock.advance(Duration.ofHours(1));
        Transaction refund = engine.wallet().refund("ns", purchase, "k3");
        assertAll(
                () -> assertEquals(TransactionKind.REFUND, refund.kind()),
                () -> assertEquals(cny("88.88"), refund.amount()),
                () -> assertEquals(purchase, refund.refundOf()),
                () -> assertEquals(cny("100"), refund.balanceAfter()),
                () -> assertEquals(cny("100"), engine.wallet().balance("ns").amount()),
                () -> assertEquals(TransactionStatus.REFUNDED, engine.wallet().transaction("ns", purchase).status()),
                () -> assertEquals(refund.id(), engine.wallet().transaction("ns", purchase).refundedBy()),
                () -> assertFalse(engine.accounts().account("ns").purchased()),
                () -> assertEquals(SubscriptionStatus.CANCELLED, engine.accounts().account("ns").subscriptions().get(0).status()));
        assertEquals(refund, engine.wallet().refund("ns", purchase, "k3"));
    }

    @Test
    void refund_twice_isAlreadyRefundedAndChangesNothing() {
        engine.wallet().recharge("ns", cny("100"), "k1");
        engine.subscriptions().checkout("ns", World.SMALL, "aws", "k2");
        String purchase = engine.wallet().transactions("ns", null, 1).items().get(0).id();
        engine.wallet().refund("ns", purchase, "k3");
        rejectsAndChangesNothing(ConflictException.class, ErrorCode.ALREADY_REFUNDED,
                () -> engine.wallet().refund("ns", purchase, "k4"));
    }

    @Test
    void refund_ofRechargeOrRefund_isNotRefundable() {
        engine.wallet().recharge("ns", cny("100"), "k1");
        String recharge = engine.wallet().transactions("ns", null, 1).items().get(0).id();
        rejectsAndChangesNothing(ConflictException.class, ErrorCode.NOT_REFUNDABLE, () -> engine.wallet().refund("ns", recharge, "k2"));
        engine.subscriptions().checkout("ns", World.SMALL, "aws", "k3");
        String purchase = engine.wallet().transactions("ns", null, 1).items().get(0).id();
        String refund = engine.wallet().refund("ns", purchase, "k4").id();
        rejectsAndChangesNothing(ConflictException.class, ErrorCode.NOT_REFUNDABLE, () -> engine.wallet().refund("ns", refund, "k5"));
    }

    @Test
    void refund_ofAnotherNamespacesTransaction_isNotFound() {
        engine.wallet().recharge("a", cny("100"), "k1");
        engine.subscriptions().checkout("a", World.SMALL, "aws", "k2");
        engine.wallet().recharge("b", cny("100"), "k1");
        String purchase = engine.wallet().transactions("a", null, 1).items().get(0).id();
        rejectsAndChangesNothing(NotFoundException.class, ErrorCode.TRANSACTION_NOT_FOUND,
                () -> engine.wallet().refund("b", purchase, "k3"));
        rejectsAndChangesNothing(NotFoundException.class, ErrorCode.TRANSACTION_NOT_FOUND,
                () -> engine.wallet().transaction("b", purchase));
        assertEquals(purchase, engine.wallet().transaction("a", purchase).id());
    }

    // ------------------------------------------------------------ adjustments

    @Test
    void adjust_creditsAndDebits_withSignedAmount_andBalancedPostings() {
        engine.wallet().recharge("ns", cny("10"), "k1");
        Transaction credit = engine.wallet().adjust("ns", cny("2.50"), "goodwill", "k2");
        assertEquals(TransactionKind.ADJUSTMENT, credit.kind());
        assertEquals(cny("2.50"), credit.amount());
        Transaction debit = engine.wallet().adjust("ns", cny("-12.50"), "correction", "k3");
        assertEquals(cny("-12.50"), debit.amount());
        assertEquals(cny("0"), debit.balanceAfter());
        assertEquals(debit, engine.wallet().adjust("ns", cny("-12.50"), "correction", "k3"));
        assertEquals(engine.wallet().balance("ns").amount(), engine.wallet().ledgerBalance("ns"));
        engine.wallet().trialBalance().values().forEach(sum -> assertTrue(sum.isZero()));
        rejectsAndChangesNothing(InsufficientFundsException.class, ErrorCode.INSUFFICIENT_FUNDS,
                () -> engine.wallet().adjust("ns", cny("-0.01"), "too much", "k4"));
        rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.INVALID_REQUEST,
                () -> engine.wallet().adjust("ns", cny("0"), "nothing", "k5"));
        rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.INVALID_REQUEST,
                () -> engine.wallet().adjust("ns", cny("1"), " ", "k6"));
        rejectsAndChangesNothing(NotFoundException.class, ErrorCode.ACCOUNT_NOT_FOUND,
                () -> engine.wallet().adjust("ghost", cny("1"), "x", "k7"));
    }

    // ------------------------------------------------------------ transactions

    @Test
    void transactions_areNewestFirst_andPageWithCursor() {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            engine.wallet().recharge("ns", cny(Integer.toString(i)), "k" + i);
            ids.add(0, engine.wallet().transactions("ns", null, 1).items().get(0).id());
            world.clock.advance(Duration.ofSeconds(1));
        }
        engine.wallet().recharge("other", cny("1"), "k1");
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            TransactionPage page = engine.wallet().transactions("ns", cursor, 3);
            page.items().forEach(t -> seen.add(t.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertEquals(ids, seen);
        assertEquals(3, pages);
        rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.INVALID_REQUEST,
                () -> engine.wallet().transactions("ns", "garbage", 3));
        // a cursor is the id of its page's last transaction, and valid only in its own namespace
        TransactionPage first = engine.wallet().transactions("ns", null, 3);
        assertEquals(first.items().get(2).id(), first.nextCursor());
        String foreign = engine.wallet().transactions("other", null, 1).items().get(0).id();
        assertEquals("cursor", rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.INVALID_REQUEST,
                () -> engine.wallet().transactions("ns", foreign, 3)).field());
        rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.INVALID_REQUEST,
                () -> engine.wallet().transactions("ns", null, 0));
    }

    @Test
    void lookAlikeNamespaces_areRefused_andChangeNothing() {
        engine.wallet().recharge("caf\u00e9", cny("1"), "k1");
        StorageSnapshot before = world.snapshot();
        for (String lookAlike : List.of("cafe\u0301", "caf\u00e9\u00a0", "\u00a0caf\u00e9", "caf\u00e9\ufe0f",
                "caf\u00e9\u2003")) {
            InvalidRequestException e = rejectsAndChangesNothing(InvalidRequestException.class, ErrorCode.INVALID_REQUEST,
                    () -> engine.wallet().recharge(lookAlike, cny("1"), "k2"));
            assertEquals("namespace", e.field(), lookAlike);
        }
        assertEquals(before, world.snapshot());
        assertEquals(cny("1"), engine.wallet().balance("caf\u00e9").amount(), "one account, spelled composed");
    }

    @Test
    void transaction_unknownId_isNotFound() {
        engine.wallet().recharge("ns", cny("1"), "k1");
        rejectsAndChangesNothing(NotFoundException.class, ErrorCode.TRANSACTION_NOT_FOUND, () -> engine.wallet().transaction("ns", "we"));
    }

    // ------------------------------------------------------------ ledger

    @Test
    void ledger_balancesAfterEveryKindOfMovement() {
        engine.wallet().recharge("ns", cny("100"), "k1");
        engine.wallet().recharge("ns", cny("0.01"), "wechat", "k2");
        engine.subscriptions().checkout("ns", World.MEDIUM, "aws", "k3");
        engine.wallet().refund("ns", engine.wallet().transactions("ns", null, 1).items().get(0).id(), "k4");
        engine.subscriptions().checkout("ns", World.SMALL, "aws", "k5");
        assertEquals(cny("80.01"), engine.wallet().balance("ns").amount());
        assertEquals(engine.wallet().balance("ns").amount(), engine.wallet().ledgerBalance("ns"));
        Map<javax.money.CurrencyUnit, javax.money.MonetaryAmount> trial = engine.wallet().trialBalance();
        trial.values().forEach(sum -> assertTrue(sum.isZero(), "trial balance " + trial));
        assertFalse(trial.isEmpty());
        Consumer<StorageSnapshot> postingsSumToZero = s -> assertEquals(0, s.postings().stream()
                .map(dev.billing.spi.PostingRecord::amount).reduce(java.math.BigDecimal.ZERO, java.math.BigDecimal::add).signum());
        postingsSumToZero.accept(world.snapshot());
    }
}
