/**
 * Subscriptions to the catalog's plans: checkout from the wallet, renewal (early, with grace), plan
 * switches with proration, cancellation.
 * {@link dev.billing.core.subscriptions.Subscriptions} (reached through
 * {@link dev.billing.core.BillingEngine#subscriptions()}) does it;
 * {@link dev.billing.core.subscriptions.Subscription} is its value.
 */
package dev.billing.core.subscriptions;
