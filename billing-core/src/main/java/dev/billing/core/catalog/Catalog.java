package dev.billing.core.catalog;

import dev.billing.core.BillingEngine;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.internal.CatalogMapping;
import dev.billing.core.internal.Checks;
import dev.billing.core.internal.Codes;
import dev.billing.core.internal.EngineContext;
import dev.billing.core.internal.Lookups;
import dev.billing.core.internal.UnitOfWork;
import dev.billing.spi.PlanRecord;
import dev.billing.spi.RegionRecord;
import java.time.Clock;
import java.util.List;

/**
 * The catalog ("market"): regions, and the plans each region offers. Reached through
 * {@link BillingEngine#catalog()}.
 *
 * <p>Definitions are declarative puts of the whole definition: the last one wins, as when a server
 * applies its catalog file at every start. Every call is one unit of work.
 *
 * <p>Thread-safe.
 */
public final class Catalog {

    private final UnitOfWork work;
    private final Clock clock;

    /**
     * Made by the engine; hosts reach it through {@link BillingEngine#catalog()}.
     *
     * @param context the engine's internals (not API)
     */
    public Catalog(EngineContext context) {
        this.work = context.work();
        this.clock = context.clock();
    }

    /**
     * Adds a region to the catalog, or replaces the one with the same identification. Defining the
     * same region again changes nothing.
     *
     * @param region the region
     * @return the region as stored
     * @throws InvalidRequestException when the identification or description is malformed
     */
    public Region defineRegion(Region region) {
        Checks.required("region", region);
        Checks.token("region.id", region.id(), Checks.MAX_NAMESPACE);
        Checks.text("region.description", region.description(), 256);
        RegionRecord record = CatalogMapping.toRecord(region);
        return work.transact(s -> {
            s.catalog().putRegion(record);
            return CatalogMapping.region(record);
        });
    }

    /** @return every region, by identification */
    public List<Region> regions() {
        return work.transact(s -> s.catalog().listRegions().stream().map(CatalogMapping::region).toList());
    }

    /**
     * Adds a plan to the catalog, or changes the one with the same id. A change of what it sells (its
     * price, currency, term, description, type, level, name or region) makes a new version of the plan:
     * the plan keeps its id, its subscriptions keep paying the version they bought until their next
     * renewal, which pays the then current version. Defining it again as it is, or changing only its
     * status, keeps its version. A plan keeps its term and currency (its subscriptions' periods and wallets
     * follow them): a plan that bills another term or currency is a new plan. A plan without a creation
     * time is stamped with the engine's clock.
     *
     * @param plan the plan
     * @return the plan as stored
     * @throws InvalidRequestException when a field is malformed, or the price is not positive or has
     *     too many decimals
     * @throws NotFoundException when its region is not in the catalog
     */
    public Plan definePlan(Plan plan) {
        Checks.required("plan", plan);
        Checks.token("plan.id", plan.id(), Checks.MAX_NAMESPACE);
        Checks.token("plan.type", plan.type(), 32);
        Checks.text("plan.level", plan.level(), 32);
        Checks.text("plan.name", plan.name(), 128);
        Checks.text("plan.description", plan.description(), 512);
        Checks.token("plan.region", plan.region(), Checks.MAX_NAMESPACE);
        Checks.positiveAmount("plan.price", plan.price(), null);
        return work.transact(s -> {
            Lookups.requireRegion(s, "plan.region", plan.region());
            Plan stamped = plan.createdAt() != null ? plan
                    : new Plan(plan.id(), plan.type(), plan.level(), plan.name(), plan.price(), plan.term(),
                            plan.description(), plan.region(), plan.status(), clock.instant());
            PlanRecord current = s.catalog().findPlan(plan.id()).orElse(null);
            if (current != null && !current.billPeriod().equals(plan.term().word())) {
                throw InvalidRequestException.of("plan.term", "plan " + plan.id() + " bills " + current.billPeriod()
                        + "; a plan keeps its term (its subscriptions renew on it): define a new plan instead");
            }
            if (current != null && !current.currency().equals(plan.price().getCurrency().getCurrencyCode())) {
                throw new InvalidRequestException(dev.billing.core.ErrorCode.CURRENCY_MISMATCH, "plan.price", "plan "
                        + plan.id() + " is priced in " + current.currency()
                        + "; a plan keeps its currency (its subscriptions renew on it): define a new plan instead");
            }
            PlanRecord record = CatalogMapping.toRecord(stamped, current == null ? 1 : current.version());
            boolean newVersion = current == null || !CatalogMapping.sameTerms(current, record);
            if (newVersion && current != null) {
                record = CatalogMapping.toRecord(stamped, current.version() + 1);
            }
            s.catalog().putPlan(record);
            if (newVersion) {
                s.catalog().insertPlanVersion(record);
            }
            return CatalogMapping.plan(record);
        });
    }

    /**
     * Takes a plan off the market: no new checkout or switch to it. Its subscriptions run to the end of
     * the period they paid for and then end (event {@code subscription.ended}, reason
     * {@code plan_retired}), never renewed. Retiring a retired plan changes nothing.
     *
     * @param planId the plan
     * @return the retired plan
     * @throws NotFoundException when no plan has this id
     */
    public Plan retirePlan(String planId) {
        Checks.token("planId", planId, Checks.MAX_NAMESPACE);
        return work.transact(s -> {
            PlanRecord p = Lookups.requirePlan(s, planId);
            Plan retired = CatalogMapping.plan(p).withStatus(PlanStatus.RETIRED);
            s.catalog().putPlan(CatalogMapping.toRecord(retired, p.version()));
            return retired;
        });
    }

    /**
     * @param planId the plan
     * @return the plan, available or retired
     * @throws NotFoundException when no plan has this id
     */
    public Plan plan(String planId) {
        Checks.token("planId", planId, Checks.MAX_NAMESPACE);
        return work.transact(s -> CatalogMapping.plan(Lookups.requirePlan(s, planId)));
    }

    /**
     * @param planId the plan
     * @return its current version, from 1: every change of what it sells made a new one
     * @throws NotFoundException when no plan has this id
     */
    public int planVersion(String planId) {
        return currentVersion(planId).version();
    }

    /**
     * @param planId the plan
     * @return the plan as it stands and the number of its current version, in one read
     * @throws NotFoundException when no plan has this id
     */
    public PlanVersion currentVersion(String planId) {
        Checks.token("planId", planId, Checks.MAX_NAMESPACE);
        return work.transact(s -> {
            PlanRecord p = Lookups.requirePlan(s, planId);
            return new PlanVersion(p.version(), CatalogMapping.plan(p));
        });
    }

    /**
     * @param planId the plan
     * @param version one of its versions
     * @return the plan as it was at that version (what subscriptions that bought it pay until they renew)
     * @throws NotFoundException when no plan has this id, or it has no such version
     */
    public Plan plan(String planId, int version) {
        Checks.token("planId", planId, Checks.MAX_NAMESPACE);
        return work.transact(s -> CatalogMapping.plan(s.catalog().findPlanVersion(planId, version)
                .orElseThrow(() -> Lookups.planNotFound(planId + " version " + version))));
    }

    /**
     * The market: the available plans of a region, cheapest first, then by id. An unavailable
     * region lists nothing.
     *
     * @param region the region's identification
     * @param type a plan type, matched case-insensitively ({@code c} finds {@code C}), or {@code null} for every type
     * @return the plans
     * @throws NotFoundException when the region is not in the catalog
     */
    public List<Plan> market(String region, String type) {
        Checks.token("region", region, Checks.MAX_NAMESPACE);
        String wanted = type == null || type.isEmpty() ? null : Checks.token("type", type, 32);
        return work.transact(s -> {
            RegionRecord r = Lookups.requireRegion(s, "region", region);
            if (!CatalogMapping.available(r)) {
                return List.<Plan>of();
            }
            return s.catalog().listPlans(region, wanted, Codes.code(PlanStatus.AVAILABLE)).stream().map(CatalogMapping::plan)
                    .toList();
        });
    }
}
