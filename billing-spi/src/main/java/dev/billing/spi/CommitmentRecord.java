package dev.billing.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A commit discount of an account: {@code percentOff}% off its spending above {@code threshold} in
 * every period that starts before {@code endDate}. Immutable, thread-safe.
 *
 * @param namespace the account
 * @param id the commitment's id, unique per namespace
 * @param percentOff the percentage
 * @param threshold the spending above which the discount applies
 * @param currency ISO-4217 code of the threshold
 * @param endDate when the commitment ends
 */
public record CommitmentRecord(String namespace, String id, BigDecimal percentOff, BigDecimal threshold,
        String currency, Instant endDate) {

    /** Rejects null fields. */
    public CommitmentRecord {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(percentOff, "percentOff");
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(endDate, "endDate");
    }
}
