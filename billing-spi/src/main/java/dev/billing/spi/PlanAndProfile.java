package dev.billing.spi;

import java.util.Objects;

/**
 * What a checkout reads before it debits the wallet, read together
 * ({@link StorageSession#findPlanAndProfile}): the plan and the region it is bought in, and the buyer's
 * billing profile, whose cycle zone lays out the subscription's first period. Immutable, thread-safe.
 *
 * @param offer the plan and the region, as {@link CatalogStore#findPlanAndRegion} reads them
 * @param profile the buyer's profile, as {@link ProfileStore#findBillingProfile} reads it, or {@code null}
 *     when it has none (an account opened before profiles were kept, or no such account)
 */
public record PlanAndProfile(PlanAndRegion offer, BillingProfileRecord profile) {

    /** Rejects a null offer. */
    public PlanAndProfile {
        Objects.requireNonNull(offer, "offer");
    }
}
