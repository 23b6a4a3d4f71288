package dev.billing.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.billing.test.TestClock;

import dev.billing.core.BillingEngine;
import dev.billing.core.DueRun;
import dev.billing.core.IdGenerator;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.charges.ChargeCategory;
import dev.billing.core.charges.ChargeLine;
import dev.billing.core.charges.Commitment;
import dev.billing.core.charges.EstimatedCharges;
import dev.billing.core.charges.Rate;
import dev.billing.core.charges.Statement;
import dev.billing.core.usage.IngestStatus;
import dev.billing.core.usage.UsageEvent;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.spi.BillingStorage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import javax.money.MonetaryAmount;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.javamoney.moneta.Money;

/**
 * Properties of rating and period close over random usage and commitments, written once for every
 * storage: extend it and implement {@link #newStorage()}. The rate card is the estimated-charges API example's
 * ({@link ChargesContract#defineRateCard}: a flat rate, a five-decimal rate, an allowance and tiers).
 * 100 tries per property; a subclass on a slower storage sets fewer with its own {@link PropertyDefaults}
 * (the methods name no tries, so that it can).
 */
@PropertyDefaults(tries = 100)
public abstract class ChargesProperties {

    private static final List<List<String>> OFFERINGS = List.of(List.of("DBAAS", "UPTIME"),
            List.of("MAAS", "NUM_CHKS_HRS"), List.of("CSITES", "COMPUTE_CYCLE_OVERAGE"), List.of("RCDN", "BWOUT"));
    private static final Instant END = ChargesContract.PERIOD_END;

    /** @return a new, empty storage; the property closes it */
    protected abstract BillingStorage newStorage();

    /** One usage event without its id: offering index, quantity, seconds after the account opened. */
    record Use(int offering, BigDecimal quantity, long second) {
    }

    /** Commitment terms: percent off spending over a threshold. */
    record Terms(int percent, BigDecimal threshold) {
    }

    @Provide
    Arbitrary<List<Use>> usage() {
        Arbitrary<BigDecimal> quantity = Arbitraries.oneOf(
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("500")).ofScale(3),
                Arbitraries.integers().between(0, 5000).map(BigDecimal::valueOf));
        long span = Duration.between(ChargesContract.OPENED, ChargesContract.NOW).toSeconds();
        return Combinators.combine(Arbitraries.integers().between(0, OFFERINGS.size() - 1), quantity,
                Arbitraries.longs().between(0, span)).as(Use::new).list().ofMaxSize(25);
    }

    @Provide
    Arbitrary<List<Terms>> commitments() {
        return Combinators.combine(Arbitraries.integers().between(1, 100),
                Arbitraries.integers().between(0, 300).map(i -> BigDecimal.valueOf(i).setScale(2)))
                .as(Terms::new).list().ofMaxSize(3);
    }

    private static final class Run implements AutoCloseable {
        final BillingStorage storage;
        final TestClock clock = TestClock.at(ChargesContract.OPENED, ZoneOffset.UTC);
        final BillingEngine engine;

        Run(BillingStorage storage) {
            this.storage = storage;
            this.engine = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC)
                    .idGenerator(IdGenerator.random()).build();
            ChargesContract.defineRateCard(engine);
            engine.accounts().openAccount("ran", ChargesContract.USD, "open");
            engine.accounts().openAccount("child", ChargesContract.USD, "open-child");
            engine.accounts().setParent("child", "ran");
            engine.catalog().defineRegion(dev.billing.core.catalog.Region.available("us", "US"));
            engine.catalog().definePlan(dev.billing.core.catalog.Plan.of("box", "C", Money.of(new BigDecimal("3.00"), "USD"),
                    dev.billing.core.catalog.PlanTerm.MONTHLY, "1 CPU Core, 512M Memory", "us"));
            clock.set(ChargesContract.NOW);
        }

        void commit(List<Terms> terms) {
            for (int i = 0; i < terms.size(); i++) {
                engine.charges().defineCommitment("ran", new Commitment("c" + i, BigDecimal.valueOf(terms.get(i).percent()),
                        Money.of(terms.get(i).threshold(), "USD"), Instant.parse("2030-01-01T00:00:00Z")));
            }
        }

        @Override
        public void close() {
            storage.close();
        }
    }

    private static UsageEvent event(String namespace, int id, Use u) {
        List<String> o = OFFERINGS.get(u.offering());
        return new UsageEvent("e" + id, namespace, o.get(0), o.get(1), u.quantity(),
                ChargesContract.OPENED.plusSeconds(u.second()));
    }

    private static List<UsageEvent> events(List<Use> usage) {
        return events("ran", usage);
    }

    private static List<UsageEvent> events(String namespace, List<Use> usage) {
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < usage.size(); i++) {
            events.add(event(namespace, i, usage.get(i)));
        }
        return events;
    }

    private static BigDecimal exact(MonetaryAmount a) {
        return a.getNumber().numberValueExact(BigDecimal.class);
    }

    /** The totals identities, per-line rounding and the discount cap hold for any usage and commitments. */
    @Property
    void anyUsageAndCommitments_figuresAddUp(@ForAll("usage") List<Use> usage, @ForAll("commitments") List<Terms> terms,
            @ForAll("usage") List<Use> childUsage) {
        try (Run run = new Run(newStorage())) {
            run.commit(terms);
            assertTrue(run.engine.usage().ingestBatch(events(usage)).stream().allMatch(r -> r.status() == IngestStatus.ACCEPTED));
            assertTrue(run.engine.usage().ingestBatch(events("child", childUsage)).stream()
                    .allMatch(r -> r.status() == IngestStatus.ACCEPTED));
            EstimatedCharges e = run.engine.charges().estimatedCharges("ran");
            ChargesContract.assertAddsUp(e, true);
            EstimatedCharges child = run.engine.charges().estimatedCharges("child");
            ChargesContract.assertAddsUp(child, true);
            assertEquals(child.totals().chargeTotal(), e.totals().chargeHierarchyTotal(), "chargeHierarchyTotal = the child's chargeTotal");
            Statistics.label("hierarchy").collect(e.totals().chargeHierarchyTotal().isPositive());
            if (checksCoverage()) {
                Statistics.label("hierarchy").coverage(c -> c.check(true).percentage(p -> p > 50));
            }
            List<Rate> card = run.engine.charges().rates();
            for (ChargeLine l : e.lines()) {
                if (l.category() == ChargeCategory.CHARGE) {
                    Rate rate = card.stream().filter(r -> r.offeringCode().equals(l.offeringCode())).findFirst().orElseThrow();
                    BigDecimal expected = examplePrice(l.offeringCode(), l.quantity()).setScale(2, RoundingMode.HALF_EVEN);
                    assertEquals(0, expected.compareTo(exact(l.amount())), "amount = round(price(quantity)) for " + l);
                    assertEquals(rate.unitOfMeasure(), l.unitOfMeasure());
                }
            }
            BigDecimal summed = usage.stream().map(Use::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal listed = e.lines().stream().filter(l -> l.category() == ChargeCategory.CHARGE)
                    .map(ChargeLine::quantity).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertEquals(0, summed.compareTo(listed), "every unit of usage is on a line, once");
            assertTrue(exact(e.totals().discountTotal()).negate().compareTo(exact(e.totals().chargeSubTotal())) <= 0);
            Statistics.label("discounted").collect(e.totals().discountTotal().isNegative());
            if (checksCoverage()) {
                Statistics.label("discounted").coverage(c -> c.check(true).percentage(p -> p > 20));
            }
        }
    }

    /**
     * The oracle: the price of a quantity under the example's rate card ({@link ChargesContract#defineRateCard}),
     * written out from its terms, independently of {@code Rate.price}.
     */
    static BigDecimal examplePrice(String offeringCode, BigDecimal q) {
        return switch (offeringCode) {
            case "DBAAS" -> q.multiply(new BigDecimal(".40"));
            case "MAAS" -> q.multiply(new BigDecimal("0.00103"));
            // 10 included, then .12
            case "CSITES" -> q.subtract(BigDecimal.TEN).max(BigDecimal.ZERO).multiply(new BigDecimal(".12"));
            // the first 100 GB at .12, the rest at .08
            case "RCDN" -> q.min(new BigDecimal("100")).multiply(new BigDecimal(".12"))
                    .add(q.subtract(new BigDecimal("100")).max(BigDecimal.ZERO).multiply(new BigDecimal(".08")));
            default -> throw new AssertionError("no oracle for " + offeringCode);
        };
    }

    /** The total never decreases as usage arrives. */
    @Property
    void total_neverDecreases_asUsageArrives(@ForAll("usage") List<Use> usage, @ForAll("commitments") List<Terms> terms) {
        try (Run run = new Run(newStorage())) {
            run.commit(terms);
            EstimatedCharges previous = run.engine.charges().estimatedCharges("ran");
            List<UsageEvent> events = events(usage);
            for (UsageEvent e : events) {
                run.engine.usage().ingest(e);
                EstimatedCharges next = run.engine.charges().estimatedCharges("ran");
                assertTrue(next.totals().total().isGreaterThanOrEqualTo(previous.totals().total()), previous.totals().total() + " -> " + next.totals().total());
                assertTrue(next.totals().chargeSubTotal().isGreaterThanOrEqualTo(previous.totals().chargeSubTotal()));
                previous = next;
            }
        }
    }

    /** Splitting the same usage into any batches, in any order, with any duplicates, gives the same estimate. */
    @Property
    void anyBatchingOrderAndDuplicates_giveTheSameEstimate(@ForAll("usage") List<Use> usage,
            @ForAll("commitments") List<Terms> terms, @ForAll long shuffleBits) {
        List<UsageEvent> events = events(usage);
        EstimatedCharges once;
        try (Run run = new Run(newStorage())) {
            run.commit(terms);
            run.engine.usage().ingestBatch(events);
            once = run.engine.charges().estimatedCharges("ran");
        }
        Random random = new Random(shuffleBits);
        List<UsageEvent> shuffled = new ArrayList<>(events);
        for (UsageEvent e : events) {
            if (random.nextInt(3) == 0) {
                shuffled.add(e);
            }
        }
        Collections.shuffle(shuffled, random);
        try (Run run = new Run(newStorage())) {
            run.commit(terms);
            int at = 0;
            while (at < shuffled.size()) {
                int size = 1 + random.nextInt(5);
                run.engine.usage().ingestBatch(shuffled.subList(at, Math.min(shuffled.size(), at + size)));
                at += size;
            }
            EstimatedCharges again = run.engine.charges().estimatedCharges("ran");
            assertEquals(once.lines(), again.lines());
            assertEquals(once.totals().total(), again.totals().total());
            assertEquals(once.totals().chargeSubTotal(), again.totals().chargeSubTotal());
            assertEquals(once.totals().discountTotal(), again.totals().discountTotal());
        }
    }

    /**
     * Closing periods (paid or in arrears), recharges and renewed periods keep the ledger balanced and
     * the balance equal to the sum of the wallet's postings; each statement keeps the figures of the
     * period's last estimate.
     */
    @Property
    void closingPeriods_keepsTheBooksExact(@ForAll("usage") List<Use> usage, @ForAll("commitments") List<Terms> terms,
            @ForAll("recharges") List<Integer> recharges) {
        try (Run run = new Run(newStorage())) {
            run.commit(terms);
            List<UsageEvent> events = events(usage);
            run.engine.usage().ingestBatch(events);
            MonetaryAmount expected = run.engine.charges().estimatedCharges("ran").totals().chargeTotal();
            int k = 0;
            for (Integer r : recharges) {
                run.engine.wallet().recharge("ran", Money.of(BigDecimal.valueOf(r), "USD"), "r" + (k++));
            }
            boolean subscribed = run.engine.wallet().balance("ran").amount().isGreaterThanOrEqualTo(
                    Money.of(new BigDecimal("3.00"), "USD"));
            if (subscribed) {
                run.engine.subscriptions().checkout("ran", "box", "us", "buy");
            }
            run.clock.set(END.plus(Duration.ofDays(40)));
            dev.billing.core.DueRun due = run.engine.runDue();
            assertTrue(due.failures().isEmpty(), due.toString());
            assertEquals(subscribed ? 1 : 0, due.renewals() + due.expired(), "a subscription renews or expires once");
            List<Statement> statements = run.engine.charges().statements("ran");
            assertEquals(2, statements.size());
            assertEquals(expected, statements.get(1).totals().chargeTotal());
            for (Statement st : statements) {
                assertEquals(st.totals().chargeSubTotal().add(st.totals().discountTotal()), st.totals().chargeTotal());
                assertEquals(st.totals().chargeTotal().add(st.totals().chargeHierarchyTotal()), st.totals().total());
            }
            assertBooksExact(run.engine);
            run.engine.wallet().recharge("ran", Money.of(new BigDecimal("1000"), "USD"), "after");
            assertBooksExact(run.engine);
            Statistics.label("arrears").collect(run.engine.wallet().transactions("ran", null, 1000).items().stream()
                    .anyMatch(t -> t.kind() == dev.billing.core.wallet.TransactionKind.DEBT_PAYMENT));
            Statistics.label("renewed").collect(due.renewals() > 0);
            if (checksCoverage()) {
                Statistics.label("arrears").coverage(c -> c.check(true).percentage(p -> p > 5));
            }
            if (checksCoverage()) {
                Statistics.label("renewed").coverage(c -> c.check(true).percentage(p -> p > 5));
            }
        }
    }

    @Provide
    Arbitrary<List<Integer>> recharges() {
        return Arbitraries.integers().between(1, 40).list().ofMaxSize(3);
    }

    private static void assertBooksExact(BillingEngine engine) {
        assertEquals(engine.wallet().balance("ran").amount(), engine.wallet().ledgerBalance("ran"), "balance = sum of the wallet's postings");
        assertTrue(engine.wallet().trialBalance().values().stream().allMatch(MonetaryAmount::isZero), "all postings sum to zero");
        assertTrue(!engine.wallet().balance("ran").amount().isNegative());
    }

    /**
     * @return whether the properties check their generators' coverage (jqwik statistics); a storage
     *     that runs fewer tries, where the percentages wander, turns it off (the generators are the
     *     same on every storage, and the in-memory and H2 runs check them)
     */
    protected boolean checksCoverage() {
        return true;
    }
}
