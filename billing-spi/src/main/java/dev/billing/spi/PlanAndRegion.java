package dev.billing.spi;

/**
 * A plan and a region of the catalog read together ({@link CatalogStore#findPlanAndRegion}): what a
 * checkout needs before it debits the wallet. Immutable, thread-safe.
 *
 * @param plan the plan with the id asked for, or {@code null} when the catalog has none
 * @param region the region with the id asked for, or {@code null} when the catalog has none
 */
public record PlanAndRegion(PlanRecord plan, RegionRecord region) {
}
