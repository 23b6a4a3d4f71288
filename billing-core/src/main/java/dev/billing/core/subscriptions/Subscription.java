package dev.billing.core.subscriptions;

import dev.billing.core.catalog.Plan;
import java.time.Instant;
import java.util.Objects;

/**
 * A plan an account bought, with its current period {@code [periodStart, periodEnd)}. Immutable,
 * thread-safe.
 *
 * @param id the subscription id
 * @param plan the plan, at the version it pays for in the current period
 * @param region the region it was bought in
 * @param periodStart start of the current period, inclusive
 * @param periodEnd end of the current period, exclusive
 * @param status its state
 * @param transactionId the purchase that opened the current period (or the switch that changed its plan)
 * @param planVersion the plan's version it pays for in the current period
 * @param cancelAtPeriodEnd whether it ends at its period end instead of renewing
 * @param graceUntil while {@link SubscriptionStatus#PAST_DUE}: when it expires unless paid; else {@code null}
 */
public record Subscription(
        String id,
        Plan plan,
        String region,
        Instant periodStart,
        Instant periodEnd,
        SubscriptionStatus status,
        String transactionId,
        int planVersion,
        boolean cancelAtPeriodEnd,
        Instant graceUntil) {

    /** Rejects null fields. */
    public Subscription {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(periodEnd, "periodEnd");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(transactionId, "transactionId");
    }
}
