/**
 * Subscriptions to the catalog's plans: checkout from the wallet and renewal of ended periods.
 * {@link dev.billing.core.subscriptions.Subscriptions} (reached through
 * {@link dev.billing.core.BillingEngine#subscriptions()}) does it;
 * {@link dev.billing.core.subscriptions.Subscription} is its value.
 */
package dev.billing.core.subscriptions;
