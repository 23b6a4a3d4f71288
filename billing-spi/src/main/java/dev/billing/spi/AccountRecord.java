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
 *
 * @param namespace the account's namespace, its identity
 * @param currency the ISO-4217 code of every amount of the account
 * @param status {@code active}, {@code suspended} or {@code closed}
 * @param notification whether the account is flagged for notification
 * @param balance the wallet balance
 * @param createdAt when the account was opened
 */
public record AccountRecord(
        String namespace,
        String currency,
        String status,
        boolean notification,
        BigDecimal balance,
        Instant createdAt) {

    /** Rejects null fields. */
    public AccountRecord {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(balance, "balance");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
