package dev.billing.core.wallet;

/** The state of a transaction, as the v1 payment API writes it ({@code finish}, {@code refunded}). */
public enum TransactionStatus {
    /** Done. */
    FINISH,
    /** A purchase that was refunded since. */
    REFUNDED
}
