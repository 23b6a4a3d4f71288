package dev.billing.core.accounts;

/** The life-cycle state of an account. */
public enum AccountStatus {
    /** May recharge, check out and be refunded. */
    ACTIVE,
    /** May recharge and be refunded, but not check out. */
    SUSPENDED,
    /** Kept for its history; no money moves any more. */
    CLOSED
}
