package dev.billing.core.subscriptions;

/** The state of a plan an account bought. */
public enum SubscriptionStatus {
    /** Running in its current period. */
    ACTIVE,
    /** Ended because its purchase was refunded. */
    CANCELLED,
    /** Ended because it was not renewed. */
    EXPIRED
}
