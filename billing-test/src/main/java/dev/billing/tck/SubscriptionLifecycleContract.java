package dev.billing.tck;

import static dev.billing.core.events.EventType.SUBSCRIPTION_CANCELLED;
import static dev.billing.core.events.EventType.SUBSCRIPTION_ENDED;
import static dev.billing.core.events.EventType.SUBSCRIPTION_IN_GRACE;
import static dev.billing.core.events.EventType.SUBSCRIPTION_RENEWAL_FAILED;
import static dev.billing.core.events.EventType.SUBSCRIPTION_RENEWED;
import static dev.billing.core.events.EventType.SUBSCRIPTION_RESUMED;
import static dev.billing.core.events.EventType.SUBSCRIPTION_SWITCHED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.core.InsufficientFundsException;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.events.Event;
import dev.billing.core.events.EventType;
import dev.billing.core.subscriptions.CancelMode;
import dev.billing.core.subscriptions.Subscription;
import dev.billing.core.subscriptions.SubscriptionPolicy;
import dev.billing.core.subscriptions.SubscriptionStatus;
import dev.billing.core.subscriptions.SwitchQuote;
import dev.billing.core.wallet.Transaction;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageSnapshot;
import dev.billing.test.BillingFixture;
import dev.billing.test.EventCapture;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The subscription lifecycle on a storage, walked through with the test clock over months, written once
 * and run against every storage: extend it and implement {@link #newStorage()}. Plan versions between
 * renewals, a retired plan's subscriptions ending, switching up and down with proration (and its quote),
 * cancelling both ways, renewing early, failing, grace, a recharge during grace, the end.
 *
 * <p>The first period runs from 2026-01-05T09:00Z to 2026-02-05T09:00Z: 31 days, so its middle,
 * 2026-01-20T21:00Z, leaves exactly half of it.
 *
 * <p>Longer than most files: one suite per SPI area is the TCK's rule, so every lifecycle scenario lives
 * here, each spelled out month by month with its amounts, rather than behind helpers that would hide them.
 */
public abstract class SubscriptionLifecycleContract {

    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    private static final Instant MIDDLE = Instant.parse("2026-01-20T21:00:00Z");
    private static final Instant END = Instant.parse("2026-02-05T09:00:00Z");

    private BillingFixture billing;
    private BillingEngine engine;
    private EventCapture events;

    /** @return a new, empty storage; the contract closes it */
    protected abstract BillingStorage newStorage();

    private void build(SubscriptionPolicy policy) {
        billing = BillingFixture.builder().storage(newStorage()).start(START).zone(ZoneOffset.UTC).policy(policy)
                .region(Region.available("cn-north-1", "North"))
                .plan(Plan.of("c-small", "C", cny("20"), PlanTerm.MONTHLY, "1 CPU", "cn-north-1"))
                .plan(Plan.of("c-large", "C", cny("40"), PlanTerm.MONTHLY, "2 CPU", "cn-north-1"))
                .plan(Plan.of("c-year", "C", cny("200"), PlanTerm.YEARLY, "1 CPU, a year", "cn-north-1"))
                .plan(Plan.of("c-day", "C", cny("1"), PlanTerm.DAILY, "1 CPU, a day", "cn-north-1"))
                .build();
        engine = billing.engine();
        events = billing.events();
    }

    @AfterEach
    void check() {
        billing.assertInvariants();
        billing.close();
    }

    private static Money cny(String amount) {
        return Money.of(new BigDecimal(amount), "CNY");
    }

    private Money balance() {
        return Money.from(engine.wallet().balance("acme").amount());
    }

    private Subscription only() {
        List<Subscription> all = engine.subscriptions().subscriptions("acme");
        assertEquals(1, all.size(), all.toString());
        return all.get(0);
    }

    private String buy(String recharge, String plan) {
        engine.wallet().recharge("acme", cny(recharge), "r-" + plan);
        engine.subscriptions().checkout("acme", plan, "cn-north-1", "c-" + plan);
        return only().id();
    }

    private StorageSnapshot snapshot() {
        return StorageSnapshot.of(billing.storage());
    }

    private List<EventType> lifecycleTypes() {
        return events.types().stream().filter(t -> t.code().startsWith("subscription.")).toList();
    }

    // ------------------------------------------------------------------ plan versions and retirement

    @Test
    void aPriceChange_isANewVersion_theSubscriptionPaysItsVersionUntilItRenews() {
        build(SubscriptionPolicy.DEFAULT);
        String id = buy("100", "c-small");
        engine.catalog().definePlan(Plan.of("c-small", "C", cny("25"), PlanTerm.MONTHLY, "1 CPU", "cn-north-1"));
        assertEquals(2, engine.catalog().planVersion("c-small"));
        assertEquals(cny("20.00"), engine.catalog().plan("c-small", 1).price());
        assertEquals(1, only().planVersion());
        assertEquals(cny("20.00"), only().plan().price(), "the version it bought");
        engine.catalog().definePlan(Plan.of("c-small", "C", cny("25.00"), PlanTerm.MONTHLY, "1 CPU", "cn-north-1"));
        assertEquals(2, engine.catalog().planVersion("c-small"), "the same terms again: no new version");

        billing.travel(Period.ofMonths(1));
        assertEquals(2, only().planVersion());
        assertEquals(cny("55.00"), balance(), "100 - 20 - 25: the renewal paid the current version");
        Event renewed = events.last(SUBSCRIPTION_RENEWED);
        assertEquals("2", renewed.get("planVersion"));
        assertEquals("25.00", renewed.get("amount"));
        assertEquals(id, renewed.subject());
    }

    @Test
    void aRetiredPlansSubscription_endsAtItsPeriodEnd_withoutACharge_andNeverRenews() {
        build(SubscriptionPolicy.DEFAULT);
        buy("100", "c-small");
        engine.catalog().retirePlan("c-small");
        billing.travelTo(END.minusSeconds(1));
        assertEquals(SubscriptionStatus.ACTIVE, only().status(), "it runs to its period end");
        billing.travel(Period.ofMonths(3));
        assertEquals(SubscriptionStatus.EXPIRED, only().status());
        assertEquals(cny("80.00"), balance());
        assertEquals("plan_retired", events.last(SUBSCRIPTION_ENDED).get("reason"));
        assertEquals(1, events.ofType(SUBSCRIPTION_ENDED).size());
        assertFalse(lifecycleTypes().contains(SUBSCRIPTION_RENEWAL_FAILED));
    }

    // ------------------------------------------------------------------ switching

    @Test
    void switchingUpMidPeriod_creditsTheUnusedHalf_chargesTheNewPlansHalf_asItsQuoteSaid() {
        build(SubscriptionPolicy.DEFAULT);
        String id = buy("100", "c-small");
        billing.clock().advanceTo(MIDDLE);
        SwitchQuote quote = engine.subscriptions().quoteSwitch("acme", id, "c-large");
        assertEquals(cny("10.00"), quote.credit());
        assertEquals(cny("20.00"), quote.charge());
        assertEquals(cny("10.00"), quote.net());
        assertEquals(END, quote.periodEnd());
        StorageSnapshot quoted = snapshot();
        assertEquals(quoted, snapshot(), "a quote changes nothing");

        Subscription switched = engine.subscriptions().switchPlan("acme", id, "c-large", "sw-1");
        assertEquals("c-large", switched.plan().id());
        assertEquals(START, switched.periodStart());
        assertEquals(END, switched.periodEnd(), "the period is kept");
        assertEquals(Money.from(cny("80.00")).subtract(quote.net()), balance(), "exactly what the quote said");
        List<Transaction> history = engine.wallet().transactions("acme", null, 10).items();
        assertEquals(TransactionKind.PURCHASE, history.get(0).kind());
        assertEquals(cny("20.00"), history.get(0).amount());
        assertEquals(TransactionKind.PRORATION, history.get(1).kind());
        assertEquals(cny("10.00"), history.get(1).amount());
        Event event = events.last(SUBSCRIPTION_SWITCHED);
        assertEquals("10.00", event.get("credit"));
        assertEquals("20.00", event.get("charge"));
        assertEquals(switched, engine.subscriptions().switchPlan("acme", id, "c-large", "sw-1"), "the key replays");
        assertEquals(cny("70.00"), balance());

        billing.travel(Period.ofMonths(1));
        assertEquals(cny("30.00"), balance(), "it renewed on the new plan");
    }

    @Test
    void switchingDownMidPeriod_creditsTheLargerPlansHalf_chargesTheSmallerOnesHalf_andRenewsOnTheSmallerOne() {
        build(SubscriptionPolicy.DEFAULT);
        String id = buy("100", "c-large");
        billing.clock().advanceTo(MIDDLE);
        SwitchQuote quote = engine.subscriptions().quoteSwitch("acme", id, "c-small");
        assertEquals(cny("20.00"), quote.credit(), "half of the 40.00 paid");
        assertEquals(cny("10.00"), quote.charge(), "half of c-small's 20.00");
        assertEquals(cny("-10.00"), quote.net(), "a downgrade pays back");
        engine.subscriptions().switchPlan("acme", id, "c-small", "down");
        assertEquals(cny("70.00"), balance(), "60.00 + 20.00 - 10.00");
        List<Transaction> history = engine.wallet().transactions("acme", null, 10).items();
        assertEquals(TransactionKind.PURCHASE, history.get(0).kind());
        assertEquals(cny("10.00"), history.get(0).amount());
        assertEquals(TransactionKind.PRORATION, history.get(1).kind());
        assertEquals(cny("20.00"), history.get(1).amount());
        assertEquals(END, only().periodEnd(), "the period is kept");
        billing.travel(Period.ofMonths(1));
        assertEquals(cny("50.00"), balance(), "renewed at c-small's 20.00");
        assertEquals("c-small", only().plan().id());
    }

    @Test
    void switchingDownThenBackUpAtOnce_returnsTheBalanceExactly() {
        build(SubscriptionPolicy.DEFAULT);
        String id = buy("100", "c-large");
        billing.clock().advanceTo(Instant.parse("2026-01-13T17:17:17.123Z"));
        engine.subscriptions().switchPlan("acme", id, "c-small", "down");
        engine.subscriptions().switchPlan("acme", id, "c-large", "up");
        assertEquals(cny("60.00"), balance(), "at one instant the two prorations cancel out");
        assertEquals("c-large", only().plan().id());
    }

    @Test
    void refusedSwitches_changeNothing() {
        build(SubscriptionPolicy.DEFAULT);
        String id = buy("25", "c-small");
        billing.clock().advanceTo(MIDDLE);
        StorageSnapshot before = snapshot();
        assertEquals("planId", assertThrows(InvalidRequestException.class,
                () -> engine.subscriptions().switchPlan("acme", id, "c-small", "k1")).field(), "the same plan");
        assertEquals("planId", assertThrows(InvalidRequestException.class,
                () -> engine.subscriptions().switchPlan("acme", id, "c-year", "k2")).field(), "another term");
        assertThrows(InsufficientFundsException.class, () -> engine.subscriptions().switchPlan("acme", id, "c-large", "k3"),
                "5.00 left, 10.00 to pay");
        assertEquals(ErrorCode.SUBSCRIPTION_NOT_FOUND, assertThrows(NotFoundException.class,
                () -> engine.subscriptions().switchPlan("acme", "nope", "c-large", "k4")).code());
        engine.wallet().recharge("beta", cny("100"), "rb");
        StorageSnapshot withBeta = snapshot();
        assertEquals(ErrorCode.SUBSCRIPTION_NOT_FOUND, assertThrows(NotFoundException.class,
                () -> engine.subscriptions().quoteSwitch("beta", id, "c-large")).code(), "another account's");
        engine.catalog().retirePlan("c-large");
        StorageSnapshot retired = snapshot();
        assertEquals(ErrorCode.PLAN_NOT_AVAILABLE, assertThrows(InvalidRequestException.class,
                () -> engine.subscriptions().quoteSwitch("acme", id, "c-large")).code());
        assertEquals(retired, snapshot());
        assertEquals(before.subscriptions(), withBeta.subscriptions());
        assertEquals(before.transactions(), withBeta.transactions().subList(0, before.transactions().size()));
    }

    /** Eight requests switch one subscription at once, each with its own key: one switch, charged once. */
    @Test
    void concurrentSwitchesOfOneSubscription_switchItOnce() throws Exception {
        build(SubscriptionPolicy.DEFAULT);
        String id = buy("100", "c-small");
        billing.clock().advanceTo(MIDDLE);
        int threads = 8;
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Object>> results = new java.util.ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String key = "sw-" + i;
                results.add(pool.submit(() -> {
                    start.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    try {
                        return engine.subscriptions().switchPlan("acme", id, "c-large", key);
                    } catch (dev.billing.core.BillingException e) {
                        return e;
                    }
                }));
            }
            int switched = 0;
            for (java.util.concurrent.Future<Object> f : results) {
                Object o = f.get(120, java.util.concurrent.TimeUnit.SECONDS);
                if (o instanceof Subscription) {
                    switched++;
                } else {
                    assertEquals("planId", ((InvalidRequestException) o).field(), "the others find it on the plan already");
                }
            }
            assertEquals(1, switched);
            assertEquals(cny("70.00"), balance(), "one credit of 10.00, one charge of 20.00");
            assertEquals(1, events.ofType(SUBSCRIPTION_SWITCHED).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void afterASwitchOrARefundedCancellation_theOriginalPurchaseCannotBeRefundedWhole() {
        build(SubscriptionPolicy.DEFAULT);
        String id = buy("100", "c-small");
        String purchase = engine.wallet().transactions("acme", null, 10).items().get(0).id();
        billing.clock().advanceTo(MIDDLE);
        engine.subscriptions().switchPlan("acme", id, "c-large", "sw");
        StorageSnapshot before = snapshot();
        assertEquals(ErrorCode.ALREADY_REFUNDED, assertThrows(ConflictException.class,
                () -> engine.wallet().refund("acme", purchase, "ref-1")).code(), "its unused half was credited already");
        assertEquals(before, snapshot());
        String charge = only().transactionId();
        engine.subscriptions().cancel("acme", id, CancelMode.IMMEDIATELY, true, "x");
        StorageSnapshot cancelled = snapshot();
        assertEquals(ErrorCode.ALREADY_REFUNDED, assertThrows(ConflictException.class,
                () -> engine.wallet().refund("acme", charge, "ref-2")).code(), "the cancellation paid back its unused part");
        assertEquals(cancelled, snapshot());
    }

    @Test
    void aPlanKeepsItsTermAndCurrency() {
        build(SubscriptionPolicy.DEFAULT);
        buy("100", "c-small");
        StorageSnapshot before = snapshot();
        assertEquals("plan.term", assertThrows(InvalidRequestException.class, () -> engine.catalog().definePlan(
                Plan.of("c-small", "C", cny("200"), PlanTerm.YEARLY, "1 CPU", "cn-north-1"))).field());
        assertEquals(ErrorCode.CURRENCY_MISMATCH, assertThrows(InvalidRequestException.class, () -> engine.catalog()
                .definePlan(Plan.of("c-small", "C", Money.of(3, "USD"), PlanTerm.MONTHLY, "1 CPU", "cn-north-1"))).code());
        assertEquals(before, snapshot());
    }

    // ------------------------------------------------------------------ cancelling

    @Test
    void cancellingAtThePeriodEnd_endsItThere_withoutARenewalOrARefund() {
        build(SubscriptionPolicy.DEFAULT);
        String id = buy("100", "c-small");
        billing.clock().advanceTo(MIDDLE);
        Subscription cancelled = engine.subscriptions().cancel("acme", id, CancelMode.AT_PERIOD_END, false, "x1");
        assertTrue(cancelled.cancelAtPeriodEnd());
        assertEquals(SubscriptionStatus.ACTIVE, cancelled.status(), "it runs to its end");
        assertEquals("at_period_end", events.last(SUBSCRIPTION_CANCELLED).get("mode"));
        billing.travel(Period.ofMonths(2));
        assertEquals(SubscriptionStatus.CANCELLED, only().status());
        assertEquals(cny("80.00"), balance());
        assertEquals("cancelled", events.last(SUBSCRIPTION_ENDED).get("reason"));
        assertEquals(ErrorCode.SUBSCRIPTION_NOT_ACTIVE, assertThrows(ConflictException.class,
                () -> engine.subscriptions().cancel("acme", id, CancelMode.IMMEDIATELY, false, "x2")).code());
    }

    @Test
    void resumingBeforeThePeriodEnd_takesTheCancellationBack_andItRenewsAsIfNeverCancelled() {
        build(SubscriptionPolicy.DEFAULT);
        String id = buy("100", "c-small");
        billing.clock().advanceTo(MIDDLE);
        engine.subscriptions().cancel("acme", id, CancelMode.AT_PERIOD_END, false, "x1");
        Subscription resumed = engine.subscriptions().resume("acme", id, "u1");
        assertFalse(resumed.cancelAtPeriodEnd());
        assertEquals(SubscriptionStatus.ACTIVE, resumed.status());
        assertEquals(END.toString(), events.last(SUBSCRIPTION_RESUMED).get("periodEnd"));
        assertEquals(resumed, engine.subscriptions().resume("acme", id, "u1"), "a retry replays");
        assertEquals(resumed, engine.subscriptions().resume("acme", id, "u2"), "resuming again changes nothing");
        assertEquals(1, events.ofType(SUBSCRIPTION_RESUMED).size(), "one event for one change");
        assertEquals(cny("80.00"), balance(), "nothing charged or paid back");
        billing.travel(Period.ofMonths(2));
        assertEquals(SubscriptionStatus.ACTIVE, only().status());
        assertEquals(cny("40.00"), balance(), "renewed at each of the two period ends");
        assertEquals(2, events.ofType(SUBSCRIPTION_RENEWED).size());
        assertTrue(events.ofType(SUBSCRIPTION_ENDED).isEmpty());
    }

    @Test
    void refusedResumes_changeNothing() {
        build(SubscriptionPolicy.DEFAULT);
        String id = buy("100", "c-small");
        billing.clock().advanceTo(MIDDLE);
        engine.subscriptions().cancel("acme", id, CancelMode.AT_PERIOD_END, false, "x1");
        StorageSnapshot before = snapshot();
        assertEquals(ErrorCode.SUBSCRIPTION_NOT_FOUND, assertThrows(NotFoundException.class,
                () -> engine.subscriptions().resume("acme", "no-such", "u1")).code());
        assertEquals("idempotencyKey", assertThrows(InvalidRequestException.class,
                () -> engine.subscriptions().resume("acme", id, " ")).field());
        assertEquals(before, snapshot());
        engine.catalog().retirePlan("c-small");
        StorageSnapshot retired = snapshot();
        assertEquals(ErrorCode.PLAN_NOT_AVAILABLE, assertThrows(InvalidRequestException.class,
                () -> engine.subscriptions().resume("acme", id, "u2")).code(), "a retired plan's subscription ends regardless");
        assertEquals(retired, snapshot());
        engine.catalog().definePlan(Plan.of("c-small", "C", cny("20"), PlanTerm.MONTHLY, "1 CPU", "cn-north-1"));
        billing.clock().advanceTo(END);
        StorageSnapshot ended = snapshot();
        assertEquals(ErrorCode.SUBSCRIPTION_NOT_ACTIVE, assertThrows(ConflictException.class,
                () -> engine.subscriptions().resume("acme", id, "u3")).code(), "its period end has passed, before any due run");
        assertEquals(ended, snapshot());
        engine.runDue();
        assertEquals(SubscriptionStatus.CANCELLED, only().status());
        assertEquals(ErrorCode.SUBSCRIPTION_NOT_ACTIVE, assertThrows(ConflictException.class,
                () -> engine.subscriptions().resume("acme", id, "u4")).code());
        assertTrue(events.ofType(SUBSCRIPTION_RESUMED).isEmpty());
    }

    @Test
    void cancellingImmediately_withAProRataRefund_paysBackTheUnusedHalf() {
        build(SubscriptionPolicy.DEFAULT);
        String id = buy("100", "c-small");
        billing.clock().advanceTo(MIDDLE);
        Subscription cancelled = engine.subscriptions().cancel("acme", id, CancelMode.IMMEDIATELY, true, "x1");
        assertEquals(SubscriptionStatus.CANCELLED, cancelled.status());
        assertEquals(MIDDLE, cancelled.periodEnd());
        assertEquals(cny("90.00"), balance());
        assertEquals("10.00", events.last(SUBSCRIPTION_CANCELLED).get("refund"));
        assertEquals(cancelled, engine.subscriptions().cancel("acme", id, CancelMode.IMMEDIATELY, true, "x1"),
                "the key replays");
        billing.travel(Period.ofMonths(1));
        assertEquals(cny("90.00"), balance(), "never renewed");
    }

    @Test
    void refundingThePurchase_cancelsTheSubscription_andSaysSo() {
        build(SubscriptionPolicy.DEFAULT);
        String id = buy("100", "c-small");
        String purchase = only().transactionId();
        engine.wallet().refund("acme", purchase, "ref");
        assertEquals(SubscriptionStatus.CANCELLED, only().status());
        assertEquals("refunded", events.last(SUBSCRIPTION_CANCELLED).get("mode"));
        assertEquals("20.00", events.last(SUBSCRIPTION_CANCELLED).get("refund"));
        assertEquals(id, events.last(SUBSCRIPTION_ENDED).subject());
    }

    @Test
    void cancellingImmediately_withoutARefund_paysNothingBack_andWhatThePolicyForbidsIsRefused() {
        build(new SubscriptionPolicy(Duration.ZERO, Duration.ZERO, Duration.ofDays(1), true, false));
        String id = buy("100", "c-small");
        billing.clock().advanceTo(MIDDLE);
        StorageSnapshot before = snapshot();
        assertEquals("refund", assertThrows(InvalidRequestException.class,
                () -> engine.subscriptions().cancel("acme", id, CancelMode.IMMEDIATELY, true, "x1")).field());
        assertEquals("refund", assertThrows(InvalidRequestException.class,
                () -> engine.subscriptions().cancel("acme", id, CancelMode.AT_PERIOD_END, true, "x2")).field());
        assertEquals(before, snapshot());
        engine.subscriptions().cancel("acme", id, CancelMode.IMMEDIATELY, false, "x3");
        assertEquals(cny("80.00"), balance());
        assertEquals(SubscriptionStatus.CANCELLED, only().status());
    }

    // ------------------------------------------------------------------ renewal window, grace

    @Test
    void aWindowLongerThanHalfThePeriod_renewsHalfWayThrough_neverMoreThanOnePeriodAhead() {
        build(SubscriptionPolicy.REFERENCE);
        buy("10", "c-day");
        for (int hour = 0; hour < 12; hour++) {
            billing.clock().advanceTo(START.plus(Duration.ofHours(hour)));
            engine.runDue();
        }
        assertEquals(cny("9.00"), balance(), "a 7-day window on a daily plan: not at its checkout, nor before half-way");
        billing.clock().advanceTo(START.plus(Duration.ofHours(12)));
        engine.runDue();
        engine.runDue();
        assertEquals(cny("8.00"), balance(), "renewed once, half-way through");
        assertEquals(START.plus(Duration.ofDays(1)), only().periodStart());
        billing.clock().advanceTo(START.plus(Duration.ofHours(35)));
        engine.runDue();
        assertEquals(cny("8.00"), balance(), "the period paid ahead is not half over");
        billing.travel(Duration.ofDays(3));
        assertEquals(cny("5.00"), balance(), "one renewal a day");
        assertEquals(START.plus(Duration.ofDays(5)), only().periodEnd());
        assertEquals(4, events.ofType(SUBSCRIPTION_RENEWED).size());
    }

    @Test
    void withTheReferencePolicy_renewsAWeekEarly() {
        build(SubscriptionPolicy.REFERENCE);
        buy("40", "c-small");
        billing.travelTo(END.minus(Duration.ofDays(7)));
        assertEquals(cny("0.00"), balance(), "renewed on Jan 29 for the period from Feb 5");
        assertEquals(END, only().periodStart());
        assertEquals(Instant.parse("2026-03-05T09:00:00Z"), only().periodEnd());
    }

    @Test
    void anUnpaidRenewal_failsEarly_thenGoesPastDue_notifiesDaily_andEndsAfterItsGrace() {
        build(SubscriptionPolicy.REFERENCE);
        String id = buy("20", "c-small");
        billing.travelTo(END.minus(Duration.ofDays(7)));
        assertEquals(List.of(SUBSCRIPTION_RENEWAL_FAILED), lifecycleTypes().subList(1, lifecycleTypes().size()));
        assertTrue(engine.accounts().account("acme").notification(), "the account is flagged");
        assertEquals(SubscriptionStatus.ACTIVE, only().status(), "its period is paid until Feb 5");
        events.clear();
        billing.travelTo(END.minus(Duration.ofDays(7)).plus(Duration.ofHours(23)));
        assertEquals(List.of(), lifecycleTypes(), "at most once a day");
        billing.travelTo(END);
        assertEquals(SubscriptionStatus.PAST_DUE, only().status());
        assertEquals(END.plus(Duration.ofDays(7)), only().graceUntil());
        assertTrue(lifecycleTypes().contains(SUBSCRIPTION_IN_GRACE));
        long notifications = lifecycleTypes().stream().filter(SUBSCRIPTION_RENEWAL_FAILED::equals).count();
        assertEquals(7, notifications, "Jan 30 to Feb 5, once a day");
        events.clear();
        billing.travelTo(END.plus(Duration.ofDays(7)));
        assertEquals(SubscriptionStatus.EXPIRED, only().status());
        assertEquals("unpaid", events.last(SUBSCRIPTION_ENDED).get("reason"));
        assertEquals(id, events.last(SUBSCRIPTION_ENDED).subject());
        assertEquals(cny("0.00"), balance(), "never charged");
        billing.travel(Period.ofMonths(2));
        assertEquals(SubscriptionStatus.EXPIRED, only().status());
    }

    @Test
    void aRechargeDuringGrace_renewsAtOnce_fromTheOldPeriodEnd() {
        build(SubscriptionPolicy.REFERENCE);
        buy("20", "c-small");
        billing.travelTo(END.plus(Duration.ofDays(2)));
        assertEquals(SubscriptionStatus.PAST_DUE, only().status());
        events.clear();
        engine.wallet().recharge("acme", cny("30"), "r-grace");
        Subscription renewed = only();
        assertEquals(SubscriptionStatus.ACTIVE, renewed.status());
        assertNull(renewed.graceUntil());
        assertEquals(END, renewed.periodStart(), "no gap: the new period starts where the old one ended");
        assertEquals(Instant.parse("2026-03-05T09:00:00Z"), renewed.periodEnd());
        assertEquals(cny("10.00"), balance());
        assertEquals(List.of(SUBSCRIPTION_RENEWED), lifecycleTypes());
    }

    @Test
    void aProvidersPaymentOrACouponDuringGrace_renewsAtOnce_asARechargeDoes() {
        build(SubscriptionPolicy.REFERENCE);
        buy("20", "c-small");
        billing.travelTo(END.plus(Duration.ofDays(1)));
        assertEquals(SubscriptionStatus.PAST_DUE, only().status());
        engine.payments().begin("acme", cny("15"), "alipay", "trade-1");
        assertEquals(SubscriptionStatus.PAST_DUE, only().status(), "a pending payment credits nothing");
        engine.payments().confirm("alipay", "trade-1");
        assertEquals(SubscriptionStatus.PAST_DUE, only().status(), "15.00 does not cover 20.00");
        String code = engine.coupons().createBatch("b", cny("5"), 1, END.plus(Duration.ofDays(30))).get(0).code();
        engine.coupons().redeem(code, "acme");
        assertEquals(SubscriptionStatus.ACTIVE, only().status(), "the coupon made up the rest: renewed at once");
        assertEquals(END, only().periodStart());
        assertEquals(cny("0.00"), balance());
    }

    @Test
    void twoFailingSubscriptions_flagTheAccountOncePerInterval_eachWithItsOwnEvent() {
        build(SubscriptionPolicy.REFERENCE);
        engine.wallet().recharge("acme", cny("60"), "r-both");
        engine.subscriptions().checkout("acme", "c-small", "cn-north-1", "c-1");
        billing.clock().advance(Duration.ofHours(12));
        engine.subscriptions().checkout("acme", "c-large", "cn-north-1", "c-2");
        billing.travelTo(END.minus(Duration.ofDays(7)));
        assertTrue(engine.accounts().account("acme").notification(), "c-small's renewal failed");
        engine.accounts().setNotification("acme", false, "notified-1");
        events.clear();
        billing.travelTo(END.minus(Duration.ofDays(7)).plus(Duration.ofHours(12)));
        assertEquals(List.of(SUBSCRIPTION_RENEWAL_FAILED), lifecycleTypes(), "c-large's renewal failed, and says so");
        assertFalse(engine.accounts().account("acme").notification(), "but the account was flagged 12 hours ago");
        billing.travelTo(END.minus(Duration.ofDays(6)));
        assertTrue(engine.accounts().account("acme").notification(), "a day after: flagged again");
    }

    @Test
    void aRechargeDuringGrace_renewsAtOnce_evenAfterTheHostClearedTheNotificationFlag() {
        build(SubscriptionPolicy.REFERENCE);
        buy("20", "c-small");
        billing.travelTo(END.plus(Duration.ofDays(2)));
        assertEquals(SubscriptionStatus.PAST_DUE, only().status());
        engine.accounts().setNotification("acme", false, "notified");
        engine.wallet().recharge("acme", cny("30"), "r-grace");
        assertEquals(SubscriptionStatus.ACTIVE, only().status(), "renewed by the recharge, not by the next due run");
        assertEquals(END, only().periodStart());
        assertEquals(cny("10.00"), balance());
    }

    @Test
    void aCreditDuringGrace_thatCoversOneOfTwoSubscriptions_renewsThatOne_andTheNextCreditTheOther() {
        build(SubscriptionPolicy.REFERENCE);
        engine.wallet().recharge("acme", cny("60"), "r-both");
        engine.subscriptions().checkout("acme", "c-small", "cn-north-1", "c-1");
        engine.subscriptions().checkout("acme", "c-large", "cn-north-1", "c-2");
        billing.travelTo(END.plus(Duration.ofDays(1)));
        List<Subscription> late = engine.subscriptions().subscriptions("acme");
        assertEquals(List.of(SubscriptionStatus.PAST_DUE, SubscriptionStatus.PAST_DUE),
                late.stream().map(Subscription::status).toList());
        engine.wallet().recharge("acme", cny("25"), "r-some");
        long active = engine.subscriptions().subscriptions("acme").stream()
                .filter(sub -> sub.status() == SubscriptionStatus.ACTIVE).count();
        assertEquals(1, active, "the balance covered c-small only");
        assertEquals(cny("5.00"), balance());
        engine.wallet().recharge("acme", cny("35"), "r-rest");
        assertEquals(List.of(SubscriptionStatus.ACTIVE, SubscriptionStatus.ACTIVE),
                engine.subscriptions().subscriptions("acme").stream().map(Subscription::status).toList(),
                "still past due after the first credit, so the second looked again");
        assertEquals(cny("0.00"), balance());
    }

    // ------------------------------------------------------------------ renewed ahead, then changed

    /** Three days before the end of a 31-day period, a week after its early renewal. */
    private static final Instant RENEWED_AHEAD = END.minus(Duration.ofDays(3));

    private String renewedAhead(String recharge) {
        build(SubscriptionPolicy.REFERENCE);
        String id = buy(recharge, "c-small");
        billing.travelTo(RENEWED_AHEAD);
        assertEquals(END, only().periodStart(), "renewed a week early for the period from Feb 5");
        return id;
    }

    @Test
    void cancellingAtOnceAfterAnEarlyRenewal_endsNow_payingBackTheRenewalAndTheRestOfTheRunningPeriod() {
        String id = renewedAhead("40");
        assertEquals(cny("0.00"), balance());
        Subscription cancelled = engine.subscriptions().cancel("acme", id, CancelMode.IMMEDIATELY, true, "x");
        assertEquals(SubscriptionStatus.CANCELLED, cancelled.status());
        assertEquals(START, cancelled.periodStart(), "back in the period that was running");
        assertEquals(RENEWED_AHEAD, cancelled.periodEnd(), "ended now");
        // 20.00 for the renewal, and 20.00 x 3/31 days = 1.935... for the running period's rest
        assertEquals(cny("21.94"), balance());
        assertEquals("21.94", events.last(SUBSCRIPTION_CANCELLED).get("refund"));
        assertEquals(RENEWED_AHEAD.toString(), events.last(SUBSCRIPTION_ENDED).get("endedAt"));
    }

    @Test
    void afterCancellingAtOnceWithARefund_inTheWindow_neitherPurchaseCanBeRefundedAgain() {
        String id = renewedAhead("40");
        List<Transaction> history = engine.wallet().transactions("acme", null, 10).items();
        String renewal = history.get(0).id();
        String checkout = history.get(1).id();
        engine.subscriptions().cancel("acme", id, CancelMode.IMMEDIATELY, true, "x");
        assertEquals(cny("21.94"), balance());
        StorageSnapshot cancelled = snapshot();
        assertEquals(ErrorCode.ALREADY_REFUNDED, assertThrows(ConflictException.class,
                () -> engine.wallet().refund("acme", renewal, "ref-1")).code());
        assertEquals(ErrorCode.ALREADY_REFUNDED, assertThrows(ConflictException.class,
                () -> engine.wallet().refund("acme", checkout, "ref-2")).code(), "its unused part was paid back");
        assertEquals(cancelled, snapshot());
        List<Transaction> credits = engine.wallet().transactions("acme", null, 10).items().subList(0, 2);
        assertEquals(List.of(TransactionKind.PRORATION, TransactionKind.PRORATION), credits.stream().map(Transaction::kind)
                .toList(), "one credit per purchase it pays back");
    }

    @Test
    void cancellingAtOnceWithoutARefund_inTheWindow_stillPaysTheRenewalBack_whichWillNeverBeServed() {
        String id = renewedAhead("40");
        Subscription cancelled = engine.subscriptions().cancel("acme", id, CancelMode.IMMEDIATELY, false, "x");
        assertEquals(RENEWED_AHEAD, cancelled.periodEnd());
        assertEquals(cny("20.00"), balance(), "the renewal back; nothing for the running period's rest");
    }

    @Test
    void aRunningPeriodRefundedWholeBefore_isNotPaidBackAgain() {
        String id = renewedAhead("40");
        String checkout = engine.wallet().transactions("acme", null, 10).items().get(1).id();
        engine.wallet().refund("acme", checkout, "ref-1");
        assertEquals(cny("20.00"), balance(), "an earlier period's purchase, refunded: the subscription runs on");
        assertEquals(SubscriptionStatus.ACTIVE, only().status());
        engine.subscriptions().cancel("acme", id, CancelMode.IMMEDIATELY, true, "x");
        assertEquals(cny("40.00"), balance(), "the renewal only: the running period was paid back already");
    }

    /** Switched inside the window, then cancelled at the period end, then at once: each purchase is paid back once. */
    @Test
    void switchedAhead_thenCancelledAtTheEnd_thenAtOnce_paysBackWhatIsLeftOfTheRunningPeriod() {
        String id = renewedAhead("100");
        engine.subscriptions().switchPlan("acme", id, "c-large", "sw-1");
        assertEquals(cny("38.07"), balance(), "60.00 + 21.94 - 3.87 (the running period's rest) - 40.00 (the period ahead)");
        engine.subscriptions().cancel("acme", id, CancelMode.AT_PERIOD_END, false, "x1");
        assertEquals(cny("78.07"), balance(), "the period ahead paid back");
        billing.clock().advance(Duration.ofDays(1));
        engine.subscriptions().cancel("acme", id, CancelMode.IMMEDIATELY, true, "x2");
        assertEquals(cny("80.65"), balance(), "2/31 of c-large's 40.00 for the running period's last two days");
        assertEquals(SubscriptionStatus.CANCELLED, only().status());
    }

    @Test
    void switchedAhead_cancelledAtTheEnd_resumed_renewedAheadAgain_thenCancelledAtOnce() {
        String id = renewedAhead("100");
        engine.subscriptions().switchPlan("acme", id, "c-large", "sw-1");
        engine.subscriptions().cancel("acme", id, CancelMode.AT_PERIOD_END, false, "x1");
        engine.subscriptions().resume("acme", id, "u1");
        engine.runDue();
        assertEquals(cny("38.07"), balance(), "renewed ahead again on c-large");
        billing.clock().advance(Duration.ofDays(1));
        engine.subscriptions().cancel("acme", id, CancelMode.IMMEDIATELY, true, "x2");
        assertEquals(cny("80.65"), balance(), "the new renewal whole, and 2/31 of 40.00 for the running period");
    }

    @Test
    void switchedAheadAndBack_thenCancelledAtTheEnd_thenAtOnce_neverNamesAPurchaseTwice() {
        String id = renewedAhead("100");
        engine.subscriptions().switchPlan("acme", id, "c-large", "sw-1");
        engine.subscriptions().switchPlan("acme", id, "c-small", "sw-2");
        assertEquals(cny("60.00"), balance(), "there and back at one instant");
        engine.subscriptions().cancel("acme", id, CancelMode.AT_PERIOD_END, false, "x1");
        assertEquals(cny("80.00"), balance());
        billing.clock().advance(Duration.ofDays(1));
        engine.subscriptions().cancel("acme", id, CancelMode.IMMEDIATELY, true, "x2");
        assertEquals(cny("81.29"), balance(), "2/31 of 20.00");
    }

    @Test
    void aRunningPeriodRefundedWholeBefore_isNotPaidBackAgain_afterACancellationAtTheEnd() {
        String id = renewedAhead("100");
        String checkout = engine.wallet().transactions("acme", null, 10).items().get(1).id();
        engine.wallet().refund("acme", checkout, "ref-1");
        engine.subscriptions().cancel("acme", id, CancelMode.AT_PERIOD_END, false, "x1");
        assertEquals(cny("100.00"), balance(), "the checkout and the renewal paid back");
        billing.clock().advance(Duration.ofDays(1));
        engine.subscriptions().cancel("acme", id, CancelMode.IMMEDIATELY, true, "x2");
        assertEquals(cny("100.00"), balance(), "nothing left to pay back");
        assertEquals(SubscriptionStatus.CANCELLED, only().status());
    }

    @Test
    void cancellingAtThePeriodEndAfterAnEarlyRenewal_paysTheRenewalBack_andEndsWhenTheRunningPeriodEnds() {
        String id = renewedAhead("40");
        String renewal = engine.wallet().transactions("acme", null, 10).items().get(0).id();
        Subscription cancelled = engine.subscriptions().cancel("acme", id, CancelMode.AT_PERIOD_END, false, "x");
        assertEquals(SubscriptionStatus.ACTIVE, cancelled.status(), "it runs to the end of the running period");
        assertTrue(cancelled.cancelAtPeriodEnd());
        assertEquals(START, cancelled.periodStart());
        assertEquals(END, cancelled.periodEnd());
        assertEquals(cny("20.00"), balance(), "the renewal paid back whole: its period will not be served");
        assertEquals("20.00", events.last(SUBSCRIPTION_CANCELLED).get("refund"));
        assertEquals(END.toString(), events.last(SUBSCRIPTION_CANCELLED).get("endsAt"));
        StorageSnapshot before = snapshot();
        assertEquals(ErrorCode.ALREADY_REFUNDED, assertThrows(ConflictException.class,
                () -> engine.wallet().refund("acme", renewal, "ref-1")).code(), "never paid back twice");
        assertEquals(before, snapshot());
        billing.travel(Period.ofMonths(2));
        assertEquals(SubscriptionStatus.CANCELLED, only().status());
        assertEquals(END, only().periodEnd());
        assertEquals(cny("20.00"), balance(), "no renewal since");
        assertEquals(1, events.ofType(SUBSCRIPTION_RENEWED).size(), "the early one only");
    }

    @Test
    void resumingAfterTheRenewalWasPaidBack_renewsAgainAtTheNextDueRun() {
        String id = renewedAhead("40");
        engine.subscriptions().cancel("acme", id, CancelMode.AT_PERIOD_END, false, "x");
        engine.subscriptions().resume("acme", id, "u");
        assertEquals(cny("20.00"), balance());
        engine.runDue();
        assertEquals(cny("0.00"), balance(), "within its window again: renewed");
        assertEquals(END, only().periodStart());
        assertEquals(Instant.parse("2026-03-05T09:00:00Z"), only().periodEnd());
    }

    @Test
    void switchingAfterAnEarlyRenewal_switchesTheRestOfTheRunningPeriodToo_asItsQuoteSaid() {
        String id = renewedAhead("100");
        assertEquals(cny("60.00"), balance());
        SwitchQuote quote = engine.subscriptions().quoteSwitch("acme", id, "c-large");
        // credit: the renewal, 20.00, and 3/31 of the running period's 20.00 (1.94);
        // charge: a whole period of c-large, 40.00, and 3/31 of it (3.87)
        assertEquals(cny("21.94"), quote.credit());
        assertEquals(cny("43.87"), quote.charge());
        Subscription switched = engine.subscriptions().switchPlan("acme", id, "c-large", "sw-1");
        assertEquals(Money.from(cny("60.00")).subtract(quote.net()), balance(), "exactly what the quote said");
        assertEquals(cny("38.07"), balance());
        String checkout = engine.wallet().transactions("acme", null, 10).items().stream()
                .filter(t -> t.kind() == TransactionKind.PURCHASE).reduce((a, b) -> b).orElseThrow().id();
        assertEquals(ErrorCode.ALREADY_REFUNDED, assertThrows(ConflictException.class,
                () -> engine.wallet().refund("acme", checkout, "ref-1")).code(), "part of it was paid back by the switch");
        assertEquals("c-large", switched.plan().id());
        assertEquals(END, switched.periodStart(), "still renewed ahead, on the new plan");
        billing.clock().advance(Duration.ofDays(1));
        SwitchQuote back = engine.subscriptions().quoteSwitch("acme", id, "c-small");
        // credit: 40.00 for the period ahead and 2/31 of 40.00 (2.58) for the running one's rest, paid at c-large
        assertEquals(cny("42.58"), back.credit());
        assertEquals(cny("21.29"), back.charge());
        billing.travelTo(Instant.parse("2026-02-25T09:00:00Z"));
        assertEquals(cny("38.07"), balance(), "nothing more until its renewal, a week before Mar 5");
        engine.wallet().recharge("acme", cny("10"), "r-more");
        billing.travelTo(Instant.parse("2026-02-26T09:00:00Z"));
        assertEquals(cny("8.07"), balance(), "renewed on c-large");
    }

    @Test
    void aCreditAfterTheGraceEnded_doesNotReviveTheSubscription() {
        build(SubscriptionPolicy.REFERENCE);
        buy("20", "c-small");
        billing.travelTo(END.plus(Duration.ofDays(1)));
        assertEquals(SubscriptionStatus.PAST_DUE, only().status());
        billing.clock().advanceTo(END.plus(Duration.ofDays(7)).plusSeconds(1)); // no due run since the grace ended
        engine.wallet().recharge("acme", cny("50"), "late");
        assertEquals(cny("50.00"), balance(), "nothing renewed");
        billing.runDue();
        assertEquals(SubscriptionStatus.EXPIRED, only().status());
    }

    @Test
    void withTheDefaultPolicy_anUnpaidRenewalExpiresAtOnce() {
        build(SubscriptionPolicy.DEFAULT);
        buy("20", "c-small");
        billing.travelTo(END);
        assertEquals(SubscriptionStatus.EXPIRED, only().status());
        assertEquals(List.of(EventType.SUBSCRIPTION_CREATED, SUBSCRIPTION_RENEWAL_FAILED, SUBSCRIPTION_ENDED),
                lifecycleTypes());
    }
}
