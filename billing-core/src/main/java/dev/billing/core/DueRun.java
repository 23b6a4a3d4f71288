package dev.billing.core;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one {@link BillingEngine#runDue()} did (or its parts, {@link dev.billing.core.charges.Charges#closeDue()}
 * and {@link dev.billing.core.subscriptions.Subscriptions#renewDue()}). Immutable, thread-safe.
 *
 * @param at the moment it ran for (the engine clock's instant)
 * @param statements periods closed into statements
 * @param arrears statements the balance could not cover in full (their accounts are suspended)
 * @param renewals subscription periods renewed and paid
 * @param expired subscriptions that expired because the balance could not pay their renewal
 * @param failures one message per account or subscription that could not be processed; they are
 *     retried by the next run
 */
public record DueRun(Instant at, int statements, int arrears, int renewals, int expired, List<String> failures) {

    /** Copies the failures. */
    public DueRun {
        Objects.requireNonNull(at, "at");
        failures = List.copyOf(failures);
    }
}
