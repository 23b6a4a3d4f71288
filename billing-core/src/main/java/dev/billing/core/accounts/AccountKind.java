package dev.billing.core.accounts;

/** How an account's estimated charges are shown. */
public enum AccountKind {
    /** Cloud account: the estimate lists its charge and discount lines (the default). */
    CLOUD,
    /** Dedicated account: the estimate shows totals only. */
    DEDICATED
}
