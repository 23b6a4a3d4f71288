/**
 * Events for the host: what happened to accounts (subscriptions created, renewed, ended, switched,
 * cancelled; recharges through a payment provider; coupons; low balances; closed periods; suspensions),
 * written to an outbox in the unit of work that made it happen and delivered after it committed.
 * {@link dev.billing.core.events.Events} (reached through {@link dev.billing.core.BillingEngine#events()})
 * delivers them to listeners and answers polls; {@link dev.billing.core.events.Event} is the value.
 */
package dev.billing.core.events;
