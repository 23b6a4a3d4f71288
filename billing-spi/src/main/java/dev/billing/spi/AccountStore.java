package dev.billing.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * Accounts and their balances. The namespace is unique (a store throws {@link DuplicateKeyException}
 * for a second account, even from a concurrent unit of work in another process). A balance changes
 * only by {@link #applyBalanceDelta}, a debt only by {@link #applyDebtDelta}: each one atomic
 * conditional step that never loses a concurrent update.
 *
 * <p>Valid only inside the unit of work whose {@link StorageSession} handed it out; not to be shared
 * between threads.
 */
public interface AccountStore {

    /**
     * Balances stay below this, 10^15, so that every store keeps them exactly (DECIMAL(19,4) in SQL):
     * {@link #applyBalanceDelta} refuses a change that would reach it.
     */
    BigDecimal MAX_BALANCE = BigDecimal.TEN.pow(15);

    /**
     * Inserts a new account.
     *
     * @throws DuplicateKeyException when an account with this namespace exists
     */
    void insertAccount(AccountRecord account);

    /** @return the account of this namespace */
    Optional<AccountRecord> findAccount(String namespace);

    /** Sets an existing account's status and notification flag. */
    void updateAccountState(String namespace, String status, boolean notification);

    /**
     * Sets an existing account's low-balance threshold.
     *
     * @param namespace the account
     * @param threshold the threshold, or {@code null} for none
     */
    void setLowBalanceThreshold(String namespace, BigDecimal threshold);

    /**
     * Sets an existing account's past-due mark and time of notification ({@link AccountRecord#pastDue()},
     * {@link AccountRecord#notifiedAt()}); the next {@link #applyBalanceDelta} in any unit of work answers
     * them.
     *
     * @param namespace the account
     * @param pastDue the mark
     * @param notifiedAt when a failed renewal last flagged it, or {@code null}
     * @throws StorageException when no account has this namespace
     */
    void updateDunning(String namespace, boolean pastDue, Instant notifiedAt);

    /**
     * Adds {@code delta} to an account's balance as one atomic, conditional step: a concurrent unit of
     * work can neither lose this update nor see a result below {@code floor} or at {@link #MAX_BALANCE}.
     *
     * <p>The change holds the account's row until the unit of work ends (in a database, the row lock of
     * the {@code UPDATE}), and the account it returns is read under that hold: its status and
     * notification flag are current, not as of an earlier read. Engines rely on that to decide on a
     * status without a second read; a zero delta is how they take the hold without changing the balance.
     *
     * @param namespace the account
     * @param delta the signed change
     * @param floor the lowest balance allowed after the change, or {@code null} for no lower limit
     * @return the account with its new balance, or empty when the change would take the balance below
     *     {@code floor}, or to {@link #MAX_BALANCE} or above, or when no account has this namespace
     *     (then nothing changed, and the unit of work goes on: an engine that needs to know which
     *     reads the account; a recharge opens a missing one this way without reading it first)
     */
    Optional<AccountRecord> applyBalanceDelta(String namespace, BigDecimal delta, BigDecimal floor);

    /**
     * Adds {@code delta} to an account's debt, atomically and under the same row hold as
     * {@link #applyBalanceDelta}: the debt never goes below zero nor reaches {@link #MAX_BALANCE}.
     *
     * @param namespace the account
     * @param delta the signed change
     * @return the account with its new debt, or empty when the change would take the debt below zero,
     *     or to {@link #MAX_BALANCE} or above, or when no account has this namespace (then nothing changed)
     */
    Optional<AccountRecord> applyDebtDelta(String namespace, BigDecimal delta);
}
