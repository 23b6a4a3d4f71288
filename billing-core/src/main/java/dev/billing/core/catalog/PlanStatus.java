package dev.billing.core.catalog;

/** Whether a plan can be bought. */
public enum PlanStatus {
    /** Listed in the market and open for checkout. */
    AVAILABLE,
    /** Kept for existing subscriptions; not listed, not for sale. */
    RETIRED
}
