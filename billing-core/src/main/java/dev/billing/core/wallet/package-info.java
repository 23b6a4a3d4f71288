/**
 * Prepaid wallets and the ledger: balances, recharges, refunds, adjustments, arrears paid by
 * recharges, and the transaction history. {@link dev.billing.core.wallet.Wallet} (reached through
 * {@link dev.billing.core.BillingEngine#wallet()}) moves the money, as balanced postings;
 * {@link dev.billing.core.wallet.Balance} and {@link dev.billing.core.wallet.Transaction} are its values.
 */
package dev.billing.core.wallet;
