package dev.billing.core.catalog;

/** Whether a region takes new checkouts. */
public enum RegionStatus {
    /** Open for checkouts. */
    AVAILABLE,
    /** Listed, but closed for checkouts. */
    UNAVAILABLE
}
