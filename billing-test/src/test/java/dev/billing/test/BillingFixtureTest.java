package dev.billing.test;

import static dev.billing.test.BillingAssertions.assertHistory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.DueRun;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageWork;
import dev.billing.test.BillingAssertions.HistoryLine;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.Test;

class BillingFixtureTest {

    private static BillingFixture.Builder shop() {
        return BillingFixture.builder().start("2026-01-15T10:00:00Z")
                .region(Region.available("eu-1", "Europe"))
                .plan(Plan.of("small", "C", Money.of(20, "EUR"), PlanTerm.MONTHLY, "1 CPU", "eu-1"));
    }

    @Test
    void defaults_inMemory_readableIds_clockAtTheDefaultStart() {
        try (BillingFixture billing = BillingFixture.inMemory()) {
            assertTrue(billing.storage() instanceof InMemoryStorage);
            assertEquals(Instant.parse(BillingFixture.DEFAULT_START), billing.clock().instant());
            assertEquals(billing.clock(), billing.engine().clock());
            billing.engine().wallet().recharge("acme", Money.of(5, "EUR"), "r-1");
            assertEquals(List.of("id-1"), billing.engine().wallet().transactions("acme", null, 10).items().stream()
                    .map(t -> t.id()).toList());
            // nothing falls due within a day: one run, at the end
            assertEquals(List.of(Instant.parse("2026-01-02T00:00:00Z")), billing.travel(Duration.ofDays(1)).stream()
                    .map(DueRun::at).toList());
        }
    }

    @Test
    void travel_runsDueAtEveryPeriodEndAndRenewal_asProductionWould() {
        try (BillingFixture billing = shop().build()) {
            BillingEngine engine = billing.engine();
            engine.wallet().recharge("acme", Money.of(100, "EUR"), "r-1");   // periods from Jan 15, 10:00
            billing.clock().advance(Duration.ofDays(5));
            engine.subscriptions().checkout("acme", "small", "eu-1", "c-1");  // renewals from Jan 20, 10:00

            List<DueRun> runs = billing.travel(Period.ofMonths(2));

            assertEquals(List.of(Instant.parse("2026-02-15T10:00:00Z"), Instant.parse("2026-02-20T10:00:00Z"),
                    Instant.parse("2026-03-15T10:00:00Z"), Instant.parse("2026-03-20T10:00:00Z")),
                    runs.stream().map(DueRun::at).toList());
            assertEquals(List.of(1, 0, 1, 0), runs.stream().map(DueRun::statements).toList());
            assertEquals(List.of(0, 1, 0, 1), runs.stream().map(DueRun::renewals).toList());
            assertEquals(2, engine.charges().statements("acme").size());
            assertEquals(Instant.parse("2026-03-20T10:00:00Z"), billing.clock().instant());
            assertHistory(engine, "acme", HistoryLine.of(TransactionKind.RECHARGE, Money.of(100, "EUR")),
                    HistoryLine.of(TransactionKind.PURCHASE, Money.of(20, "EUR")),
                    HistoryLine.of(TransactionKind.PURCHASE, Money.of(20, "EUR")),
                    HistoryLine.of(TransactionKind.PURCHASE, Money.of(20, "EUR")));
            billing.assertInvariants();
        }
    }

    /** The clock moved past two renewals and a period end without running them: travel catches up first. */
    @Test
    void travel_afterTheClockWasMovedPastDueWork_catchesUpAtNowFirst() {
        try (BillingFixture billing = shop().build()) {
            BillingEngine engine = billing.engine();
            engine.wallet().recharge("acme", Money.of(100, "EUR"), "r-1");
            engine.subscriptions().checkout("acme", "small", "eu-1", "c-1");   // Jan 15 to Feb 15
            billing.clock().advance(Duration.ofDays(70));                      // Mar 26: two renewals due

            List<DueRun> runs = billing.travel(Period.ofMonths(1));            // to Apr 26

            assertEquals(Instant.parse("2026-03-26T10:00:00Z"), runs.get(0).at());
            assertEquals(2, runs.stream().filter(r -> r.at().equals(Instant.parse("2026-03-26T10:00:00Z")))
                    .mapToInt(DueRun::renewals).sum(), "both missed renewals, at the instant the clock was left at");
            assertEquals(3, runs.stream().mapToInt(DueRun::renewals).sum(), "and the one due on Apr 15");
            assertEquals(Instant.parse("2026-05-15T10:00:00Z"), engine.subscriptions().subscriptions("acme").get(0)
                    .periodEnd());
            assertEquals(Money.of(20, "EUR"), Money.from(engine.wallet().balance("acme").amount()));
            assertEquals(3, engine.charges().statements("acme").size(), "Feb 15, Mar 15, Apr 15");
            billing.assertInvariants();
        }
    }

    @Test
    void travel_byMonths_countsThemInTheEnginesZone() {
        // Feb 28, 01:30 EST (06:30Z) and a month in New York is Mar 28, 01:30 EDT (05:30Z): the clocks moved on
        // Mar 8 (a month in UTC would land at 06:30Z)
        try (BillingFixture billing = BillingFixture.builder().start("2026-02-28T06:30:00Z")
                .zone(ZoneId.of("America/New_York")).build()) {
            billing.travel(Period.ofMonths(1));
            assertEquals(Instant.parse("2026-03-28T05:30:00Z"), billing.clock().instant());
        }
    }

    @Test
    void travel_onAStorageThatCannotShowWhatIsDue_stepsHourly_andStillRenews() {
        InMemoryStorage inner = InMemoryStorage.create();
        BillingStorage blind = new BillingStorage() {
            @Override
            public <T> T inTransaction(StorageWork<T> work) {
                return inner.inTransaction(work);
            }

            @Override
            public String describe() {
                return "blind";
            }
        };
        try (BillingFixture billing = shop().storage(blind).build()) {
            billing.engine().wallet().recharge("acme", Money.of(100, "EUR"), "r-1");
            billing.engine().subscriptions().checkout("acme", "small", "eu-1", "c-1");
            List<DueRun> runs = billing.travel(Duration.ofDays(32));
            assertEquals(32 * 24, runs.size());
            assertEquals(1, runs.stream().mapToInt(DueRun::renewals).sum());
            assertEquals(Instant.parse("2026-02-15T10:00:00Z"), runs.stream().filter(r -> r.renewals() == 1)
                    .findFirst().orElseThrow().at());
        }
    }

    @Test
    void travel_backwards_isRefused_andNothingRuns() {
        try (BillingFixture billing = shop().build()) {
            assertThrows(IllegalArgumentException.class, () -> billing.travel(Period.ofDays(-1)));
            assertThrows(IllegalArgumentException.class, () -> billing.travel(Duration.ofSeconds(-1)));
            assertThrows(IllegalArgumentException.class, () -> billing.travelTo(Instant.parse("2026-01-15T09:00:00Z")));
            assertEquals(Instant.parse("2026-01-15T10:00:00Z"), billing.clock().instant());
        }
    }

    @Test
    void aCatalogThatFails_failsTheBuild_andClosesTheStorage() {
        AtomicBoolean closed = new AtomicBoolean();
        InMemoryStorage inner = InMemoryStorage.create();
        BillingStorage watched = new BillingStorage() {
            @Override
            public <T> T inTransaction(StorageWork<T> work) {
                return inner.inTransaction(work);
            }

            @Override
            public String describe() {
                return "watched";
            }

            @Override
            public void close() {
                closed.set(true);
            }
        };
        BillingFixture.Builder b = BillingFixture.builder().storage(watched)
                .catalog(e -> {
                    throw new java.io.IOException("catalog.json: no such file");
                });
        IllegalStateException e = assertThrows(IllegalStateException.class, b::build);
        assertEquals("the catalog could not be defined: catalog.json: no such file", e.getMessage());
        assertTrue(closed.get());
    }
}
