package dev.billing.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.subscriptions.CancelMode;
import dev.billing.core.subscriptions.SwitchQuote;
import dev.billing.spi.BillingStorage;
import dev.billing.test.BillingFixture;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import javax.money.MonetaryAmount;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.BigRange;
import net.jqwik.api.constraints.LongRange;
import org.javamoney.moneta.Money;

/**
 * Properties of proration over random prices and moments of a period, written once for every storage:
 * extend it and implement {@link #newStorage()}. A quote equals the switch made at its moment; the
 * credit of a switch or a refunded cancellation never exceeds what was paid for the period; switching
 * to another plan and straight back leaves the balance as it was (within one rounding unit per
 * proration, and exactly at one instant, since both round the same two fractions); inside a renewal
 * window no sequence of changes pays a purchase back more than it cost.
 */
public abstract class SwitchProperties {

    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");
    /** The first period: 2026-01-05T09:00Z to 2026-02-05T09:00Z, 31 days in seconds. */
    private static final long PERIOD_SECONDS = 31L * 86_400;

    /** @return a new, empty storage; the property closes it */
    protected abstract BillingStorage newStorage();

    private static Money cny(BigDecimal amount) {
        return Money.of(amount, "CNY");
    }

    private BillingFixture fixture(BigDecimal from, BigDecimal to) {
        return BillingFixture.builder().storage(newStorage()).start(START).zone(ZoneOffset.UTC)
                .region(Region.available("r", "R"))
                .plan(Plan.of("from", "C", cny(from), PlanTerm.MONTHLY, "from", "r"))
                .plan(Plan.of("to", "C", cny(to), PlanTerm.MONTHLY, "to", "r"))
                .build();
    }

    /** @return {@code price} cut to cents, at least one cent */
    private static BigDecimal cents(BigDecimal price) {
        return price.setScale(2, java.math.RoundingMode.DOWN).max(new BigDecimal("0.01"));
    }

    /** Funds {@code acme}, buys {@code from}, and moves the clock {@code secondsIn} into the period. @return the subscription */
    private static String subscribed(BillingFixture billing, BigDecimal funds, long secondsIn) {
        BillingEngine engine = billing.engine();
        engine.wallet().recharge("acme", cny(funds), "r");
        engine.subscriptions().checkout("acme", "from", "r", "c");
        billing.clock().advance(Duration.ofSeconds(secondsIn));
        return engine.subscriptions().subscriptions("acme").get(0).id();
    }

    private static BigDecimal number(MonetaryAmount a) {
        return a.getNumber().numberValueExact(BigDecimal.class);
    }

    @Property(tries = 60)
    void theQuoteEqualsTheSwitch_andTheCreditNeverExceedsWhatWasPaid(
            @ForAll @BigRange(min = "0.01", max = "9999.99") BigDecimal fromPrice,
            @ForAll @BigRange(min = "0.01", max = "9999.99") BigDecimal toPrice,
            @ForAll @LongRange(min = 0, max = PERIOD_SECONDS - 1) long secondsIn) {
        BigDecimal from = cents(fromPrice);
        BigDecimal to = cents(toPrice);
        try (BillingFixture billing = fixture(from, to)) {
            BillingEngine engine = billing.engine();
            String id = subscribed(billing, new BigDecimal("20000.00"), secondsIn);
            SwitchQuote quote = engine.subscriptions().quoteSwitch("acme", id, "to");
            assertTrue(number(quote.credit()).compareTo(from) <= 0, quote + " credits more than " + from);
            assertTrue(number(quote.credit()).signum() >= 0 && number(quote.charge()).signum() >= 0, quote.toString());
            MonetaryAmount before = engine.wallet().balance("acme").amount();
            engine.subscriptions().switchPlan("acme", id, "to", "s");
            assertEquals(before.subtract(quote.net()), engine.wallet().balance("acme").amount(), "the switch did the quote");
            billing.assertInvariants();
        }
    }

    @Property(tries = 40)
    void switchingThereAndStraightBack_leavesTheBalanceAsItWas(
            @ForAll @BigRange(min = "0.01", max = "9999.99") BigDecimal fromPrice,
            @ForAll @BigRange(min = "0.01", max = "9999.99") BigDecimal toPrice,
            @ForAll @LongRange(min = 0, max = PERIOD_SECONDS - 1) long secondsIn) {
        BigDecimal from = cents(fromPrice);
        BigDecimal to = cents(toPrice);
        try (BillingFixture billing = fixture(from, to)) {
            BillingEngine engine = billing.engine();
            String id = subscribed(billing, new BigDecimal("20000.00"), secondsIn);
            MonetaryAmount before = engine.wallet().balance("acme").amount();
            engine.subscriptions().switchPlan("acme", id, "to", "there");
            engine.subscriptions().switchPlan("acme", id, "from", "back");
            assertEquals(before, engine.wallet().balance("acme").amount());
        }
    }

    /**
     * Switching there and back a second apart costs that second of the price difference, to within the four
     * roundings (one per proration, each at most half a cent).
     */
    @Property(tries = 40)
    void switchingThereAndBackASecondApart_costsThatSecondOfThePriceDifference_withinTwoCents(
            @ForAll @BigRange(min = "0.01", max = "9999.99") BigDecimal fromPrice,
            @ForAll @BigRange(min = "0.01", max = "9999.99") BigDecimal toPrice,
            @ForAll @LongRange(min = 0, max = PERIOD_SECONDS - 2) long secondsIn) {
        BigDecimal from = cents(fromPrice);
        BigDecimal to = cents(toPrice);
        try (BillingFixture billing = fixture(from, to)) {
            BillingEngine engine = billing.engine();
            String id = subscribed(billing, new BigDecimal("20000.00"), secondsIn);
            BigDecimal before = number(engine.wallet().balance("acme").amount());
            engine.subscriptions().switchPlan("acme", id, "to", "there");
            billing.clock().advance(Duration.ofSeconds(1));
            engine.subscriptions().switchPlan("acme", id, "from", "back");
            BigDecimal secondOfDifference = to.subtract(from).divide(BigDecimal.valueOf(PERIOD_SECONDS),
                    java.math.MathContext.DECIMAL128);
            BigDecimal error = number(engine.wallet().balance("acme").amount()).subtract(before.subtract(secondOfDifference));
            assertTrue(error.abs().compareTo(new BigDecimal("0.02")) <= 0, "off by " + error.toPlainString());
        }
    }

    /**
     * Inside a renewal window, after the early renewal, any sequence of switches, cancellations both ways,
     * resumptions, refunds of a purchase, due runs and hours passing: every call either succeeds or is
     * refused for a reason of its own (never a storage failure), no purchase is paid back more than it cost,
     * and the books balance.
     */
    @Property(tries = 40)
    void renewedAhead_noSequenceOfChanges_paysAPurchaseBackMoreThanItCost(
            @ForAll @BigRange(min = "0.01", max = "999.99") BigDecimal fromPrice,
            @ForAll @BigRange(min = "0.01", max = "999.99") BigDecimal toPrice,
            @ForAll @LongRange(min = 0, max = 6 * 24 - 1) long hoursIntoTheWindow,
            @ForAll @net.jqwik.api.constraints.Size(min = 1, max = 8)
                    java.util.List<@net.jqwik.api.constraints.IntRange(min = 0, max = 7) Integer> actions) {
        BigDecimal from = cents(fromPrice);
        BigDecimal to = cents(toPrice);
        try (BillingFixture billing = BillingFixture.builder().storage(newStorage()).start(START).zone(ZoneOffset.UTC)
                .policy(dev.billing.core.subscriptions.SubscriptionPolicy.REFERENCE)
                .region(Region.available("r", "R"))
                .plan(Plan.of("from", "C", cny(from), PlanTerm.MONTHLY, "from", "r"))
                .plan(Plan.of("to", "C", cny(to), PlanTerm.MONTHLY, "to", "r"))
                .build()) {
            BillingEngine engine = billing.engine();
            engine.wallet().recharge("acme", cny(new BigDecimal("100000.00")), "r");
            engine.subscriptions().checkout("acme", "from", "r", "c");
            String id = engine.subscriptions().subscriptions("acme").get(0).id();
            // the window opens on Jan 29, 09:00: the renewal is made there, the actions follow within the window
            billing.travelTo(START.plus(Duration.ofDays(24)).plus(Duration.ofHours(hoursIntoTheWindow)));
            int n = 0;
            for (int action : actions) {
                String key = "k" + n++;
                try {
                    switch (action) {
                        case 0 -> {
                            String plan = engine.subscriptions().subscription("acme", id).plan().id();
                            engine.subscriptions().switchPlan("acme", id, plan.equals("from") ? "to" : "from", key);
                        }
                        case 1 -> engine.subscriptions().cancel("acme", id, CancelMode.AT_PERIOD_END, false, key);
                        case 2 -> engine.subscriptions().resume("acme", id, key);
                        case 3 -> engine.subscriptions().cancel("acme", id, CancelMode.IMMEDIATELY, true, key);
                        case 4 -> engine.subscriptions().cancel("acme", id, CancelMode.IMMEDIATELY, false, key);
                        case 5 -> engine.runDue();
                        case 6 -> billing.travel(Duration.ofHours(7));
                        default -> {
                            java.util.List<dev.billing.core.wallet.Transaction> purchases = engine.wallet()
                                    .transactions("acme", null, 100).items().stream()
                                    .filter(t -> t.kind() == dev.billing.core.wallet.TransactionKind.PURCHASE).toList();
                            engine.wallet().refund("acme", purchases.get(n % purchases.size()).id(), key);
                        }
                    }
                } catch (dev.billing.core.ConflictException | dev.billing.core.InvalidRequestException
                        | dev.billing.core.NotFoundException refused) {
                    // refused for a reason of its own: not active, refunded already, the same plan, ...
                }
            }
            java.util.Map<String, BigDecimal> paidBack = new java.util.HashMap<>();
            java.util.Map<String, BigDecimal> cost = new java.util.HashMap<>();
            for (dev.billing.spi.TransactionRecord t : dev.billing.spi.StorageSnapshot.of(billing.storage()).transactions()) {
                if (t.kind().equals("purchase")) {
                    cost.put(t.id(), t.amount());
                }
                if (t.refundOf() != null) {
                    paidBack.merge(t.refundOf(), t.amount(), BigDecimal::add);
                }
            }
            paidBack.forEach((purchase, back) -> assertTrue(cost.containsKey(purchase)
                    && back.compareTo(cost.get(purchase)) <= 0, back + " paid back of " + purchase + ", which cost "
                    + cost.get(purchase) + "; actions " + actions));
            billing.assertInvariants();
        }
    }

    @Property(tries = 40)
    void aRefundedCancellation_neverPaysBackMoreThanThePeriodCost(
            @ForAll @BigRange(min = "0.01", max = "9999.99") BigDecimal price,
            @ForAll @LongRange(min = 0, max = PERIOD_SECONDS - 1) long secondsIn) {
        BigDecimal p = cents(price);
        try (BillingFixture billing = fixture(p, p.add(BigDecimal.ONE))) {
            BillingEngine engine = billing.engine();
            String id = subscribed(billing, p, secondsIn);
            engine.subscriptions().cancel("acme", id, CancelMode.IMMEDIATELY, true, "x");
            BigDecimal back = number(engine.wallet().balance("acme").amount());
            assertTrue(back.compareTo(p) <= 0 && back.signum() >= 0, back + " back of " + p);
            billing.assertInvariants();
        }
    }
}
