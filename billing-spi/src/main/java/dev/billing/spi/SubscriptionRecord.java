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
 * @param status {@code active}, {@code past_due} (its renewal failed; in its grace period), {@code cancelled}
 *     or {@code expired}
 * @param transactionId the purchase that opened the current period
 * @param startedAt the start of the first period: renewal {@code k} ends at {@code startedAt + k} bill periods
 * @param zone the time-zone id its periods are laid out in (month ends, DST), or {@code null} for one
 *     stored before the zone was kept (the engine's zone then applies)
 * @param planVersion the version of the plan it pays for in the current period
 * @param periodPrice what a whole current period costs at that version, or {@code null} for one stored
 *     before prices were kept (its plan's price then applies)
 * @param cancelAtPeriodEnd whether it ends at its period end instead of renewing
 * @param graceUntil when a subscription past due ends unless paid, or {@code null}
 * @param notifiedAt when its account was last flagged about a failed renewal, or {@code null}
 * @param priorPlanVersion after a renewal made before its period ended (a renewal window), while that
 *     renewed period has not begun: the plan version the running period, which ends at {@code periodStart},
 *     pays for; else {@code null} (or for one renewed early before this was kept)
 * @param priorPeriodPrice likewise, what that whole running period cost; else {@code null}
 * @param priorTransactionId likewise, the purchase that paid the running period; else {@code null}
 * @param revision how many times it was changed: {@link SubscriptionStore#replaceSubscription} compares it
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
        String zone,
        int planVersion,
        java.math.BigDecimal periodPrice,
        boolean cancelAtPeriodEnd,
        Instant graceUntil,
        Instant notifiedAt,
        Integer priorPlanVersion,
        java.math.BigDecimal priorPeriodPrice,
        String priorTransactionId,
        long revision) {

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
     * A subscription as stored before plan versions and the lifecycle's fields: version 1, price unknown,
     * renewing, never notified, revision 0.
     *
     * @param id the subscription id
     * @param namespace the account
     * @param planId the plan
     * @param region the region
     * @param periodStart the current period's start
     * @param periodEnd the current period's end
     * @param status the status
     * @param transactionId the purchase
     * @param startedAt the start of the first period
     * @param zone the zone of its periods, or {@code null}
     */
    public SubscriptionRecord(String id, String namespace, String planId, String region, Instant periodStart,
            Instant periodEnd, String status, String transactionId, Instant startedAt, String zone) {
        this(id, namespace, planId, region, periodStart, periodEnd, status, transactionId, startedAt, zone, 1, null, false,
                null, null, null, null, null, 0);
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
                startedAt, zone, planVersion, periodPrice, cancelAtPeriodEnd, graceUntil, notifiedAt, priorPlanVersion, priorPeriodPrice, priorTransactionId, revision);
    }

    /**
     * @param start the next period's start
     * @param end the next period's end
     * @param paidBy the purchase that pays it
     * @return this subscription renewed for {@code [start, end)}
     */
    public SubscriptionRecord renewed(Instant start, Instant end, String paidBy) {
        return new SubscriptionRecord(id, namespace, planId, region, start, end, status, paidBy, startedAt, zone,
                planVersion, periodPrice, cancelAtPeriodEnd, graceUntil, notifiedAt, priorPlanVersion, priorPeriodPrice, priorTransactionId, revision);
    }

    /**
     * @param version the plan version it pays for
     * @param price what a whole period costs at that version
     * @return this subscription at that version and price
     */
    public SubscriptionRecord priced(int version, java.math.BigDecimal price) {
        return new SubscriptionRecord(id, namespace, planId, region, periodStart, periodEnd, status, transactionId,
                startedAt, zone, version, price, cancelAtPeriodEnd, graceUntil, notifiedAt, priorPlanVersion, priorPeriodPrice, priorTransactionId, revision);
    }

    /**
     * @param plan another plan
     * @param version its version
     * @param price its price for a whole period
     * @param paidBy the purchase that pays the rest of the current period
     * @return this subscription switched to that plan for the rest of its period
     */
    public SubscriptionRecord switchedTo(String plan, int version, java.math.BigDecimal price, String paidBy) {
        return new SubscriptionRecord(id, namespace, plan, region, periodStart, periodEnd, status, paidBy, startedAt, zone,
                version, price, cancelAtPeriodEnd, graceUntil, notifiedAt, priorPlanVersion, priorPeriodPrice, priorTransactionId, revision);
    }

    /**
     * @param version the plan version of the running period, when this one is renewed ahead, or {@code null}
     * @param price what that whole running period cost, or {@code null}
     * @param paidBy the purchase that paid it, or {@code null}
     * @return this subscription remembering what the period running before its renewed one paid
     */
    public SubscriptionRecord renewedAhead(Integer version, java.math.BigDecimal price, String paidBy) {
        return new SubscriptionRecord(id, namespace, planId, region, periodStart, periodEnd, status, transactionId,
                startedAt, zone, planVersion, periodPrice, cancelAtPeriodEnd, graceUntil, notifiedAt, version, price,
                paidBy, revision);
    }

    /**
     * A subscription renewed ahead, taken back to the period still running: what a cancellation makes of it.
     *
     * @param start the running period's start
     * @param end where it now ends
     * @return this subscription in {@code [start, end)} at the running period's version, price and purchase,
     *     no longer ahead
     */
    public SubscriptionRecord backToRunning(Instant start, Instant end) {
        return new SubscriptionRecord(id, namespace, planId, region, start, end, status,
                priorTransactionId != null ? priorTransactionId : transactionId, startedAt, zone,
                priorPlanVersion != null ? priorPlanVersion : planVersion, priorPeriodPrice != null ? priorPeriodPrice
                        : periodPrice, cancelAtPeriodEnd, graceUntil, notifiedAt, null, null, null, revision);
    }

    /**
     * @param cancel whether it ends at its period end
     * @return this subscription with that choice
     */
    public SubscriptionRecord cancellingAtPeriodEnd(boolean cancel) {
        return new SubscriptionRecord(id, namespace, planId, region, periodStart, periodEnd, status, transactionId,
                startedAt, zone, planVersion, periodPrice, cancel, graceUntil, notifiedAt, priorPlanVersion, priorPeriodPrice, priorTransactionId, revision);
    }

    /**
     * @param newStatus the status
     * @param grace when it ends unless paid, or {@code null}
     * @param notified when the account was last flagged, or {@code null}
     * @return this subscription in that state of its renewal
     */
    public SubscriptionRecord dunning(String newStatus, Instant grace, Instant notified) {
        return new SubscriptionRecord(id, namespace, planId, region, periodStart, periodEnd, newStatus, transactionId,
                startedAt, zone, planVersion, periodPrice, cancelAtPeriodEnd, grace, notified, priorPlanVersion, priorPeriodPrice, priorTransactionId, revision);
    }

    /**
     * @param end the new end of its current period
     * @return this subscription ending its period then (an immediate cancellation)
     */
    public SubscriptionRecord endingAt(Instant end) {
        return new SubscriptionRecord(id, namespace, planId, region, periodStart, end, status, transactionId, startedAt,
                zone, planVersion, periodPrice, cancelAtPeriodEnd, graceUntil, notifiedAt, priorPlanVersion, priorPeriodPrice, priorTransactionId, revision);
    }

    /**
     * @param newRevision the revision
     * @return this subscription at that revision (stores set it on every change)
     */
    public SubscriptionRecord atRevision(long newRevision) {
        return new SubscriptionRecord(id, namespace, planId, region, periodStart, periodEnd, status, transactionId,
                startedAt, zone, planVersion, periodPrice, cancelAtPeriodEnd, graceUntil, notifiedAt, priorPlanVersion, priorPeriodPrice, priorTransactionId, newRevision);
    }
}
