package dev.billing.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.IdGenerator;
import dev.billing.core.charges.ChargeCategory;
import dev.billing.core.charges.ChargeLine;
import dev.billing.core.charges.EstimatedCharges;
import dev.billing.core.charges.Rate;
import dev.billing.core.charges.Tier;
import dev.billing.core.usage.IngestResult;
import dev.billing.core.usage.IngestStatus;
import dev.billing.core.usage.UsageEvent;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageSnapshot;
import dev.billing.test.TestClock;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import javax.money.MonetaryAmount;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the charges suites ({@link ChargesContract}, {@link ClosingContract}, {@link ProfilesContract}) share:
 * a storage from {@link #newStorage()}, new for each test, and an engine on it with a rate card.
 *
 * <p>The world is the estimated-charges API's example: a USD account {@code ran} opened
 * 2016-10-16T21:32:52 UTC, so its first period runs to 2016-11-16T21:32:52, and the clock stands 15 days
 * before that end.
 */
public abstract class ChargesFixture {

    /** The currency of every rate. */
    protected static final CurrencyUnit USD = Monetary.getCurrency("USD");
    /** When the accounts open, so their periods start. */
    protected static final Instant OPENED = Instant.parse("2016-10-16T21:32:52Z");
    /** The end of the first period. */
    protected static final Instant PERIOD_END = Instant.parse("2016-11-16T21:32:52Z");
    /** "Now" in most tests: within the first period. */
    protected static final Instant NOW = Instant.parse("2016-11-01T21:32:52Z");
    /** The day the rates take effect. */
    protected static final LocalDate FROM = LocalDate.of(2016, 1, 1);

    /** The storage under test, new for each test. */
    protected BillingStorage storage;
    /** The engine's clock, at {@link #OPENED} when a test starts. */
    protected TestClock clock;
    /** The engine on {@link #storage}. */
    protected BillingEngine engine;
    private int events;

    /** @return a new, empty storage; the contract closes it */
    protected abstract BillingStorage newStorage();

    @BeforeEach
    void setUpWorld() {
        storage = newStorage();
        clock = TestClock.at(OPENED, ZoneOffset.UTC);
        engine = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC)
                .idGenerator(IdGenerator.random()).build();
        defineRateCard(engine);
        engine.accounts().openAccount("ran", USD, "open-ran");
        clock.set(NOW);
    }

    @AfterEach
    void closeWorld() {
        storage.close();
    }

    /** The rate card of the estimated-charges API's example account, with figures of our own that add up. */
    static void defineRateCard(BillingEngine e) {
        e.charges().defineRate(Rate.flat("DBAAS", "UPTIME", "HRS", d(".40"), USD, FROM));
        e.charges().defineRate(Rate.flat("MAAS", "NUM_CHKS_HRS", "CHKS_HRS", d("0.00103"), USD, FROM));
        e.charges().defineRate(Rate.flat("CSITES", "COMPUTE_CYCLE_OVERAGE", "COUNT", d(".12"), USD, FROM).withIncluded(d("10")));
        e.charges().defineRate(new Rate("RCDN", "BWOUT", "GB", USD, BigDecimal.ZERO,
                List.of(new Tier(d("100"), d(".12")), Tier.flat(d(".08"))), FROM));
    }

    /** @return the decimal {@code s} */
    protected static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    /** @return {@code s} dollars, exactly */
    protected static Money usd(String s) {
        return Money.of(d(s), "USD");
    }

    /** @return a usage event of a new id at the clock's now */
    protected UsageEvent use(String ns, String offering, String chargeType, String quantity) {
        return new UsageEvent("e-" + (++events), ns, offering, chargeType, d(quantity), clock.instant());
    }

    /** @return everything the storage holds */
    protected StorageSnapshot snapshot() {
        return StorageSnapshot.of(storage);
    }

    /** Ingests the estimate's usage of {@code ran}: one event of each offering, DBAAS twice. */
    protected void ingestExampleUsage() {
        List<IngestResult> r = engine.usage().ingestBatch(List.of(
                use("ran", "DBAAS", "UPTIME", "4"), use("ran", "DBAAS", "UPTIME", "6.00"),
                use("ran", "MAAS", "NUM_CHKS_HRS", "3000.00"),
                use("ran", "CSITES", "COMPUTE_CYCLE_OVERAGE", "12.00"),
                use("ran", "RCDN", "BWOUT", "112.50")));
        assertTrue(r.stream().allMatch(x -> x.status() == IngestStatus.ACCEPTED), r.toString());
    }

    /** @return the estimate's line of {@code offering} */
    protected static ChargeLine line(EstimatedCharges e, String offering) {
        return e.lines().stream().filter(l -> offering.equals(l.offeringCode())).findFirst().orElseThrow();
    }

    /** Defines region {@code us-east} and its plan {@code box}, 3.00 a month. */
    protected void catalog() {
        engine.catalog().defineRegion(dev.billing.core.catalog.Region.available("us-east", "US East"));
        engine.catalog().definePlan(dev.billing.core.catalog.Plan.of("box", "C", usd("3.00"),
                dev.billing.core.catalog.PlanTerm.MONTHLY, "1 CPU Core, 512M Memory", "us-east"));
    }

    /** Every figure of an estimate adds up. */
    protected static void assertAddsUp(EstimatedCharges e, boolean allLinesListed) {
        if (allLinesListed) {
            BigDecimal charges = e.lines().stream().filter(l -> l.category() == ChargeCategory.CHARGE)
                    .map(l -> exact(l.amount())).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal discounts = e.lines().stream().filter(l -> l.category() == ChargeCategory.DISCOUNT)
                    .map(l -> exact(l.amount())).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertEquals(0, charges.compareTo(exact(e.totals().chargeSubTotal())), "chargeSubTotal = sum of CHARGE lines");
            assertEquals(0, discounts.compareTo(exact(e.totals().discountTotal())), "discountTotal = sum of DISCOUNT lines");
        }
        assertTrue(exact(e.totals().discountTotal()).signum() <= 0, "discountTotal <= 0");
        assertEquals(e.totals().chargeSubTotal().add(e.totals().discountTotal()), e.totals().chargeTotal(), "chargeTotal");
        assertEquals(e.totals().chargeTotal().add(e.totals().chargeHierarchyTotal()), e.totals().total(), "total");
        assertTrue(!e.totals().chargeTotal().isNegative(), "a discount never exceeds the charges");
    }

    /** @return the amount's number, exactly */
    protected static BigDecimal exact(MonetaryAmount a) {
        return a.getNumber().numberValueExact(BigDecimal.class);
    }
}
