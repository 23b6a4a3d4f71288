package dev.billing.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.billing.test.TestClock;

import dev.billing.core.BillingEngine;
import dev.billing.core.DueRun;
import dev.billing.core.IdGenerator;
import dev.billing.core.charges.Rate;
import dev.billing.core.charges.Statement;
import dev.billing.core.usage.IngestResult;
import dev.billing.core.usage.IngestStatus;
import dev.billing.core.usage.UsageEvent;
import dev.billing.spi.BillingStorage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Extreme but acceptable data always closes: random rates up to the largest unit rate the storage keeps
 * and quantities up to the largest one an event may carry, on a parent and a child account; whatever
 * ingestion accepts, {@code runDue} closes without a failure, and the statements hold every accepted
 * event. Written once for every storage: extend it and implement {@link #newStorage()}. 60 tries; a subclass
 * on a slower storage sets fewer with its own {@link PropertyDefaults}.
 */
@PropertyDefaults(tries = 60)
public abstract class LimitsProperties {

    static final CurrencyUnit USD = Monetary.getCurrency("USD");
    static final Instant OPENED = Instant.parse("2016-10-16T21:32:52Z");
    static final Instant PERIOD_END = Instant.parse("2016-11-16T21:32:52Z");

    /** @return a new, empty storage; the property closes it */
    protected abstract BillingStorage newStorage();

    record Event(boolean child, int offering, BigDecimal quantity) {
    }

    @Provide
    Arbitrary<BigDecimal> rates() {
        return Arbitraries.oneOf(
                Arbitraries.bigDecimals().between(new BigDecimal("0.000001"), new BigDecimal("9999999999999.999999"))
                        .ofScale(6),
                Arbitraries.of(new BigDecimal("0.40"), new BigDecimal("1"), new BigDecimal("123456.789")));
    }

    @Provide
    Arbitrary<List<Event>> events() {
        Arbitrary<BigDecimal> quantities = Arbitraries.oneOf(
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("999999999999999.999999")).ofScale(6),
                Arbitraries.of(new BigDecimal("999999999999999"), BigDecimal.ONE, new BigDecimal("0.000001")));
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 2), quantities)
                .as(Event::new).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property
    void whateverIsAccepted_closes(@ForAll("rates") BigDecimal rate, @ForAll("events") List<Event> events) {
        BillingStorage storage = newStorage();
        try {
            TestClock clock = TestClock.at(OPENED, ZoneOffset.UTC);
            BillingEngine engine = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC)
                    .idGenerator(IdGenerator.random()).build();
            for (int o = 0; o < 3; o++) {
                engine.charges().defineRate(Rate.flat("OFF" + o, "USE", "HRS", rate, USD, LocalDate.of(2016, 1, 1)));
            }
            engine.accounts().openAccount("parent", USD, "o1");
            engine.accounts().openAccount("child", USD, "o2");
            engine.accounts().setParent("child", "parent");
            clock.set(OPENED.plusSeconds(3600));
            List<UsageEvent> batch = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                Event e = events.get(i);
                batch.add(new UsageEvent("e" + i, e.child() ? "child" : "parent", "OFF" + e.offering(), "USE",
                        e.quantity(), clock.instant()));
            }
            List<IngestResult> results = engine.usage().ingestBatch(batch);
            long rejected = results.stream().filter(r -> r.status() == IngestStatus.REJECTED).count();
            results.stream().filter(r -> r.status() == IngestStatus.REJECTED)
                    .forEach(r -> assertEquals("event.quantity", r.field(), r.toString()));
            Statistics.label("some rejected").collect(rejected > 0);
            if (checksCoverage()) {
                Statistics.label("some rejected").coverage(c -> c.check(true).percentage(p -> p > 10));
            }
            clock.set(PERIOD_END);
            DueRun run = engine.runDue();
            assertEquals(List.of(), run.failures(), "accepted usage closes");
            assertEquals(2, run.statements());
            Statement parent = engine.charges().statements("parent").get(0);
            Statement child = engine.charges().statements("child").get(0);
            assertEquals(child.totals().chargeTotal(), parent.totals().chargeHierarchyTotal());
            assertTrue(parent.totals().total().getNumber().numberValueExact(BigDecimal.class)
                    .compareTo(BigDecimal.TEN.pow(15)) < 0);
        } finally {
            storage.close();
        }
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
