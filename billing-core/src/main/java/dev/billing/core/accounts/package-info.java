/**
 * Accounts by namespace: opening them, their status and notification flag, and their billing profile
 * (kind, parent in a hierarchy, billing cycle and open billing period).
 * {@link dev.billing.core.accounts.Accounts} (reached through {@link dev.billing.core.BillingEngine#accounts()})
 * does it; {@link dev.billing.core.accounts.Account}, {@link dev.billing.core.accounts.BillingProfile},
 * {@link dev.billing.core.accounts.BillingPeriod} and {@link dev.billing.core.accounts.ProfileChange} are
 * its values.
 */
package dev.billing.core.accounts;
