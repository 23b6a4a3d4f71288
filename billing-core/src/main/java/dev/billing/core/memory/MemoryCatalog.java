package dev.billing.core.memory;

import dev.billing.spi.CatalogStore;
import dev.billing.spi.PlanRecord;
import dev.billing.spi.RegionRecord;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The in-memory {@link CatalogStore} of one unit of work. */
final class MemoryCatalog implements CatalogStore {

    private final MemorySession session;
    private final MemoryTables t;

    MemoryCatalog(MemorySession session, MemoryTables t) {
        this.session = session;
        this.t = t;
    }

    @Override
    public void putRegion(RegionRecord region) {
        session.check();
        session.put(t.regions, region.id(), region);
    }

    @Override
    public Optional<RegionRecord> findRegion(String id) {
        session.check();
        return Optional.ofNullable(t.regions.get(id));
    }

    @Override
    public List<RegionRecord> listRegions() {
        session.check();
        return List.copyOf(t.regions.values());
    }

    @Override
    public void putPlan(PlanRecord plan) {
        session.check();
        session.put(t.plans, plan.id(), plan);
    }

    @Override
    public void insertPlanVersion(PlanRecord plan) {
        session.check();
        String key = MemoryTables.key(plan.id(), Integer.toString(plan.version()));
        if (t.planVersions.containsKey(key)) {
            throw session.spoil(new dev.billing.spi.DuplicateKeyException("plan " + plan.id() + " has version "
                    + plan.version() + " already", null));
        }
        session.put(t.planVersions, key, plan);
    }

    @Override
    public Optional<PlanRecord> findPlanVersion(String id, int version) {
        session.check();
        return Optional.ofNullable(t.planVersions.get(MemoryTables.key(id, Integer.toString(version))));
    }

    @Override
    public Optional<PlanRecord> findPlan(String id) {
        session.check();
        return Optional.ofNullable(t.plans.get(id));
    }

    @Override
    public List<PlanRecord> listPlans(String region, String type, String status) {
        session.check();
        String wanted = type == null ? null : type.toLowerCase(Locale.ROOT);
        return t.plans.values().stream()
                .filter(p -> p.region().equals(region))
                .filter(p -> wanted == null || p.type().toLowerCase(Locale.ROOT).equals(wanted))
                .filter(p -> status == null || p.status().equals(status))
                .sorted(Comparator.comparing(PlanRecord::price).thenComparing(PlanRecord::id))
                .toList();
    }
}
