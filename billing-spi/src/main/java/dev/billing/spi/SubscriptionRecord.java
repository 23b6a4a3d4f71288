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
 * @param startedAt the start of the first period: renewal {@code k} ends at {@code startedAt + k} bill periods
 * @param zone the time-zone id its periods are laid out in (month ends, DST), or {@code null} for one
 *     stored before the zone was kept (the engine's zone then applies)
 */
public record SubscriptionRecord(
        String id,
        String namespace,
        String planId,
        String region,
        Instant periodStart,
        Instant periodEnd,
        String status,
        String transactionId,
        Instant startedAt,
        String zone) {

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
        Objects.requireNonNull(startedAt, "startedAt");
    }

    /**
     * A subscription in its first period, or one stored before its start was kept: it counts from
     * {@code periodStart}.
     *
     * @param id the subscription id
     * @param namespace the account
     * @param planId the plan
     * @param region the region
     * @param periodStart the current period's start, taken as the start
     * @param periodEnd the current period's end
     * @param status the status
     * @param transactionId the purchase
     */
    public SubscriptionRecord(String id, String namespace, String planId, String region, Instant periodStart,
            Instant periodEnd, String status, String transactionId) {
        this(id, namespace, planId, region, periodStart, periodEnd, status, transactionId, periodStart, null);
    }

    /**
     * @param newStatus the status
     * @return this subscription with another status
     */
    public SubscriptionRecord withStatus(String newStatus) {
        return new SubscriptionRecord(id, namespace, planId, region, periodStart, periodEnd, newStatus, transactionId,
                startedAt, zone);
    }

    /**
     * @param start the next period's start
     * @param end the next period's end
     * @param paidBy the purchase that pays it
     * @return this subscription renewed for {@code [start, end)}
     */
    public SubscriptionRecord renewed(Instant start, Instant end, String paidBy) {
        return new SubscriptionRecord(id, namespace, planId, region, start, end, status, paidBy, startedAt, zone);
    }
}
