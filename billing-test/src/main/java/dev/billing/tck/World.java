package dev.billing.tck;

import dev.billing.core.BillingEngine;
import dev.billing.core.IdGenerator;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanStatus;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.catalog.RegionStatus;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageSnapshot;
import dev.billing.test.TestClock;
import java.math.BigDecimal;
import java.time.ZoneId;
import javax.money.MonetaryAmount;
import org.javamoney.moneta.Money;

/**
 * A test world: an engine on a given storage, a mutable clock, readable ids and the catalog of the payment API's examples
 * (regions {@code cn-north-1}, {@code cn-north-2}, {@code aws}; plans in CNY).
 */
public final class World implements AutoCloseable {

    /** The currency of every plan. */
    public static final String CNY = "CNY";
    /** 20.00 a month, type C, region aws. */
    public static final String SMALL = "plan-small";
    /** 40.88 a month, type C, region aws. */
    public static final String MEDIUM = "plan-medium";
    /** 88.88 a month, type C, region aws. */
    public static final String LARGE = "plan-large";
    /** 10.00 a month, type normal, region cn-north-1. */
    public static final String NORMAL = "plan-normal";
    /** 5.00 a month, type C, region aws, retired: not for sale. */
    public static final String RETIRED = "plan-retired";
    /** 1.00 a month, region closed-1, which is unavailable. */
    public static final String CLOSED_REGION_PLAN = "plan-closed";

    /** The storage under test. */
    public final BillingStorage storage;
    /** The engine's clock. */
    public final TestClock clock;
    /** The engine, on {@link #storage}. */
    public final BillingEngine engine;

    /**
     * A world at 2016-09-26T09:27:04Z, billing in Asia/Shanghai.
     *
     * @param storage the storage under test, empty
     */
    public World(BillingStorage storage) {
        this(storage, TestClock.at("2016-09-26T09:27:04Z"), ZoneId.of("Asia/Shanghai"));
    }

    /**
     * @param storage the storage under test, empty
     * @param clock the engine's clock
     * @param zone the zone the engine bills in
     */
    public World(BillingStorage storage, TestClock clock, ZoneId zone) {
        this.storage = storage;
        this.clock = clock;
        this.engine = BillingEngine.builder().storage(storage).clock(clock).zone(zone)
                .idGenerator(IdGenerator.random()).build();
        engine.catalog().defineRegion(Region.available("cn-north-1", "铸造一区"));
        engine.catalog().defineRegion(Region.available("cn-north-2", "铸造二区"));
        engine.catalog().defineRegion(Region.available("aws", "AWS"));
        engine.catalog().defineRegion(new Region("closed-1", "closed", RegionStatus.UNAVAILABLE));
        engine.catalog().definePlan(new Plan(SMALL, "C", "S", "asdwe", cny("20"), PlanTerm.parse("M"),
                "1 CPU Core, 512M Memory", "aws", PlanStatus.AVAILABLE, null));
        engine.catalog().definePlan(Plan.of(MEDIUM, "C", cny("40.88"), PlanTerm.parse("M"), "2 CPU Cores, 1G Memory", "aws"));
        engine.catalog().definePlan(Plan.of(LARGE, "C", cny("88.88"), PlanTerm.parse("M"), "4 CPU Cores, 2G Memory", "aws"));
        engine.catalog().definePlan(Plan.of(NORMAL, "normal", cny("10"), PlanTerm.parse("monthly"), "1 CPU Core, 512M Memory",
                "cn-north-1"));
        engine.catalog().definePlan(Plan.of(RETIRED, "C", cny("5"), PlanTerm.MONTHLY, "old", "aws").withStatus(PlanStatus.RETIRED));
        engine.catalog().definePlan(Plan.of(CLOSED_REGION_PLAN, "C", cny("1"), PlanTerm.MONTHLY, "closed", "closed-1"));
    }

    /** @return {@code amount} yuan, exactly */
    public static Money cny(String amount) {
        return Money.of(new BigDecimal(amount), CNY);
    }

    /** @return {@code amount} of {@code currency}, exactly */
    public static MonetaryAmount money(String amount, String currency) {
        return Money.of(new BigDecimal(amount), currency);
    }

    /** @return everything the storage holds (it must be a {@link dev.billing.spi.SnapshotSource}) */
    public StorageSnapshot snapshot() {
        return StorageSnapshot.of(storage);
    }

    @Override
    public void close() {
        storage.close();
    }
}
