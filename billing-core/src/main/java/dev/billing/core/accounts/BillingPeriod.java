package dev.billing.core.accounts;

import java.time.Instant;
import java.util.Objects;

/**
 * A billing period {@code [start, end)}. Immutable, thread-safe.
 *
 * @param start inclusive
 * @param end exclusive, after {@code start}
 */
public record BillingPeriod(Instant start, Instant end) {

    /** Rejects nulls and empty periods. */
    public BillingPeriod {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("end must be after start: " + start + " .. " + end);
        }
    }

    /** @return whether {@code t} falls in {@code [start, end)} */
    public boolean contains(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }
}
