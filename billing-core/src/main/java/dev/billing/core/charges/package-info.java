/**
 * Metered charges: the rate card ({@link dev.billing.core.charges.Rate}, {@link dev.billing.core.charges.Tier}),
 * commit discounts ({@link dev.billing.core.charges.Commitment}), the estimated charges of the current
 * billing period, and statements of closed periods, with their {@link dev.billing.core.charges.ChargeTotals}.
 * {@link dev.billing.core.charges.Charges} (reached through {@link dev.billing.core.BillingEngine#charges()})
 * defines the rates and commitments, rates usage into estimates, and closes ended periods; its rating
 * ({@code Rater}, {@code Rating}) and closing ({@code Closing}) are package-private beside it.
 */
package dev.billing.core.charges;
