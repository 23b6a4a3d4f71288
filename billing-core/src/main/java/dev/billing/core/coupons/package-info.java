/**
 * Coupons (vouchers): codes worth an amount, created in batches from a secure random source and
 * redeemed into a wallet at most once. {@link dev.billing.core.coupons.Coupons} (reached through
 * {@link dev.billing.core.BillingEngine#coupons()}) does it; {@link dev.billing.core.coupons.Coupon} is its value.
 */
package dev.billing.core.coupons;
