/**
 * Metered charges: the rate card ({@link dev.billing.core.charges.Rate}, {@link dev.billing.core.charges.Tier}),
 * commitments, billing periods and the estimated charges of the current period. Values only; the
 * engine ({@link dev.billing.core.BillingEngine}) stores usage and computes the figures.
 */
package dev.billing.core.charges;
