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
    ADJUSTMENT,
    /** The charges of a closed billing period, paid from the wallet (in part, when it is in arrears). */
    USAGE_CHARGE,
    /** A recharge paying off debt from a period the wallet could not cover. */
    DEBT_PAYMENT,
    /** The unused part of a subscription's period paid back, pro rata, when it switches plans or is cancelled at once. */
    PRORATION
}
