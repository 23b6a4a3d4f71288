package dev.billing.core.internal;

import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanStatus;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.catalog.RegionStatus;
import dev.billing.spi.PlanRecord;
import dev.billing.spi.RegionRecord;

/** The catalog's values and the records they are stored as. Not API. */
public final class CatalogMapping {

    private CatalogMapping() {
    }

    /** @return how {@code r} is stored */
    public static RegionRecord toRecord(Region r) {
        return new RegionRecord(r.id(), r.description(), Codes.code(r.status()));
    }

    /** @return the region stored as {@code r} */
    public static Region region(RegionRecord r) {
        return new Region(r.id(), r.description(), Codes.parse(RegionStatus.class, r.status()));
    }

    /** @return whether the stored region is available */
    public static boolean available(RegionRecord r) {
        return r.status().equals(Codes.code(RegionStatus.AVAILABLE));
    }

    /** @return how {@code p} is stored, at its first version */
    public static PlanRecord toRecord(Plan p) {
        return toRecord(p, 1);
    }

    /** @return how {@code p} is stored, at {@code version} */
    public static PlanRecord toRecord(Plan p, int version) {
        return new PlanRecord(p.id(), p.type(), p.level(), p.name(), Amounts.exact(p.price()),
                p.price().getCurrency().getCurrencyCode(), p.term().word(), p.description(), p.region(),
                Codes.code(p.status()), p.createdAt(), version);
    }

    /**
     * @return whether two stored versions of a plan sell the same thing: same type, level, name, price
     *     (by value), currency, term, description and region; status and creation time do not count
     */
    public static boolean sameTerms(PlanRecord a, PlanRecord b) {
        return a.type().equals(b.type()) && a.level().equals(b.level()) && a.name().equals(b.name())
                && a.price().compareTo(b.price()) == 0 && a.currency().equals(b.currency())
                && a.billPeriod().equals(b.billPeriod()) && a.description().equals(b.description())
                && a.region().equals(b.region());
    }

    /** @return the plan stored as {@code p} */
    public static Plan plan(PlanRecord p) {
        return new Plan(p.id(), p.type(), p.level(), p.name(), Amounts.of(p.price(), p.currency()),
                PlanTerm.parse(p.billPeriod()), p.description(), p.region(), Codes.parse(PlanStatus.class, p.status()),
                p.createdAt());
    }
}
