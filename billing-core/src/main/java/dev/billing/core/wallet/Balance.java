package dev.billing.core.wallet;

import dev.billing.core.accounts.AccountStatus;
import java.util.Objects;
import javax.money.MonetaryAmount;

/**
 * A wallet's balance and its account's status, as recharge, checkout and balance answer them.
 * Immutable, thread-safe.
 *
 * @param amount the balance
 * @param status the account status
 */
public record Balance(MonetaryAmount amount, AccountStatus status) {

    /** Rejects null fields. */
    public Balance {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(status, "status");
    }
}
