package dev.billing.core.subscriptions;

/** The state of a plan an account bought. */
public enum SubscriptionStatus {
    /** Running in its current period. */
    ACTIVE,
    /** Its period ended and its renewal could not be paid: in its grace period, retried by every due run. */
    PAST_DUE,
    /** Ended because it was cancelled (or its purchase refunded). */
    CANCELLED,
    /** Ended because it was not renewed: unpaid after its grace period, or its plan retired. */
    EXPIRED
}
