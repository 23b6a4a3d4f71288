package dev.billing.core.wallet;

/** What a money movement was. */
public enum TransactionKind {
    /** Money into the wallet from outside. */
    RECHARGE,
    /** A plan paid from the wallet. */
    PURCHASE,
    /** A purchase paid back into the wallet. */
    REFUND,
    /** A correction made by an operator. */
    ADJUSTMENT
}
