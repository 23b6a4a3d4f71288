package dev.billing.tck;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.billing.spi.StorageSnapshot;
import dev.billing.test.TestClock;

import dev.billing.core.BillingEngine;
import dev.billing.core.BillingException;
import dev.billing.core.ConflictException;
import dev.billing.core.DueRun;
import dev.billing.core.ErrorCode;
import dev.billing.core.IdGenerator;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.accounts.Account;
import dev.billing.core.accounts.AccountKind;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.accounts.BillingPeriod;
import dev.billing.core.accounts.ProfileChange;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.charges.ChargeCategory;
import dev.billing.core.charges.ChargeLine;
import dev.billing.core.charges.Commitment;
import dev.billing.core.charges.EstimatedCharges;
import dev.billing.core.charges.Rate;
import dev.billing.core.charges.Statement;
import dev.billing.core.charges.Tier;
import dev.billing.core.subscriptions.Subscription;
import dev.billing.core.subscriptions.SubscriptionStatus;
import dev.billing.core.usage.IngestResult;
import dev.billing.core.usage.IngestStatus;
import dev.billing.core.usage.UsageEvent;
import dev.billing.core.wallet.Balance;
import dev.billing.core.wallet.Transaction;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.ProfileStore;
import dev.billing.spi.RateRecord;
import dev.billing.spi.StatementLineRecord;
import dev.billing.spi.StatementRecord;
import dev.billing.spi.StatementStore;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageWork;
import dev.billing.spi.UsageRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import javax.money.MonetaryAmount;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Metered usage, the rate card, estimated charges, period close and renewal, written once and run
 * against every storage: extend it and implement {@link #newStorage()}.
 *
 * <p>The world is the second seed's: a USD account {@code ran} opened 2016-10-16T21:32:52 UTC, so its
 * first period runs to 2016-11-16T21:32:52, and the clock stands 15 days before that end.
 *
 * <p>Longer than most files on purpose: a plugin extends one class per area of the TCK, so an area's
 * tests stay in one class rather than in several a plugin would have to find and extend.
 */
public abstract class ChargesContract {

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
        seedRateCard(engine);
        engine.accounts().openAccount("ran", USD, "open-ran");
        clock.set(NOW);
    }

    @AfterEach
    void closeWorld() {
        storage.close();
    }

    /** The second seed's offerings, with figures of our own that add up. */
    static void seedRateCard(BillingEngine e) {
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

    private void seedUsage() {
        List<IngestResult> r = engine.usage().ingestBatch(List.of(
                use("ran", "DBAAS", "UPTIME", "4"), use("ran", "DBAAS", "UPTIME", "6.00"),
                use("ran", "MAAS", "NUM_CHKS_HRS", "3000.00"),
                use("ran", "CSITES", "COMPUTE_CYCLE_OVERAGE", "12.00"),
                use("ran", "RCDN", "BWOUT", "112.50")));
        assertTrue(r.stream().allMatch(x -> x.status() == IngestStatus.ACCEPTED), r.toString());
    }

    private static ChargeLine line(EstimatedCharges e, String offering) {
        return e.lines().stream().filter(l -> offering.equals(l.offeringCode())).findFirst().orElseThrow();
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

    // ------------------------------------------------------------ the seed's estimate

    @Test
    void seedCloudAccount_everyLineIsQuantityTimesRate_andTotalsAddUp() {
        seedUsage();
        engine.charges().defineCommitment("ran", new Commitment("commit-1", d("10"), usd("10.00"), Instant.parse("2017-05-30T09:30:10Z")));
        EstimatedCharges e = engine.charges().estimatedCharges("ran");
        assertAll(
                () -> assertEquals(USD, e.currency()),
                () -> assertEquals(new BillingPeriod(OPENED, PERIOD_END), e.period()),
                () -> assertEquals(Period.ofDays(15), e.durationRemaining()),
                () -> assertFalse(e.dedicated()),
                () -> assertEquals(5, e.lines().size()),
                // 10 HRS x .40
                () -> assertEquals(usd("4.00"), line(e, "DBAAS").amount()),
                () -> assertEquals(0, d("10").compareTo(line(e, "DBAAS").quantity())),
                () -> assertEquals(0, d(".40").compareTo(line(e, "DBAAS").rate())),
                () -> assertEquals("HRS", line(e, "DBAAS").unitOfMeasure()),
                // 3000 x 0.00103 = 3.09
                () -> assertEquals(usd("3.09"), line(e, "MAAS").amount()),
                // 12 - 10 included = 2 x .12
                () -> assertEquals(usd("0.24"), line(e, "CSITES").amount()),
                // 100 x .12 + 12.5 x .08 = 12 + 1 = 13
                () -> assertEquals(usd("13.00"), line(e, "RCDN").amount()),
                () -> assertEquals("100 GB x 0.12 + 12.5 GB x 0.08 = 13.00", line(e, "RCDN").chargeDetails()),
                () -> assertEquals("10 COUNT included; 2 COUNT x 0.12 = 0.24", line(e, "CSITES").chargeDetails()),
                () -> assertNull(line(e, "DBAAS").chargeDetails(), "a flat line needs no explanation"),
                () -> assertEquals(usd("20.33"), e.totals().chargeSubTotal()),
                // 10% of (20.33 - 10.00) = 1.033 -> 1.03
                () -> assertEquals(usd("-1.03"), e.totals().discountTotal()),
                () -> assertEquals(usd("19.30"), e.totals().chargeTotal()),
                () -> assertEquals(usd("0.00"), e.totals().chargeHierarchyTotal()),
                () -> assertEquals(usd("19.30"), e.totals().total()));
        ChargeLine discount = e.lines().get(4);
        assertAll(
                () -> assertEquals(ChargeCategory.DISCOUNT, discount.category()),
                () -> assertEquals("Commit Discount", discount.chargeType()),
                () -> assertEquals(0, BigDecimal.ONE.compareTo(discount.quantity())),
                () -> assertEquals("COUNT", discount.unitOfMeasure()),
                () -> assertEquals("10% off spending over $10.00.", discount.chargeDescription()),
                () -> assertEquals(discount.chargeDescription(), discount.chargeDetails()),
                () -> assertEquals(Instant.parse("2017-05-30T09:30:10Z"), discount.endDate()));
        assertAddsUp(e, true);
    }

    @Test
    void numbersWithTrailingZerosBeyondTheLimit_areStoredAsTheirValue() {
        engine.charges().defineRate(Rate.flat("ZERO", "SCALE", "GB", d("0.500000000"), USD, FROM).withIncluded(d("0E-2000000000")));
        assertEquals(IngestStatus.ACCEPTED, engine.usage().ingest(new UsageEvent("z1", "ran", "ZERO", "SCALE",
                d("0E-100000000"), clock.instant())).status());
        assertEquals(IngestStatus.ACCEPTED, engine.usage().ingest(new UsageEvent("z2", "ran", "ZERO", "SCALE",
                d("3.000000000000"), clock.instant())).status());
        var line = engine.charges().estimatedCharges("ran", "ZERO", "SCALE", 0, 10).lines().get(0);
        assertEquals(0, d("3").compareTo(line.quantity()));
        assertEquals(usd("1.50"), line.amount());
    }

    @Test
    void dedicatedAccount_showsTotalsOnly() {
        seedUsage();
        EstimatedCharges cloud = engine.charges().estimatedCharges("ran");
        engine.accounts().setKind("ran", AccountKind.DEDICATED);
        EstimatedCharges dedicated = engine.charges().estimatedCharges("ran");
        assertTrue(dedicated.dedicated());
        assertTrue(dedicated.lines().isEmpty());
        assertEquals(cloud.totals().total(), dedicated.totals().total());
        assertEquals(cloud.totals().chargeSubTotal(), dedicated.totals().chargeSubTotal());
        assertAddsUp(dedicated, false);
    }

    @Test
    void estimate_noUsage_isAllZero() {
        EstimatedCharges e = engine.charges().estimatedCharges("ran");
        assertTrue(e.lines().isEmpty());
        assertEquals(usd("0.00"), e.totals().total());
        assertFalse(e.hasNext());
        assertFalse(e.hasPrevious());
    }

    @Test
    void estimate_unknownNamespace_isNotFound() {
        NotFoundException x = assertThrows(NotFoundException.class, () -> engine.charges().estimatedCharges("nobody"));
        assertEquals(ErrorCode.ACCOUNT_NOT_FOUND, x.code());
    }

    @Test
    void hierarchy_parentShowsDescendantsChargeTotals() {
        clock.set(OPENED);   // periods that end with the parent's
        engine.accounts().openAccount("child-a", USD, "open-a");
        engine.accounts().openAccount("child-b", USD, "open-b");
        engine.accounts().openAccount("grandchild", USD, "open-g");
        clock.set(NOW);
        engine.accounts().setParent("child-a", "ran");
        engine.accounts().setParent("child-b", "ran");
        engine.accounts().setParent("grandchild", "child-a");
        engine.usage().ingestBatch(List.of(use("ran", "DBAAS", "UPTIME", "10"), use("child-a", "DBAAS", "UPTIME", "5"),
                use("child-b", "RCDN", "BWOUT", "10"), use("grandchild", "DBAAS", "UPTIME", "2.5")));
        EstimatedCharges parent = engine.charges().estimatedCharges("ran");
        assertEquals(usd("4.00"), parent.totals().chargeTotal());
        // 2.00 + 1.20 + 1.00
        assertEquals(usd("4.20"), parent.totals().chargeHierarchyTotal());
        assertEquals(usd("8.20"), parent.totals().total());
        EstimatedCharges childA = engine.charges().estimatedCharges("child-a");
        assertEquals(usd("1.00"), childA.totals().chargeHierarchyTotal());
        assertAddsUp(parent, true);
    }

    @Test
    void setParent_cycleOrOtherCurrencyOrUnknown_isRejectedAndChangesNothing() {
        engine.accounts().openAccount("child", USD, "open-c");
        engine.accounts().setParent("child", "ran");
        engine.wallet().recharge("yuan", Money.of(d("1"), "CNY"), "r-yuan");
        StorageSnapshot before = snapshot();
        assertEquals("parent", assertThrows(InvalidRequestException.class, () -> engine.accounts().setParent("ran", "child")).field());
        assertEquals("parent", assertThrows(InvalidRequestException.class, () -> engine.accounts().setParent("ran", "ran")).field());
        assertEquals(ErrorCode.CURRENCY_MISMATCH,
                assertThrows(InvalidRequestException.class, () -> engine.accounts().setParent("yuan", "ran")).code());
        assertThrows(NotFoundException.class, () -> engine.accounts().setParent("ran", "nobody"));
        assertEquals(before, snapshot());
        engine.accounts().setParent("child", null);
        assertNull(engine.accounts().billingProfile("child").parent());
    }

    @Test
    void filterAndPagination_listLinesInStableOrder_totalsCoverEverything() {
        seedUsage();
        EstimatedCharges all = engine.charges().estimatedCharges("ran");
        List<String> order = all.lines().stream().map(ChargeLine::offeringCode).toList();
        assertEquals(List.of("CSITES", "DBAAS", "MAAS", "RCDN"), order);
        EstimatedCharges p1 = engine.charges().estimatedCharges("ran", null, null, 0, 3);
        EstimatedCharges p2 = engine.charges().estimatedCharges("ran", null, null, 3, 3);
        assertEquals(all.lines().subList(0, 3), p1.lines());
        assertEquals(all.lines().subList(3, 4), p2.lines());
        assertTrue(p1.hasNext());
        assertFalse(p1.hasPrevious());
        assertFalse(p2.hasNext());
        assertTrue(p2.hasPrevious());
        assertEquals(all.totals().total(), p2.totals().total());
        EstimatedCharges dbaas = engine.charges().estimatedCharges("ran", "DBAAS", null, 0, 10);
        assertEquals(List.of(line(all, "DBAAS")), dbaas.lines());
        assertEquals(all.totals().total(), dbaas.totals().total());
        assertEquals(1, engine.charges().estimatedCharges("ran", null, "BWOUT", 0, 10).lines().size());
        assertTrue(engine.charges().estimatedCharges("ran", "DBAAS", "BWOUT", 0, 10).lines().isEmpty());
        assertTrue(engine.charges().estimatedCharges("ran", null, null, 99, 10).lines().isEmpty());
        assertEquals("limit", assertThrows(InvalidRequestException.class,
                () -> engine.charges().estimatedCharges("ran", null, null, 0, 0)).field());
        assertEquals("marker", assertThrows(InvalidRequestException.class,
                () -> engine.charges().estimatedCharges("ran", null, null, -1, 10)).field());
    }

    @Test
    void discount_neverExceedsCharges() {
        engine.usage().ingest(use("ran", "DBAAS", "UPTIME", "10"));
        engine.charges().defineCommitment("ran", new Commitment("all", d("100"), usd("0"), Instant.parse("2030-01-01T00:00:00Z")));
        engine.charges().defineCommitment("ran", new Commitment("more", d("50"), usd("0"), Instant.parse("2030-01-01T00:00:00Z")));
        EstimatedCharges e = engine.charges().estimatedCharges("ran");
        assertEquals(usd("-4.00"), e.totals().discountTotal());
        assertEquals(usd("0.00"), e.totals().chargeTotal());
        assertAddsUp(e, true);
    }

    @Test
    void stackedCommitments_applyInIdOrder_eachToWhatTheOnesBeforeLeft() {
        engine.usage().ingest(use("ran", "DBAAS", "UPTIME", "250")); // 100.00
        // defined in the other order: the order is the ids', never the definitions'
        engine.charges().defineCommitment("ran", new Commitment("b", d("50"), usd("50.00"), Instant.parse("2030-01-01T00:00:00Z")));
        engine.charges().defineCommitment("ran", new Commitment("a", d("10"), usd("20.00"), Instant.parse("2030-01-01T00:00:00Z")));
        EstimatedCharges e = engine.charges().estimatedCharges("ran");
        // a: 10% of (100.00 - 20.00) = 8.00, leaving 92.00; b: 50% of (92.00 - 50.00) = 21.00, leaving 71.00
        // (the other way round it would be 25.00 then 5.50, leaving 69.50)
        assertEquals(List.of(usd("-8.00"), usd("-21.00")), e.lines().stream()
                .filter(l -> l.category() == dev.billing.core.charges.ChargeCategory.DISCOUNT).map(l -> l.amount()).toList());
        assertEquals(usd("100.00"), e.totals().chargeSubTotal());
        assertEquals(usd("-29.00"), e.totals().discountTotal());
        assertEquals(usd("71.00"), e.totals().chargeTotal());
        assertAddsUp(e, true);
    }

    @Test
    void commitment_endedBeforeThePeriod_givesNoDiscount() {
        engine.usage().ingest(use("ran", "DBAAS", "UPTIME", "10"));
        engine.charges().defineCommitment("ran", new Commitment("old", d("10"), usd("0"), OPENED.minusSeconds(1)));
        assertEquals(usd("0.00"), engine.charges().estimatedCharges("ran").totals().discountTotal());
    }

    @Test
    void commitment_inAnotherCurrency_isRejectedAndChangesNothing() {
        StorageSnapshot before = snapshot();
        InvalidRequestException x = assertThrows(InvalidRequestException.class, () -> engine.charges().defineCommitment("ran",
                new Commitment("c", d("10"), Money.of(d("5"), "CNY"), Instant.parse("2030-01-01T00:00:00Z"))));
        assertEquals(ErrorCode.CURRENCY_MISMATCH, x.code());
        assertEquals(before, snapshot());
    }

    @Test
    void roundingMode_isOneRoundingPerLine_configurable() {
        engine.charges().defineRate(Rate.flat("HALF", "CENT", "COUNT", d("0.005"), USD, FROM));
        engine.usage().ingest(use("ran", "HALF", "CENT", "25")); // 0.125
        engine.usage().ingest(use("ran", "HALF", "CENT", "0")); // a zero quantity is allowed
        assertEquals(usd("0.12"), line(engine.charges().estimatedCharges("ran"), "HALF").amount());
        BillingEngine up = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC)
                .roundingMode(RoundingMode.HALF_UP).build();
        assertEquals(usd("0.13"), line(up.charges().estimatedCharges("ran"), "HALF").amount());
        assertThrows(IllegalArgumentException.class, () -> BillingEngine.builder().roundingMode(RoundingMode.UNNECESSARY));
    }

    // ------------------------------------------------------------ rates

    @Test
    void rateChange_appliesFromTheNextPeriod_neverRewritesTheCurrentOne() {
        engine.usage().ingest(use("ran", "DBAAS", "UPTIME", "10"));
        engine.charges().defineRate(Rate.flat("DBAAS", "UPTIME", "HRS", d(".50"), USD, LocalDate.of(2016, 11, 10)));
        assertEquals(usd("4.00"), line(engine.charges().estimatedCharges("ran"), "DBAAS").amount());
        assertEquals(5, engine.charges().rates().size());
        clock.set(PERIOD_END.plus(Duration.ofDays(1)));
        engine.usage().ingest(use("ran", "DBAAS", "UPTIME", "10"));
        assertEquals(usd("5.00"), line(engine.charges().estimatedCharges("ran"), "DBAAS").amount());
    }

    @Test
    void defineRate_malformed_isRejectedAndChangesNothing() {
        StorageSnapshot before = snapshot();
        assertEquals("rate.tiers[0].unitRate", assertThrows(InvalidRequestException.class, () -> engine.charges().defineRate(
                Rate.flat("X", "Y", "HRS", d("0.0000001"), USD, FROM))).field());
        assertEquals("rate.offeringCode", assertThrows(InvalidRequestException.class, () -> engine.charges().defineRate(
                Rate.flat(" X", "Y", "HRS", d("1"), USD, FROM))).field());
        assertEquals("rate.unitOfMeasure", assertThrows(InvalidRequestException.class, () -> engine.charges().defineRate(
                Rate.flat("X", "Y", "", d("1"), USD, FROM))).field());
        assertEquals("rate.includedQuantity", assertThrows(InvalidRequestException.class, () -> engine.charges().defineRate(
                Rate.flat("X", "Y", "HRS", d("1"), USD, FROM).withIncluded(d("0.1234567")))).field());
        assertThrows(IllegalArgumentException.class, () -> Rate.flat("X", "Y", "HRS", d("-1"), USD, FROM));
        assertEquals(before, snapshot());
    }

    // ------------------------------------------------------------ usage

    @Test
    void repeatedEventId_isADuplicate_andCountsOnce() {
        UsageEvent e = use("ran", "DBAAS", "UPTIME", "10");
        assertEquals(IngestStatus.ACCEPTED, engine.usage().ingest(e).status());
        StorageSnapshot before = snapshot();
        assertEquals(IngestStatus.DUPLICATE, engine.usage().ingest(e).status());
        UsageEvent sameIdOtherQuantity = new UsageEvent(e.eventId(), "ran", "DBAAS", "UPTIME", d("99"), e.timestamp());
        assertEquals(IngestStatus.DUPLICATE, engine.usage().ingest(sameIdOtherQuantity).status());
        assertEquals(before, snapshot());
        List<IngestResult> batch = engine.usage().ingestBatch(List.of(use("ran", "DBAAS", "UPTIME", "1"), e));
        assertEquals(List.of(IngestStatus.ACCEPTED, IngestStatus.DUPLICATE), batch.stream().map(IngestResult::status).toList());
        UsageEvent twice = use("ran", "DBAAS", "UPTIME", "1");
        batch = engine.usage().ingestBatch(List.of(twice, twice));
        assertEquals(List.of(IngestStatus.ACCEPTED, IngestStatus.DUPLICATE), batch.stream().map(IngestResult::status).toList());
        assertEquals(usd("4.80"), engine.charges().estimatedCharges("ran").totals().chargeSubTotal());
    }

    @Test
    void sameEventIdInAnotherNamespace_isNoDuplicate() {
        engine.accounts().openAccount("other", USD, "open-other");
        UsageEvent e = use("ran", "DBAAS", "UPTIME", "10");
        engine.usage().ingest(e);
        UsageEvent other = new UsageEvent(e.eventId(), "other", "DBAAS", "UPTIME", d("1"), e.timestamp());
        assertEquals(IngestStatus.ACCEPTED, engine.usage().ingest(other).status());
    }

    @Test
    void batch_badRecordsAreRejectedWithAReason_goodOnesKept() {
        Instant t = clock.instant().minusSeconds(5);
        List<UsageEvent> batch = new ArrayList<>();
        batch.add(use("ran", "DBAAS", "UPTIME", "1"));
        batch.add(new UsageEvent("neg", "ran", "DBAAS", "UPTIME", d("-1"), t));
        batch.add(new UsageEvent("decimals", "ran", "DBAAS", "UPTIME", d("0.0000001"), t));
        batch.add(new UsageEvent("unknown", "ran", "NOPE", "UPTIME", d("1"), t));
        batch.add(new UsageEvent("before-open", "ran", "DBAAS", "UPTIME", d("1"), OPENED.minusSeconds(1)));
        batch.add(new UsageEvent("future", "ran", "DBAAS", "UPTIME", d("1"), clock.instant().plusSeconds(3600)));
        batch.add(new UsageEvent("nobody", "nobody", "DBAAS", "UPTIME", d("1"), t));
        batch.add(new UsageEvent(null, "ran", "DBAAS", "UPTIME", d("1"), t));
        batch.add(new UsageEvent("no-time", "ran", "DBAAS", "UPTIME", d("1"), null));
        batch.add(null);
        batch.add(use("ran", "DBAAS", "UPTIME", "2"));
        List<IngestResult> r = engine.usage().ingestBatch(batch);
        assertEquals(batch.size(), r.size());
        assertEquals(IngestStatus.ACCEPTED, r.get(0).status());
        assertEquals(IngestStatus.ACCEPTED, r.get(10).status());
        for (int i = 1; i < 10; i++) {
            assertEquals(IngestStatus.REJECTED, r.get(i).status(), "record " + i + ": " + r.get(i));
        }
        assertTrue("event.quantity".equals(r.get(1).field()), r.get(1).message());
        assertTrue("event.quantity".equals(r.get(2).field()), r.get(2).message());
        assertEquals(ErrorCode.RATE_NOT_FOUND, r.get(3).code());
        assertEquals(ErrorCode.INVALID_REQUEST, r.get(4).code());
        assertTrue("event.timestamp".equals(r.get(4).field()) && r.get(4).reason().contains("before the account opened"),
                r.get(4).message());
        assertTrue("event.timestamp".equals(r.get(5).field()), r.get(5).message());
        assertEquals(ErrorCode.ACCOUNT_NOT_FOUND, r.get(6).code());
        assertTrue("event.eventId".equals(r.get(7).field()), r.get(7).message());
        assertTrue("event.timestamp".equals(r.get(8).field()), r.get(8).message());
        assertEquals(usd("1.20"), engine.charges().estimatedCharges("ran").totals().chargeSubTotal());
    }

    @Test
    void batch_ofOnlyBadRecords_changesNothing() {
        StorageSnapshot before = snapshot();
        Instant t = clock.instant().minusSeconds(5);
        List<IngestResult> r = engine.usage().ingestBatch(List.of(
                new UsageEvent("neg", "ran", "DBAAS", "UPTIME", d("-1"), t),
                new UsageEvent("unknown", "ran", "DBAAS", "NOPE", d("1"), t)));
        assertTrue(r.stream().allMatch(x -> x.status() == IngestStatus.REJECTED));
        assertEquals(before, snapshot());
    }

    @Test
    void singleIngest_rejection_throwsNamingTheField_andChangesNothing() {
        StorageSnapshot before = snapshot();
        Instant t = clock.instant().minusSeconds(5);
        assertEquals("event.quantity", assertThrows(InvalidRequestException.class,
                () -> engine.usage().ingest(new UsageEvent("a", "ran", "DBAAS", "UPTIME", d("-0.5"), t))).field());
        assertEquals(ErrorCode.RATE_NOT_FOUND, assertThrows(InvalidRequestException.class,
                () -> engine.usage().ingest(new UsageEvent("b", "ran", "DBAAS", "DOWNTIME", d("1"), t))).code());
        InvalidRequestException beforeOpening = assertThrows(InvalidRequestException.class,
                () -> engine.usage().ingest(new UsageEvent("c", "ran", "DBAAS", "UPTIME", d("1"), OPENED.minusSeconds(9))));
        assertEquals(ErrorCode.INVALID_REQUEST, beforeOpening.code());
        assertEquals("event.timestamp", beforeOpening.field());
        assertTrue(beforeOpening.getMessage().contains("before the account opened"), beforeOpening.getMessage());
        assertThrows(NotFoundException.class, () -> engine.usage().ingest(new UsageEvent("d", "zz", "DBAAS", "UPTIME", d("1"), t)));
        assertEquals("event.namespace", assertThrows(InvalidRequestException.class,
                () -> engine.usage().ingest(new UsageEvent("e", "", "DBAAS", "UPTIME", d("1"), t))).field());
        engine.accounts().setStatus("ran", AccountStatus.CLOSED, "close");
        before = snapshot();
        assertThrows(ConflictException.class, () -> engine.usage().ingest(new UsageEvent("f", "ran", "DBAAS", "UPTIME", d("1"), t)));
        assertEquals(before, snapshot());
    }

    @Test
    void usageStampedInTheSecondTheAccountOpened_countsInItsFirstPeriod() {
        clock.set(Instant.parse("2016-11-02T10:00:00.750Z"));
        engine.accounts().openAccount("late", USD, "open-late");
        assertEquals(Instant.parse("2016-11-02T10:00:00Z"), engine.accounts().billingProfile("late").openPeriod().start());
        assertEquals(IngestStatus.ACCEPTED, engine.usage().ingest(new UsageEvent("s", "late", "DBAAS", "UPTIME", d("1"),
                Instant.parse("2016-11-02T10:00:00Z"))).status());
    }

    @Test
    void aRejectedEvent_repeatedInTheBatch_isRejectedAgain_notADuplicate() {
        UsageEvent bad = new UsageEvent("x", "ran", "NOPE", "UPTIME", d("1"), clock.instant());
        List<IngestResult> r = engine.usage().ingestBatch(List.of(bad, bad));
        assertEquals(List.of(IngestStatus.REJECTED, IngestStatus.REJECTED), r.stream().map(IngestResult::status).toList());
    }

    @Test
    void usageOfAnotherCurrency_isRejected() {
        engine.wallet().recharge("yuan", Money.of(d("100"), "CNY"), "r-yuan");
        IngestResult r = engine.usage().ingestBatch(List.of(use("yuan", "DBAAS", "UPTIME", "1"))).get(0);
        assertEquals(ErrorCode.CURRENCY_MISMATCH, r.code());
    }

    // ------------------------------------------------------------ period close

    @Test
    void runDue_closesThePeriodIntoAStatement_chargesTheWallet_once() {
        engine.wallet().recharge("ran", usd("100.00"), "r1");
        seedUsage();
        EstimatedCharges last = engine.charges().estimatedCharges("ran");
        assertEquals(0, engine.runDue().statements(), "nothing is due before the period ends");
        clock.set(PERIOD_END);
        DueRun run = engine.runDue();
        assertEquals(1, run.statements());
        assertEquals(0, run.arrears());
        assertTrue(run.failures().isEmpty());
        StorageSnapshot after = snapshot();
        assertEquals(0, engine.runDue().statements(), "running again does nothing more");
        assertEquals(after, snapshot());

        List<Statement> statements = engine.charges().statements("ran");
        assertEquals(1, statements.size());
        Statement st = statements.get(0);
        assertEquals(last.period(), st.period());
        assertEquals(last.lines(), st.lines());
        assertEquals(last.totals().total(), st.totals().total());
        assertEquals(last.totals().chargeSubTotal(), st.totals().chargeSubTotal());
        assertEquals(usd("79.67"), engine.wallet().balance("ran").amount());
        Transaction charge = engine.wallet().transaction("ran", st.transactionId());
        assertEquals(TransactionKind.USAGE_CHARGE, charge.kind());
        assertEquals(usd("20.33"), charge.amount());
        assertEquals(engine.wallet().balance("ran").amount(), engine.wallet().ledgerBalance("ran"));
        assertTrue(engine.wallet().trialBalance().values().stream().allMatch(MonetaryAmount::isZero));

        EstimatedCharges next = engine.charges().estimatedCharges("ran");
        assertEquals(new BillingPeriod(PERIOD_END, Instant.parse("2016-12-16T21:32:52Z")), next.period());
        assertEquals(usd("0.00"), next.totals().total());
        assertEquals(next.period(), engine.accounts().billingProfile("ran").openPeriod());
        IngestResult late = engine.usage().ingestBatch(List.of(new UsageEvent("late", "ran", "DBAAS", "UPTIME", d("1"),
                PERIOD_END.minusSeconds(1)))).get(0);
        assertEquals(ErrorCode.PERIOD_CLOSED, late.code(), "usage of a closed period is rejected");
    }

    @Test
    void runDue_aFailureBetweenTwoAccounts_losesNothing_andTheNextRunCarriesOn() {
        engine.accounts().openAccount("b-account", USD, "open-b");
        engine.wallet().recharge("ran", usd("50.00"), "r-ran");
        engine.wallet().recharge("b-account", usd("50.00"), "r-b");
        engine.usage().ingest(use("ran", "DBAAS", "UPTIME", "10"));
        engine.usage().ingest(use("b-account", "DBAAS", "UPTIME", "5"));
        boolean[] armed = {true};
        BillingStorage failing = failingStorage(storage, armed);
        BillingEngine crashing = BillingEngine.builder().storage(failing).clock(clock).zone(ZoneOffset.UTC).build();
        clock.set(Instant.parse("2016-12-02T00:00:00Z"));
        DueRun first = crashing.runDue();
        assertEquals(1, first.failures().size(), first.toString());
        assertEquals(1, engine.charges().statements("ran").size(), "the healthy account was closed");
        assertTrue(engine.charges().statements("b-account").isEmpty(), "the failed close left nothing behind");
        assertEquals(usd("50.00"), engine.wallet().balance("b-account").amount());
        armed[0] = false;
        DueRun second = crashing.runDue();
        assertEquals(1, second.statements());
        assertEquals(usd("48.00"), engine.wallet().balance("b-account").amount());
        assertEquals(usd("46.00"), engine.wallet().balance("ran").amount());
        assertTrue(engine.wallet().trialBalance().values().stream().allMatch(MonetaryAmount::isZero));
    }

    /** A storage whose units of work fail when they store a statement of {@code b-account}, while armed. */
    private static BillingStorage failingStorage(BillingStorage delegate, boolean[] armed) {
        return new BillingStorage() {
            @Override
            public <T> T inTransaction(dev.billing.spi.StorageWork<T> work) {
                return delegate.inTransaction(s -> work.run(new ForwardingSession(s, call -> { }) {
                    @Override
                    public StatementStore statements() {
                        return new ForwardingSession.ForwardingStatementStore(s.statements(), call -> { }) {
                            @Override
                            public void insertStatement(StatementRecord statement, List<StatementLineRecord> lines,
                                    List<String> ancestors) {
                                if (armed[0] && statement.namespace().equals("b-account")) {
                                    throw new StorageException("simulated crash", null);
                                }
                                super.insertStatement(statement, lines, ancestors);
                            }
                        };
                    }
                }));
            }

            @Override
            public String describe() {
                return "failing " + delegate.describe();
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void runDue_emptyPeriod_givesAZeroStatementWithoutTransaction() {
        clock.set(PERIOD_END.plusSeconds(1));
        assertEquals(1, engine.runDue().statements());
        Statement st = engine.charges().statements("ran").get(0);
        assertNull(st.transactionId());
        assertEquals(usd("0.00"), st.totals().total());
        assertTrue(engine.wallet().transactions("ran", null, 10).items().isEmpty());
    }

    @Test
    void runDue_lateUsageOfTheOpenPeriod_isStillCharged() {
        engine.wallet().recharge("ran", usd("10.00"), "r1");
        clock.set(PERIOD_END.plusSeconds(3600));
        // the period ended but is not closed yet: its usage is still accepted
        assertEquals(IngestStatus.ACCEPTED, engine.usage().ingest(new UsageEvent("late", "ran", "DBAAS", "UPTIME", d("10"),
                PERIOD_END.minusSeconds(10))).status());
        engine.runDue();
        assertEquals(usd("4.00"), engine.charges().statements("ran").get(0).totals().chargeTotal());
        assertEquals(usd("6.00"), engine.wallet().balance("ran").amount());
    }

    @Test
    void runDue_severalPeriodsBehind_closesEachInTurn() {
        engine.wallet().recharge("ran", usd("100.00"), "r1");
        engine.usage().ingest(use("ran", "DBAAS", "UPTIME", "10"));
        clock.set(Instant.parse("2017-01-20T00:00:00Z"));
        engine.usage().ingest(new UsageEvent("dec", "ran", "DBAAS", "UPTIME", d("5"), Instant.parse("2016-12-01T00:00:00Z")));
        DueRun run = engine.runDue();
        assertEquals(3, run.statements());
        List<Statement> st = engine.charges().statements("ran");
        assertEquals(List.of(usd("0.00"), usd("2.00"), usd("4.00")), st.stream().map(s -> s.totals().chargeTotal()).toList());
        assertEquals(Instant.parse("2017-01-16T21:32:52Z"), engine.accounts().billingProfile("ran").openPeriod().start());
        assertEquals(usd("94.00"), engine.wallet().balance("ran").amount());
    }

    @Test
    void runDue_insufficientBalance_putsTheAccountInArrears_nextRechargePaysTheDebtFirst() {
        engine.wallet().recharge("ran", usd("1.00"), "r1");
        engine.usage().ingest(use("ran", "DBAAS", "UPTIME", "10")); // 4.00
        clock.set(PERIOD_END);
        DueRun run = engine.runDue();
        assertEquals(1, run.arrears());
        Account a = engine.accounts().account("ran");
        assertEquals(AccountStatus.SUSPENDED, a.status());
        assertTrue(a.notification());
        assertEquals(usd("0.00"), a.balance());
        assertEquals(usd("0.00"), engine.wallet().ledgerBalance("ran"));
        assertTrue(engine.wallet().trialBalance().values().stream().allMatch(MonetaryAmount::isZero));

        Balance partial = engine.wallet().recharge("ran", usd("2.00"), "r2");
        assertEquals(usd("0.00"), partial.amount());
        assertEquals(AccountStatus.SUSPENDED, partial.status(), "still owes 1.00");
        Balance paid = engine.wallet().recharge("ran", usd("5.00"), "r3");
        assertEquals(usd("4.00"), paid.amount());
        assertEquals(AccountStatus.ACTIVE, paid.status());
        assertEquals(paid, engine.wallet().recharge("ran", usd("5.00"), "r3"), "replay answers the same");
        assertEquals(usd("4.00"), engine.wallet().ledgerBalance("ran"));
        List<TransactionKind> kinds = engine.wallet().transactions("ran", null, 20).items().stream().map(Transaction::kind).toList();
        assertEquals(List.of(TransactionKind.DEBT_PAYMENT, TransactionKind.RECHARGE, TransactionKind.DEBT_PAYMENT,
                TransactionKind.RECHARGE, TransactionKind.USAGE_CHARGE, TransactionKind.RECHARGE), kinds);
        assertTrue(engine.wallet().trialBalance().values().stream().allMatch(MonetaryAmount::isZero));
    }

    // ------------------------------------------------------------ renewal

    private void catalog() {
        engine.catalog().defineRegion(dev.billing.core.catalog.Region.available("us-east", "US East"));
        engine.catalog().definePlan(dev.billing.core.catalog.Plan.of("box", "C", usd("3.00"),
                dev.billing.core.catalog.PlanTerm.MONTHLY, "1 CPU Core, 512M Memory", "us-east"));
    }

    @Test
    void runDue_renewsSubscriptionsAtTheEndOfTheirPeriod_byDebitingThePrice() {
        catalog();
        engine.wallet().recharge("ran", usd("7.00"), "r1");
        engine.subscriptions().checkout("ran", "box", "us-east", "c1");
        Subscription sub = engine.accounts().account("ran").subscriptions().get(0);
        clock.set(sub.periodEnd());
        DueRun run = engine.runDue();
        assertEquals(1, run.renewals());
        Subscription renewed = engine.accounts().account("ran").subscriptions().get(0);
        assertEquals(sub.periodEnd(), renewed.periodStart());
        assertEquals(SubscriptionStatus.ACTIVE, renewed.status());
        assertEquals(usd("1.00"), engine.wallet().balance("ran").amount());
        assertEquals(0, engine.runDue().renewals(), "running again does nothing more");
        Transaction t = engine.wallet().transactions("ran", null, 1).items().get(0);
        assertEquals(TransactionKind.PURCHASE, t.kind());
        assertTrue(t.description().startsWith("Renewal of"), t.description());

        clock.set(renewed.periodEnd());
        run = engine.runDue();
        assertEquals(1, run.expired());
        Account a = engine.accounts().account("ran");
        assertEquals(SubscriptionStatus.EXPIRED, a.subscriptions().get(0).status());
        assertTrue(a.notification());
        assertEquals(usd("1.00"), a.balance());
        assertEquals(a.balance(), engine.wallet().ledgerBalance("ran"));
        assertTrue(engine.wallet().trialBalance().values().stream().allMatch(MonetaryAmount::isZero));
    }

    // ------------------------------------------------------------ calendars

    @Test
    void periods_anchoredOnThe31st_endOnTheLastDayOfShorterMonths_inTheEngineZone() {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        TestClock c = TestClock.at(Instant.parse("2016-01-30T16:00:00Z"), shanghai); // 2016-01-31 00:00 +08
        BillingEngine e = BillingEngine.builder().storage(storage).clock(c).zone(shanghai).build();
        e.accounts().openAccount("jan31", USD, "open");
        assertEquals(Instant.parse("2016-02-28T16:00:00Z"), e.accounts().billingProfile("jan31").openPeriod().end(),
                "leap year: 2016-02-29 00:00 +08");
        c.set(Instant.parse("2016-03-01T00:00:00Z"));
        e.runDue();
        assertEquals(Instant.parse("2016-03-30T16:00:00Z"), e.accounts().billingProfile("jan31").openPeriod().end(),
                "back to the 31st after February");
        c.set(Instant.parse("2016-04-01T00:00:00Z"));
        e.runDue();
        assertEquals(Instant.parse("2016-04-29T16:00:00Z"), e.accounts().billingProfile("jan31").openPeriod().end());
        assertEquals(Period.ofDays(28), e.charges().estimatedCharges("jan31").durationRemaining());
    }

    @Test
    void statements_ofUnknownAccount_isNotFound() {
        assertThrows(NotFoundException.class, () -> engine.charges().statements("nobody"));
        assertThrows(BillingException.class, () -> engine.accounts().billingProfile("nobody"));
    }

    // ------------------------------------------------------------ audit fixes

    @Test
    void renewal_isLaidOutInTheZoneOfTheAccount_whateverEngineRenewsIt() {
        BillingEngine shanghai = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneId.of("Asia/Shanghai"))
                .idGenerator(IdGenerator.random()).build();
        shanghai.catalog().defineRegion(dev.billing.core.catalog.Region.available("cn", "CN"));
        shanghai.catalog().definePlan(dev.billing.core.catalog.Plan.of("p", "C", usd("1.00"),
                dev.billing.core.catalog.PlanTerm.MONTHLY, "d", "cn"));
        clock.set(Instant.parse("2016-01-30T16:30:00Z"));   // Jan 31 00:30 in Shanghai
        shanghai.wallet().recharge("sh", usd("10.00"), "r1");
        shanghai.subscriptions().checkout("sh", "p", "cn", "c1");
        Subscription first = engine.accounts().account("sh").subscriptions().get(0);
        assertEquals(Instant.parse("2016-02-28T16:30:00Z"), first.periodEnd(), "Feb 29 00:30 in Shanghai");
        clock.set(Instant.parse("2016-02-28T17:00:00Z"));
        assertEquals(1, engine.runDue().renewals(), "renewed by the UTC engine");
        Subscription renewed = engine.accounts().account("sh").subscriptions().get(0);
        assertEquals(Instant.parse("2016-02-28T16:30:00Z"), renewed.periodStart());
        assertEquals(Instant.parse("2016-03-30T16:30:00Z"), renewed.periodEnd(), "Mar 31 00:30 in Shanghai, a full month");
    }

    @Test
    void storedUsage_withNoRateInForceForItsPeriod_isRefused_neverPricedWithAnotherVersion() {
        engine.charges().defineRate(Rate.flat("LATE", "USE", "HRS", d("1.00"), USD, LocalDate.of(2017, 1, 1)));
        // usage the engine would have refused, written past it (a restore, another writer)
        storage.inTransaction(s -> {
            s.usage().insertUsage(new dev.billing.spi.UsageRecord("ran", "raw-1", "LATE", "USE", d("5"), NOW, NOW));
            return null;
        });
        ConflictException e = assertThrows(ConflictException.class, () -> engine.charges().estimatedCharges("ran"));
        assertEquals(ErrorCode.RATE_NOT_FOUND, e.code());
    }

    @Test
    void opposingParentChanges_atTheSameTime_neverMakeALoop() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 50; round++) {
                String a = "loop-a" + round;
                String b = "loop-b" + round;
                engine.accounts().openAccount(a, USD, "open-" + a);
                engine.accounts().openAccount(b, USD, "open-" + b);
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                List<Future<Boolean>> both = new ArrayList<>();
                for (String[] pair : new String[][] {{a, b}, {b, a}}) {
                    both.add(threads.submit(() -> {
                        start.await();
                        try {
                            engine.accounts().setParent(pair[0], pair[1]);
                            return true;
                        } catch (InvalidRequestException refused) {
                            assertEquals("parent", refused.field());
                            return false;
                        }
                    }));
                }
                int succeeded = 0;
                for (Future<Boolean> f : both) {
                    succeeded += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, succeeded, "exactly one of two opposing parent changes wins, round " + round);
                assertTrue(engine.accounts().billingProfile(a).parent() == null || engine.accounts().billingProfile(b).parent() == null);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void hierarchy_ofMoreThan32Levels_isRefused_howeverItIsAssembled() {
        for (int i = 0; i < 20; i++) {
            engine.accounts().openAccount("x" + i, USD, "open-x" + i);
            if (i > 0) {
                engine.accounts().setParent("x" + i, "x" + (i - 1));
            }
        }
        for (int i = 0; i < 13; i++) {
            engine.accounts().openAccount("y" + i, USD, "open-y" + i);
            if (i > 0) {
                engine.accounts().setParent("y" + i, "y" + (i - 1));
            }
        }
        StorageSnapshot before = snapshot();
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> engine.accounts().setParent("x0", "y12"));
        assertEquals("parent", e.field());
        assertEquals(before, snapshot());
        engine.accounts().setParent("x0", "y11");   // 12 + 20 = 32 levels
        assertEquals("y11", engine.accounts().billingProfile("x0").parent());
    }

    @Test
    void hierarchy_ofAWeeklyChildUnderAMonthlyParent_countsEachWeekInExactlyOneParentStatement() {
        clock.set(OPENED);
        engine.accounts().openAccount("weekly", USD, "open-weekly");
        clock.set(NOW);
        engine.accounts().setParent("weekly", "ran");
        engine.accounts().setBillingCycle("weekly", Period.ofDays(7), ZoneOffset.UTC);   // weekly from 2016-11-16
        clock.set(PERIOD_END);
        assertTrue(engine.runDue().failures().isEmpty());
        Instant parentEnd = Instant.parse("2016-12-16T21:32:52Z");
        clock.set(PERIOD_END.plus(Duration.ofDays(2)));     // in the child's first week
        engine.usage().ingest(use("weekly", "DBAAS", "UPTIME", "100"));        // 40.00
        clock.set(parentEnd.minus(Duration.ofDays(1)));     // in the week 12-14 to 12-21, ending after the parent's
        engine.usage().ingest(use("weekly", "DBAAS", "UPTIME", "10"));         // 4.00
        clock.set(parentEnd);
        DueRun run = engine.runDue();
        assertTrue(run.failures().isEmpty(), run.failures().toString());
        Statement second = engine.charges().statements("ran").stream().filter(x -> x.period().start().equals(PERIOD_END))
                .findFirst().orElseThrow();
        assertEquals(usd("40.00"), second.totals().chargeHierarchyTotal(), "the child's weeks that ended within it");
        clock.set(Instant.parse("2017-01-16T21:32:52Z"));
        run = engine.runDue();
        assertTrue(run.failures().isEmpty(), run.failures().toString());
        Statement third = engine.charges().statements("ran").stream().filter(x -> x.period().start().equals(parentEnd))
                .findFirst().orElseThrow();
        assertEquals(usd("4.00"), third.totals().chargeHierarchyTotal(), "the later week, in the next parent statement only");
        BigDecimal weeks = engine.charges().statements("weekly").stream()
                .map(w -> w.totals().chargeTotal().getNumber().numberValueExact(BigDecimal.class)).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, weeks.compareTo(d("44.00")), "the child's statements hold each unit once");
    }

    @Test
    void parentClose_closesTheDescendantPeriodsThatEndedWithinIt_soLateUsageCannotSplitTheFigures() {
        clock.set(OPENED);
        engine.accounts().openAccount("a-parent", USD, "open-a-parent");
        engine.accounts().openAccount("z-child", USD, "open-z-child");   // sorts after its parent in runDue
        clock.set(NOW);
        engine.accounts().setParent("z-child", "a-parent");
        engine.usage().ingest(use("z-child", "DBAAS", "UPTIME", "10"));
        clock.set(PERIOD_END.plusSeconds(60));
        DueRun run = engine.runDue();
        assertTrue(run.failures().isEmpty(), run.failures().toString());
        assertEquals(3, run.statements(), "ran, a-parent and z-child, each once");
        Statement child = engine.charges().statements("z-child").get(0);
        assertEquals(usd("4.00"), engine.charges().statements("a-parent").get(0).totals().chargeHierarchyTotal());
        assertEquals(child.totals().chargeTotal(), engine.charges().statements("a-parent").get(0).totals().chargeHierarchyTotal());
        InvalidRequestException late = assertThrows(InvalidRequestException.class, () -> engine.usage().ingest(
                new UsageEvent("late", "z-child", "DBAAS", "UPTIME", d("5"), PERIOD_END.minusSeconds(60))));
        assertEquals(ErrorCode.PERIOD_CLOSED, late.code(), "the child's period closed with its parent's");
    }

    @Test
    void hierarchy_aChildMovedToAnotherParent_countsOnceUnderTheParentItHadWhenItsPeriodClosed() {
        clock.set(OPENED);
        engine.accounts().openAccount("p1", USD, "open-p1");
        engine.accounts().openAccount("c", USD, "open-c");
        clock.set(NOW);
        engine.accounts().openAccount("p2", USD, "open-p2");              // its periods end on the 1st
        engine.accounts().setParent("c", "p2");
        engine.usage().ingest(use("c", "DBAAS", "UPTIME", "10"));      // 4.00 in c's period ending 11-16
        clock.set(PERIOD_END);
        assertTrue(engine.runDue().failures().isEmpty());      // c closes under p2
        clock.set(Instant.parse("2016-11-20T00:00:00Z"));
        engine.accounts().setParent("c", "p1");
        clock.set(Instant.parse("2016-12-01T21:32:52Z"));
        assertTrue(engine.runDue().failures().isEmpty());
        clock.set(Instant.parse("2016-12-16T21:32:52Z"));
        assertTrue(engine.runDue().failures().isEmpty());
        BigDecimal p1 = engine.charges().statements("p1").stream().map(st -> st.totals().chargeHierarchyTotal().getNumber()
                .numberValueExact(BigDecimal.class)).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal p2 = engine.charges().statements("p2").stream().map(st -> st.totals().chargeHierarchyTotal().getNumber()
                .numberValueExact(BigDecimal.class)).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, p2.compareTo(d("4.00")), "under p2, the parent c had when its period closed");
        assertEquals(0, p1.signum(), "not again under p1");
    }

    @Test
    void hierarchy_descendantsClosingFirstInTheSameRun_stillCountInTheParentsStatement() {
        clock.set(OPENED);
        for (String ns : List.of("z-parent", "a-child", "m-parent", "z-child")) {
            engine.accounts().openAccount(ns, USD, "open-" + ns);
        }
        clock.set(NOW);
        engine.accounts().setParent("a-child", "z-parent");   // the child sorts, and closes, first
        engine.accounts().setParent("z-child", "m-parent");   // the child sorts, and closes, last
        engine.usage().ingestBatch(List.of(use("a-child", "DBAAS", "UPTIME", "10"), use("z-child", "DBAAS", "UPTIME", "10")));
        assertEquals(usd("4.00"), engine.charges().estimatedCharges("z-parent").totals().chargeHierarchyTotal());
        clock.set(PERIOD_END);
        DueRun run = engine.runDue();
        assertTrue(run.failures().isEmpty(), run.failures().toString());
        for (String parent : List.of("z-parent", "m-parent")) {
            Statement st = engine.charges().statements(parent).get(0);
            assertEquals(usd("4.00"), st.totals().chargeHierarchyTotal(), parent);
            assertEquals(usd("4.00"), st.totals().total(), parent);
        }
    }

    @Test
    void setBillingCycle_toTheCycleItHas_changesNothingAndKeepsMonthEnds() {
        clock.set(Instant.parse("2016-01-31T10:00:00Z"));
        engine.accounts().openAccount("eom", USD, "open-eom");
        StorageSnapshot before = snapshot();
        assertNull(engine.accounts().setBillingCycle("eom", Period.ofMonths(1), ZoneOffset.UTC).nextCycle());
        assertEquals(before, snapshot());
        engine.accounts().setBillingCycle("eom", Period.ofDays(7), ZoneOffset.UTC);
        assertNull(engine.accounts().setBillingCycle("eom", Period.ofMonths(1), ZoneOffset.UTC).nextCycle(),
                "going back to the cycle it has cancels the pending change");
        List<Instant> ends = new ArrayList<>();
        for (String day : List.of("2016-02-29T10:00:00Z", "2016-03-31T10:00:00Z", "2016-04-30T10:00:00Z")) {
            clock.set(Instant.parse(day));
            engine.runDue();
            ends.add(engine.accounts().billingProfile("eom").openPeriod().start());
        }
        assertEquals(List.of(Instant.parse("2016-02-29T10:00:00Z"), Instant.parse("2016-03-31T10:00:00Z"),
                Instant.parse("2016-04-30T10:00:00Z")), ends);
    }

    @Test
    void setBillingCycle_whileTheEndedPeriodIsNotClosed_isRefusedAndChangesNothing() {
        clock.set(PERIOD_END.plusSeconds(60));
        StorageSnapshot before = snapshot();
        ConflictException e = assertThrows(ConflictException.class,
                () -> engine.accounts().setBillingCycle("ran", Period.ofDays(7), ZoneOffset.UTC));
        assertEquals(ErrorCode.PERIOD_NOT_CLOSED, e.code());
        assertEquals(before, snapshot());
        assertNull(engine.accounts().setBillingCycle("ran", Period.ofMonths(1), ZoneOffset.UTC).nextCycle(), "the cycle it has");
        assertNull(engine.accounts().setBillingCycle("ran", Period.ofMonths(1), ZoneId.of("Etc/UTC")).nextCycle(), "the same rules");
        assertEquals(before, snapshot());
        assertEquals(AccountKind.DEDICATED, engine.accounts().changeProfile("ran", ProfileChange.none().withKind(AccountKind.DEDICATED)
                .withCycle(Period.ofMonths(1), ZoneOffset.UTC)).kind(), "a kind change beside the cycle it has");
        engine.accounts().setKind("ran", AccountKind.CLOUD);
        before = snapshot();
        engine.runDue();
        assertEquals(Period.ofDays(7), engine.accounts().setBillingCycle("ran", Period.ofDays(7), ZoneOffset.UTC).nextCycle());
    }

    @Test
    void changeProfile_refusedPart_changesNothingAtAll() {
        engine.accounts().openAccount("child", USD, "open-child");
        engine.accounts().setParent("child", "ran");
        StorageSnapshot before = snapshot();
        assertThrows(InvalidRequestException.class, () -> engine.accounts().changeProfile("ran", ProfileChange.none()
                .withCycle(Period.ofDays(7), null).withKind(AccountKind.DEDICATED).withParent("child")));
        assertThrows(NotFoundException.class, () -> engine.accounts().changeProfile("ran", ProfileChange.none()
                .withCycle(Period.ofDays(7), null).withParent("nobody")));
        assertEquals(before, snapshot());
        var p = engine.accounts().changeProfile("ran", ProfileChange.none().withCycle(Period.ofDays(7), null)
                .withKind(AccountKind.DEDICATED));
        assertEquals(Period.ofDays(7), p.nextCycle());
        assertEquals(ZoneOffset.UTC, p.nextZone());
        assertEquals(AccountKind.DEDICATED, p.kind());
    }

    @Test
    void profileChange_duringAnIngestOfTheSameAccount_isNotLost() throws Exception {
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        AtomicBoolean armed = new AtomicBoolean(true);
        BillingStorage pausing = new BillingStorage() {
            @Override
            public <T> T inTransaction(StorageWork<T> work) {
                return storage.inTransaction(s -> work.run(new ForwardingSession(s, call -> { }) {
                    @Override
                    public ProfileStore profiles() {
                        // pauses right after the first read of a billing profile, holding what it read
                        return new ForwardingSession.ForwardingProfileStore(s.profiles(), call -> { }) {
                            @Override
                            public Optional<BillingProfileRecord> findBillingProfile(String namespace) {
                                return pause(super.findBillingProfile(namespace));
                            }

                            @Override
                            public Optional<BillingProfileRecord> lockBillingProfile(String namespace) {
                                return pause(super.lockBillingProfile(namespace));
                            }

                            private Optional<BillingProfileRecord> pause(Optional<BillingProfileRecord> read) {
                                if (armed.compareAndSet(true, false)) {
                                    paused.countDown();
                                    try {
                                        resume.await();
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                        throw new IllegalStateException(e);
                                    }
                                }
                                return read;
                            }
                        };
                    }
                }));
            }

            @Override
            public String describe() {
                return "pausing " + storage.describe();
            }
        };
        BillingEngine slow = BillingEngine.builder().storage(pausing).clock(clock).zone(ZoneOffset.UTC).build();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<IngestResult> ingest = threads.submit(() -> slow.usage().ingest(use("ran", "DBAAS", "UPTIME", "1")));
            assertTrue(paused.await(30, TimeUnit.SECONDS), "the ingest read the profile");
            Future<?> change = threads.submit(() -> engine.accounts().setBillingCycle("ran", Period.ofDays(7), ZoneOffset.UTC));
            try {
                change.get(2, TimeUnit.SECONDS);
            } catch (TimeoutException waiting) {
                // it waits for the ingest's lock on the profile: then it is served after the ingest
            }
            resume.countDown();
            assertEquals(IngestStatus.ACCEPTED, ingest.get(30, TimeUnit.SECONDS).status());
            change.get(30, TimeUnit.SECONDS);
        } finally {
            resume.countDown();
            threads.shutdownNow();
        }
        assertEquals(Period.ofDays(7), engine.accounts().billingProfile("ran").nextCycle(), "the acknowledged change was lost");
    }

    @Test
    void hierarchy_childrenOpenedOnOtherDays_withRatesOfOtherEffectiveDates_parentEstimatesAndCloses() {
        // a rate that starts after the parent's period began, but before the children's did
        engine.charges().defineRate(Rate.flat("NEWP", "USE", "HRS", d(".30"), USD, LocalDate.of(2016, 10, 20)));
        engine.charges().defineRate(Rate.flat("LATER", "USE", "GB", d(".25"), USD, LocalDate.of(2016, 10, 27)));
        clock.set(Instant.parse("2016-10-25T08:00:00Z"));
        engine.accounts().openAccount("child-25", USD, "open-25");
        clock.set(Instant.parse("2016-10-28T08:00:00Z"));
        engine.accounts().openAccount("grandchild-28", USD, "open-28");
        clock.set(NOW);
        engine.accounts().setParent("child-25", "ran");
        engine.accounts().setParent("grandchild-28", "child-25");
        List<IngestResult> r = engine.usage().ingestBatch(List.of(use("child-25", "NEWP", "USE", "10"),
                use("grandchild-28", "LATER", "USE", "4"), use("grandchild-28", "NEWP", "USE", "1"),
                use("ran", "DBAAS", "UPTIME", "10")));
        assertTrue(r.stream().allMatch(x -> x.status() == IngestStatus.ACCEPTED), r.toString());

        EstimatedCharges child = engine.charges().estimatedCharges("child-25");
        EstimatedCharges grandchild = engine.charges().estimatedCharges("grandchild-28");
        assertEquals(usd("3.00"), child.totals().chargeTotal());
        assertEquals(usd("1.30"), grandchild.totals().chargeTotal());
        EstimatedCharges parent = engine.charges().estimatedCharges("ran");
        assertEquals(usd("0.00"), parent.totals().chargeHierarchyTotal(), "no descendant period ends within the parent's");
        assertEquals(usd("4.00"), parent.totals().total());
        assertEquals(usd("0.00"), child.totals().chargeHierarchyTotal(), "the grandchild's period ends after the child's");

        clock.set(PERIOD_END);
        DueRun run = engine.runDue();
        assertTrue(run.failures().isEmpty(), run.failures().toString());
        assertEquals(1, run.statements());
        Statement st = engine.charges().statements("ran").get(0);
        assertEquals(usd("0.00"), st.totals().chargeHierarchyTotal(), "no descendant period ended within the parent's");
        assertEquals(PERIOD_END, engine.accounts().billingProfile("ran").openPeriod().start());
        clock.set(Instant.parse("2016-11-28T08:00:01Z"));
        run = engine.runDue();
        assertTrue(run.failures().isEmpty(), run.failures().toString());
        assertEquals(2, run.statements(), "both descendants close their own periods");
        assertEquals(usd("3.00"), engine.charges().statements("child-25").get(0).totals().chargeTotal());
        clock.set(Instant.parse("2016-12-16T21:32:51Z"));
        assertEquals(usd("4.30"), engine.charges().estimatedCharges("ran").totals().chargeHierarchyTotal(),
                "the estimate just before the end is what the statement will say");
        clock.set(Instant.parse("2016-12-16T21:32:52Z"));
        run = engine.runDue();
        assertTrue(run.failures().isEmpty(), run.failures().toString());
        Statement second = engine.charges().statements("ran").stream().filter(x -> x.period().start().equals(PERIOD_END))
                .findFirst().orElseThrow();
        assertEquals(usd("4.30"), second.totals().chargeHierarchyTotal(), "the descendant periods that ended within it, once");
        assertTrue(engine.wallet().trialBalance().values().stream().allMatch(MonetaryAmount::isZero));
    }

    @Test
    void zone_isStoredPerAccount_anEngineOfAnotherZoneKeepsPeriodsContiguous() {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        TestClock c = TestClock.at(Instant.parse("2016-01-30T16:00:00Z"), shanghai); // 2016-01-31 00:00 +08
        BillingEngine sh = BillingEngine.builder().storage(storage).clock(c).zone(shanghai).build();
        sh.accounts().openAccount("sh", USD, "open-sh");
        sh.wallet().recharge("sh", usd("100.00"), "r-sh");
        c.set(Instant.parse("2016-02-10T00:00:00Z"));
        sh.usage().ingest(new UsageEvent("u1", "sh", "DBAAS", "UPTIME", d("10"), c.instant()));
        c.set(Instant.parse("2016-02-28T16:00:00Z"));
        assertEquals(1, sh.runDue().statements());

        BillingEngine utc = BillingEngine.builder().storage(storage).clock(c).zone(ZoneOffset.UTC).build();
        assertEquals(shanghai, utc.accounts().billingProfile("sh").zone(), "the account keeps the zone it was opened with");
        for (int month = 0; month < 4; month++) {
            Instant end = utc.accounts().billingProfile("sh").openPeriod().end();
            c.set(end.minusSeconds(60));
            assertEquals(IngestStatus.ACCEPTED, utc.usage().ingest(new UsageEvent("late-" + month, "sh", "DBAAS", "UPTIME", d("1"),
                    c.instant())).status());
            c.set(end);
            DueRun run = utc.runDue();
            assertTrue(run.failures().isEmpty(), run.failures().toString());
            assertEquals(1, run.statements());
        }
        List<Statement> statements = new ArrayList<>(utc.charges().statements("sh"));
        statements.sort(java.util.Comparator.comparing(st -> st.period().start()));
        assertEquals(5, statements.size());
        for (int i = 1; i < statements.size(); i++) {
            assertEquals(statements.get(i - 1).period().end(), statements.get(i).period().start(), "contiguous, no overlap");
        }
        // every period ends at midnight in Shanghai, on the 31st or the last day of a shorter month
        assertEquals(List.of("2016-02-29", "2016-03-31", "2016-04-30", "2016-05-31", "2016-06-30"), statements.stream()
                .map(st -> st.period().end().atZone(shanghai).toLocalDate().toString()).toList());
        assertTrue(statements.stream().allMatch(st -> st.period().end().atZone(shanghai).toLocalTime().toSecondOfDay() == 0));
        BigDecimal charged = statements.stream().map(st -> exact(st.totals().chargeTotal())).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, d("5.60").compareTo(charged), "14 HRS x .40, each hour once");
        utc.accounts().openAccount("new-utc", USD, "open-new");
        assertEquals(ZoneOffset.UTC, utc.accounts().billingProfile("new-utc").zone(), "the engine's zone is the default for new accounts");
    }

    @Test
    void billingCycle_defaultFromTheBuilder_perAccountChangeTakesEffectFromTheNextPeriod() {
        BillingEngine weekly = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC)
                .billingCycle(Period.ofWeeks(1)).build();
        weekly.accounts().openAccount("wk", USD, "open-wk");
        assertEquals(new BillingPeriod(NOW, NOW.plus(Duration.ofDays(7))), weekly.accounts().billingProfile("wk").openPeriod());
        assertEquals(Period.ofDays(7), weekly.accounts().billingProfile("wk").cycle());
        assertEquals(Period.ofMonths(1), engine.accounts().billingProfile("ran").cycle(), "P1M by default");

        ZoneId ny = ZoneId.of("America/New_York");
        engine.accounts().setBillingCycle("ran", Period.ofYears(1), ny);
        assertEquals(new BillingPeriod(OPENED, PERIOD_END), engine.accounts().billingProfile("ran").openPeriod(), "the open period keeps its end");
        assertEquals(Period.ofMonths(12), engine.accounts().billingProfile("ran").nextCycle());
        clock.set(PERIOD_END);
        engine.runDue();
        // the next period starts exactly at the old end and is anchored there, a year long in New York
        assertEquals(new BillingPeriod(PERIOD_END, Instant.parse("2017-11-16T21:32:52Z")),
                engine.accounts().billingProfile("ran").openPeriod());
        assertEquals(ny, engine.accounts().billingProfile("ran").zone());
        assertNull(engine.accounts().billingProfile("ran").nextCycle());
        assertEquals(new BillingPeriod(PERIOD_END, Instant.parse("2017-11-16T21:32:52Z")),
                engine.charges().estimatedCharges("ran").period());
    }

    @Test
    void setBillingCycle_notAllowed_isRejectedNamingTheField_andChangesNothing() {
        StorageSnapshot before = snapshot();
        ZoneId utc = ZoneOffset.UTC;
        for (Period bad : List.of(Period.ZERO, Period.ofMonths(-1), Period.of(0, 1, 3), Period.ofYears(11))) {
            assertEquals("cycle", assertThrows(InvalidRequestException.class,
                    () -> engine.accounts().setBillingCycle("ran", bad, utc)).field(), bad.toString());
        }
        assertEquals("cycle", assertThrows(InvalidRequestException.class, () -> engine.accounts().setBillingCycle("ran", null, utc)).field());
        assertEquals("zone", assertThrows(InvalidRequestException.class,
                () -> engine.accounts().setBillingCycle("ran", Period.ofMonths(1), null)).field());
        assertThrows(NotFoundException.class, () -> engine.accounts().setBillingCycle("nobody", Period.ofMonths(1), utc));
        assertEquals("cycle", assertThrows(InvalidRequestException.class,
                () -> BillingEngine.builder().billingCycle(Period.ofDays(-7))).field());
        assertEquals(before, snapshot());
    }

    @Test
    void billingCycle_yearlyFromALeapDay_endsOnFebruary28_andReturnsToThe29th() {
        TestClock c = TestClock.at(Instant.parse("2024-02-29T12:00:00Z"), ZoneOffset.UTC);
        BillingEngine e = BillingEngine.builder().storage(storage).clock(c).zone(ZoneOffset.UTC)
                .billingCycle(Period.ofYears(1)).build();
        e.accounts().openAccount("leap", USD, "open-leap");
        List<String> ends = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Instant end = e.accounts().billingProfile("leap").openPeriod().end();
            ends.add(end.toString());
            c.set(end);
            assertTrue(e.runDue().failures().isEmpty());
        }
        assertEquals(4, e.charges().statements("leap").size());
        assertEquals(List.of("2025-02-28T12:00:00Z", "2026-02-28T12:00:00Z", "2027-02-28T12:00:00Z",
                "2028-02-29T12:00:00Z"), ends);
    }

    @Test
    void billingCycle_daily_acrossDst_keepsLocalMidnight() {
        ZoneId ny = ZoneId.of("America/New_York");
        TestClock c = TestClock.at(Instant.parse("2024-03-09T05:00:00Z"), ny); // 2024-03-09 00:00 EST
        BillingEngine e = BillingEngine.builder().storage(storage).clock(c).zone(ny).billingCycle(Period.ofDays(1)).build();
        e.accounts().openAccount("daily", USD, "open-daily");
        List<Duration> lengths = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            BillingPeriod p = e.accounts().billingProfile("daily").openPeriod();
            assertEquals(0, p.end().atZone(ny).toLocalTime().toSecondOfDay());
            lengths.add(Duration.between(p.start(), p.end()));
            c.set(p.end());
            e.runDue();
        }
        assertEquals(List.of(Duration.ofHours(24), Duration.ofHours(23), Duration.ofHours(24)), lengths,
                "the day DST starts has 23 hours");
    }

    @Test
    void aVersionThatPricedUsage_keepsItsTerms_andANewVersionIsTheWayToChangeThem() {
        engine.usage().ingest(use("ran", "DBAAS", "UPTIME", "10"));
        assertEquals(usd("4.00"), line(engine.charges().estimatedCharges("ran"), "DBAAS").amount());
        StorageSnapshot before = snapshot();
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> engine.charges().defineRate(
                Rate.flat("DBAAS", "UPTIME", "HRS", d("2.00"), USD, FROM)));
        assertEquals("rate.effectiveFrom", e.field());
        assertEquals(before, snapshot());
        assertEquals(usd("4.00"), line(engine.charges().estimatedCharges("ran"), "DBAAS").amount(),
                "the open period is not repriced");
        // the same terms again (a catalog file applied at every start) change nothing and are fine
        engine.charges().defineRate(Rate.flat("DBAAS", "UPTIME", "HRS", d(".40"), USD, FROM));
        // a version nothing priced yet may still change
        engine.charges().defineRate(Rate.flat("MAAS", "NUM_CHKS_HRS", "CHKS_HRS", d("0.002"), USD, FROM));
        assertEquals(0, d("0.002").compareTo(engine.charges().rates().stream().filter(r -> r.offeringCode().equals("MAAS"))
                .findFirst().orElseThrow().unitRate()));
    }

    @Test
    void defineRate_inAnotherCurrencyOrUnit_isRejectedNamingTheField_andChangesNothing() {
        StorageSnapshot before = snapshot();
        InvalidRequestException currency = assertThrows(InvalidRequestException.class, () -> engine.charges().defineRate(
                Rate.flat("DBAAS", "UPTIME", "HRS", d(".40"), Monetary.getCurrency("EUR"), LocalDate.of(2016, 11, 10))));
        assertEquals(ErrorCode.CURRENCY_MISMATCH, currency.code());
        assertEquals("rate.currency", currency.field());
        InvalidRequestException same = assertThrows(InvalidRequestException.class, () -> engine.charges().defineRate(
                Rate.flat("DBAAS", "UPTIME", "HRS", d(".40"), Monetary.getCurrency("EUR"), FROM)));
        assertEquals("rate.currency", same.field(), "replacing the version itself in another currency too");
        assertEquals("rate.unitOfMeasure", assertThrows(InvalidRequestException.class, () -> engine.charges().defineRate(
                Rate.flat("DBAAS", "UPTIME", "MINS", d(".01"), USD, LocalDate.of(2016, 11, 10)))).field());
        assertEquals(before, snapshot());
    }

    @Test
    void rating_aStoredRateInAnotherCurrency_isAClearError_neverAWrongFigure() {
        engine.usage().ingest(use("ran", "DBAAS", "UPTIME", "10"));
        // a rate card written by hand, past the engine's checks
        storage.inTransaction(s -> {
            s.rating().putRate(new dev.billing.spi.RateRecord("DBAAS", "UPTIME", FROM, "HRS", "EUR", BigDecimal.ZERO,
                    List.of(new dev.billing.spi.RateRecord.TierRecord(null, d(".40")))));
            return null;
        });
        ConflictException x = assertThrows(ConflictException.class, () -> engine.charges().estimatedCharges("ran"));
        assertEquals(ErrorCode.CURRENCY_MISMATCH, x.code());
        assertTrue(x.getMessage().startsWith("currency:"), x.getMessage());
        clock.set(PERIOD_END);
        DueRun run = engine.runDue();
        assertEquals(1, run.failures().size(), "the period is not closed on a wrong figure");
        assertTrue(engine.charges().statements("ran").isEmpty());
    }

    @Test
    void discountLine_hasNoOfferingCode_soAnOfferingFilterNeverMatchesIt() {
        engine.usage().ingest(use("ran", "DBAAS", "UPTIME", "10"));
        engine.charges().defineCommitment("ran", new Commitment("DBAAS", d("10"), usd("0"), Instant.parse("2030-01-01T00:00:00Z")));
        EstimatedCharges all = engine.charges().estimatedCharges("ran");
        ChargeLine discount = all.lines().get(1);
        assertEquals(ChargeCategory.DISCOUNT, discount.category());
        assertNull(discount.offeringCode());
        EstimatedCharges dbaas = engine.charges().estimatedCharges("ran", "DBAAS", null, 0, 10);
        assertEquals(List.of(ChargeCategory.CHARGE), dbaas.lines().stream().map(ChargeLine::category).toList());
        assertEquals(List.of(discount), engine.charges().estimatedCharges("ran", null, "Commit Discount", 0, 10).lines());
        clock.set(PERIOD_END);
        engine.runDue();
        assertNull(engine.charges().statements("ran").get(0).lines().get(1).offeringCode(), "statements keep it absent");
    }

    @Test
    void subscription_startedOnThe31st_renewsOnTheLastDayOfShorterMonths_countedFromItsStart() {
        catalog();
        clock.set(Instant.parse("2024-01-31T10:00:00Z"));
        engine.wallet().recharge("ran", usd("30.00"), "r-31");
        engine.subscriptions().checkout("ran", "box", "us-east", "c-31");
        List<String> ends = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Subscription sub = engine.accounts().account("ran").subscriptions().get(0);
            ends.add(sub.periodEnd().toString());
            clock.set(sub.periodEnd());
            engine.runDue();
        }
        assertEquals(List.of("2024-02-29T10:00:00Z", "2024-03-31T10:00:00Z", "2024-04-30T10:00:00Z",
                "2024-05-31T10:00:00Z"), ends);
    }
}
