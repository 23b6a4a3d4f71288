package dev.billing.spi;

import java.util.List;
import java.util.Optional;

/**
 * The catalog's regions and plans. Region ids and plan ids are unique; putting one with an existing
 * id replaces it.
 *
 * <p>Valid only inside the unit of work whose {@link StorageSession} handed it out; not to be shared
 * between threads.
 */
public interface CatalogStore {

    /** Inserts or replaces the region with this id. */
    void putRegion(RegionRecord region);

    /** @return the region with this id */
    Optional<RegionRecord> findRegion(String id);

    /** @return every region, by id */
    List<RegionRecord> listRegions();

    /** Inserts or replaces the plan with this id (its current version). */
    void putPlan(PlanRecord plan);

    /**
     * Keeps a version of a plan, for the subscriptions that bought it; versions are never changed.
     *
     * @throws DuplicateKeyException when this plan has this version already
     */
    void insertPlanVersion(PlanRecord plan);

    /**
     * @param id the plan id
     * @param version a version
     * @return that version of the plan, as kept by {@link #insertPlanVersion}
     */
    Optional<PlanRecord> findPlanVersion(String id, int version);

    /** @return the plan with this id */
    Optional<PlanRecord> findPlan(String id);

    /**
     * Reads a plan and a region at once: a checkout's one read of the catalog. A store that answers
     * both in one statement saves a checkout a round trip; the default reads them one after the other.
     *
     * @param planId the plan's id
     * @param regionId the region's id (not necessarily the plan's own region)
     * @return what {@link #findPlan} and {@link #findRegion} return for these ids, {@code null} for a missing one
     */
    default PlanAndRegion findPlanAndRegion(String planId, String regionId) {
        return new PlanAndRegion(findPlan(planId).orElse(null), findRegion(regionId).orElse(null));
    }

    /**
     * Lists plans of a region.
     *
     * @param region the region id
     * @param type a plan type matched case-insensitively (by {@link java.util.Locale#ROOT} lower case), or {@code null} for all
     * @param status a plan status, or {@code null} for all
     * @return the matching plans, by price, then id
     */
    List<PlanRecord> listPlans(String region, String type, String status);
}
