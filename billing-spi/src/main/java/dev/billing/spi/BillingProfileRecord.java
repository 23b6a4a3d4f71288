package dev.billing.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * How an account is billed for usage: its place in an account hierarchy, its kind, and its open
 * billing period. Kept beside the {@link AccountRecord}. Immutable, thread-safe.
 *
 * @param namespace the account
 * @param parent the parent account's namespace, or {@code null} for a root
 * @param kind {@code cloud} or {@code dedicated}
 * @param periodStart start of the open (not yet closed) billing period, inclusive
 * @param periodEnd end of the open billing period, exclusive; the period is due for closing from then on
 */
public record BillingProfileRecord(String namespace, String parent, String kind, Instant periodStart,
        Instant periodEnd) {

    /** Rejects null required fields. */
    public BillingProfileRecord {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(periodEnd, "periodEnd");
    }
}
