package dev.billing.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A plan an account bought, with its current period {@code [periodStart, periodEnd)}. Immutable,
 * thread-safe.
 *
 * @param id the subscription id, unique
 * @param namespace the account's namespace
 * @param planId the plan
 * @param region the region it was bought in
 * @param periodStart start of the current period, inclusive
 * @param periodEnd end of the current period, exclusive
 * @param status {@code active}, {@code cancelled} or {@code expired}
 * @param transactionId the purchase that opened the current period
 */
public record SubscriptionRecord(
        String id,
        String namespace,
        String planId,
        String region,
        Instant periodStart,
        Instant periodEnd,
        String status,
        String transactionId) {

    /** Rejects null fields. */
    public SubscriptionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(periodEnd, "periodEnd");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(transactionId, "transactionId");
    }
}
