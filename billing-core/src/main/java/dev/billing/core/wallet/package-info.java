/**
 * Accounts and their prepaid wallets: balances, transactions, subscriptions. Values only; the engine
 * ({@link dev.billing.core.BillingEngine}) performs recharges, checkouts and refunds.
 */
package dev.billing.core.wallet;
