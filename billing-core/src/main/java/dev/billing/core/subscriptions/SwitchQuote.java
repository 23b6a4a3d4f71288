package dev.billing.core.subscriptions;

import java.time.Instant;
import java.util.Objects;
import javax.money.MonetaryAmount;

/**
 * What switching a subscription to another plan costs at a moment ({@link Subscriptions#quoteSwitch}), and
 * what {@link Subscriptions#switchPlan} at that moment does: the unused part of the period credited at the
 * current plan's price, the rest of the period charged at the new plan's. Immutable, thread-safe.
 *
 * @param subscriptionId the subscription
 * @param fromPlanId its plan now
 * @param toPlanId the plan it would switch to
 * @param credit the unused part of the period, at the current plan's price
 * @param charge the rest of the period, at the new plan's price
 * @param net {@code charge - credit}: what the wallet pays (negative: what it gets back)
 * @param at the moment of the switch
 * @param periodEnd the end of the period, which the switch keeps
 */
public record SwitchQuote(String subscriptionId, String fromPlanId, String toPlanId, MonetaryAmount credit,
        MonetaryAmount charge, MonetaryAmount net, Instant at, Instant periodEnd) {

    /** Rejects nulls. */
    public SwitchQuote {
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(fromPlanId, "fromPlanId");
        Objects.requireNonNull(toPlanId, "toPlanId");
        Objects.requireNonNull(credit, "credit");
        Objects.requireNonNull(charge, "charge");
        Objects.requireNonNull(net, "net");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(periodEnd, "periodEnd");
    }
}
