/**
 * The front door of the billing engine: {@link dev.billing.core.BillingEngine}, built once and handing
 * out one object per area (catalog, accounts, wallet, subscriptions, usage, charges), each in its own
 * package; the one exception hierarchy ({@link dev.billing.core.BillingException} and its subclasses)
 * with its stable {@link dev.billing.core.ErrorCode}s; {@link dev.billing.core.IdGenerator}; and
 * {@link dev.billing.core.DueRun}, what {@link dev.billing.core.BillingEngine#runDue()} did.
 */
package dev.billing.core;
