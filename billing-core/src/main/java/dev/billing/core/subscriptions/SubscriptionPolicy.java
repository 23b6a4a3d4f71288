package dev.billing.core.subscriptions;

import java.time.Duration;
import java.util.Objects;

/**
 * How an engine renews, dunns and cancels subscriptions ({@link dev.billing.core.BillingEngine.Builder#subscriptionPolicy}).
 * Immutable, thread-safe.
 *
 * @param renewalWindow how long before its period ends a subscription's renewal is attempted (the
 *     reference platform: 7 days); zero renews at the end. It never exceeds half the period ({@link
 *     #renewsAt}), so that a daily or weekly plan is not paid for periods ahead, nor at its checkout
 * @param gracePeriod how long after its period ends a subscription whose renewal could not be paid stays
 *     {@link SubscriptionStatus#PAST_DUE}, retried by every due run, before it expires (reference: 7 days);
 *     zero expires it at once
 * @param notificationInterval how often, at most, a failing renewal writes its {@code subscription.renewal_failed}
 *     event (per subscription) and flags its account for notification (per account, however many fail)
 * @param immediateCancellation whether a subscription may be cancelled at once (else only at its period end)
 * @param proratedRefunds whether an immediate cancellation may pay back the unused part of the period
 */
public record SubscriptionPolicy(Duration renewalWindow, Duration gracePeriod, Duration notificationInterval,
        boolean immediateCancellation, boolean proratedRefunds) {

    /** The default: renew at the period end, expire at once when unpaid, notify daily, every cancellation allowed. */
    public static final SubscriptionPolicy DEFAULT = new SubscriptionPolicy(Duration.ZERO, Duration.ZERO,
            Duration.ofDays(1), true, true);

    /** The reference platform's: renew 7 days early, 7 days of grace, notify daily, every cancellation allowed. */
    public static final SubscriptionPolicy REFERENCE = new SubscriptionPolicy(Duration.ofDays(7), Duration.ofDays(7),
            Duration.ofDays(1), true, true);

    /** Rejects nulls and negative durations. */
    public SubscriptionPolicy {
        Objects.requireNonNull(renewalWindow, "renewalWindow");
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(notificationInterval, "notificationInterval");
        if (renewalWindow.isNegative() || gracePeriod.isNegative() || notificationInterval.isNegative()) {
            throw new IllegalArgumentException("subscriptionPolicy: durations must not be negative");
        }
    }

    /**
     * @param periodStart the start of a subscription's current period
     * @param periodEnd its end
     * @return from when its renewal is attempted: {@link #renewalWindow} before the end, or half-way
     *     through the period when the window is longer than half of it (a 7-day window renews a monthly
     *     plan 7 days early, a weekly one 3.5 days early, a daily one 12 hours early); so a renewal, which
     *     starts the next period where this one ends, is never attempted again before that period is half over
     */
    public java.time.Instant renewsAt(java.time.Instant periodStart, java.time.Instant periodEnd) {
        Duration half = Duration.between(periodStart, periodEnd).dividedBy(2);
        return periodEnd.minus(renewalWindow.compareTo(half) > 0 ? half : renewalWindow);
    }
}
