package dev.billing.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored account. Immutable, thread-safe.
 *
 * <p>{@code balance} is a derived figure kept for speed: it always equals the sum of the postings
 * to the account's wallet in the ledger. It changes only through
 * {@link AccountStore#applyBalanceDelta}, in the same unit of work that appends those postings.
 * {@code debt} is derived the same way: what the account owes from closed periods its wallet could
 * not cover, which the engine keeps equal to the negated sum of the postings to the account's
 * receivable ledger account; it changes only through {@link AccountStore#applyDebtDelta}, and it is
 * what lets a recharge know whether it must pay a debt without summing the ledger.
 *
 * @param namespace the account's namespace, its identity
 * @param currency the ISO-4217 code of every amount of the account
 * @param status {@code active}, {@code suspended} or {@code closed}
 * @param notification whether the account is flagged for notification
 * @param balance the wallet balance
 * @param debt what the account owes, zero or more
 * @param createdAt when the account was opened
 * @param lowBalanceThreshold the balance below which a debit says so ({@code balance.low}), or {@code null} for none
 * @param pastDue whether a subscription of the account may be past due: set by the renewal that puts one
 *     in its grace period, cleared by the first credit that finds none past due, so that a credit during
 *     grace renews at once while a credit to an account with nothing past due costs no extra read
 * @param notifiedAt when a failed renewal last flagged the account for notification, or {@code null}: it is
 *     flagged at most once per notification interval, however many of its subscriptions fail
 */
public record AccountRecord(
        String namespace,
        String currency,
        String status,
        boolean notification,
        BigDecimal balance,
        BigDecimal debt,
        Instant createdAt,
        BigDecimal lowBalanceThreshold,
        boolean pastDue,
        Instant notifiedAt) {

    /** Rejects null fields. */
    public AccountRecord {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(debt, "debt");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * An account without a low-balance threshold.
     *
     * @param namespace the namespace
     * @param currency the currency code
     * @param status the status
     * @param notification the notification flag
     * @param balance the balance
     * @param debt the debt
     * @param createdAt when it was opened
     */
    public AccountRecord(String namespace, String currency, String status, boolean notification, BigDecimal balance,
            BigDecimal debt, Instant createdAt) {
        this(namespace, currency, status, notification, balance, debt, createdAt, null, false, null);
    }

    /**
     * An account with nothing past due, never notified of a failed renewal.
     *
     * @param namespace the namespace
     * @param currency the currency code
     * @param status the status
     * @param notification the notification flag
     * @param balance the balance
     * @param debt the debt
     * @param createdAt when it was opened
     * @param lowBalanceThreshold the low-balance threshold, or {@code null}
     */
    public AccountRecord(String namespace, String currency, String status, boolean notification, BigDecimal balance,
            BigDecimal debt, Instant createdAt, BigDecimal lowBalanceThreshold) {
        this(namespace, currency, status, notification, balance, debt, createdAt, lowBalanceThreshold, false, null);
    }

    /** @return this account with another status and notification flag */
    public AccountRecord withState(String status, boolean notification) {
        return new AccountRecord(namespace, currency, status, notification, balance, debt, createdAt, lowBalanceThreshold,
                pastDue, notifiedAt);
    }

    /**
     * @param mark the past-due mark
     * @param notified when a failed renewal last flagged it, or {@code null}
     * @return this account with that past-due mark and time of notification
     */
    public AccountRecord withDunning(boolean mark, Instant notified) {
        return new AccountRecord(namespace, currency, status, notification, balance, debt, createdAt, lowBalanceThreshold,
                mark, notified);
    }

    /**
     * @param newBalance the balance
     * @param newDebt the debt
     * @return this account with that balance and debt
     */
    public AccountRecord withMoney(BigDecimal newBalance, BigDecimal newDebt) {
        return new AccountRecord(namespace, currency, status, notification, newBalance, newDebt, createdAt,
                lowBalanceThreshold, pastDue, notifiedAt);
    }
}
