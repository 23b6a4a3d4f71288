package dev.billing.core.accounts;

import java.time.Period;
import java.time.ZoneId;
import java.util.Objects;

/**
 * How an account is billed for usage. Immutable, thread-safe.
 *
 * @param namespace the account
 * @param parent the parent account, or {@code null} for a root account
 * @param kind cloud or dedicated
 * @param openPeriod the oldest period not yet closed into a statement
 * @param cycle the length of the billing cycle that laid out the open period, such as {@code P1M}
 *     (years are shown as months: {@code P12M})
 * @param zone the time zone the open period was laid out in
 * @param nextCycle the cycle length that takes over when the open period ends, or {@code null}
 * @param nextZone the zone that goes with {@code nextCycle}, or {@code null}
 */
public record BillingProfile(String namespace, String parent, AccountKind kind, BillingPeriod openPeriod,
        Period cycle, ZoneId zone, Period nextCycle, ZoneId nextZone) {

    /** Rejects null required fields. */
    public BillingProfile {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(openPeriod, "openPeriod");
        Objects.requireNonNull(cycle, "cycle");
        Objects.requireNonNull(zone, "zone");
    }
}
