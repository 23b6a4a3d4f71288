package dev.billing.core.coupons;

/** Where a coupon stands. Only {@link #AVAILABLE} changes: to redeemed or revoked, or, with time, to expired. */
public enum CouponStatus {
    /** May be redeemed, until it expires. */
    AVAILABLE,
    /** Redeemed into a wallet, once. */
    REDEEMED,
    /** Past its expiry, never redeemed. */
    EXPIRED,
    /** Withdrawn by an operator before it was redeemed. */
    REVOKED
}
