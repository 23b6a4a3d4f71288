package dev.billing.core.charges;

import java.util.Objects;

/**
 * How an account is billed for usage. Immutable, thread-safe.
 *
 * @param namespace the account
 * @param parent the parent account, or {@code null} for a root account
 * @param kind cloud or dedicated
 * @param openPeriod the oldest period not yet closed into a statement
 */
public record BillingProfile(String namespace, String parent, AccountKind kind, BillingPeriod openPeriod) {

    /** Rejects null required fields. */
    public BillingProfile {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(openPeriod, "openPeriod");
    }
}
