package dev.billing.core.subscriptions;

/** When a cancellation takes effect ({@link Subscriptions#cancel}). */
public enum CancelMode {
    /** At the end of the period paid for: no renewal; nothing paid back. */
    AT_PERIOD_END,
    /** Now: the subscription ends at once, with or without a pro-rata refund. */
    IMMEDIATELY
}
