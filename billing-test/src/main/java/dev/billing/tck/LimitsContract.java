package dev.billing.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.billing.spi.SnapshotSource;
import dev.billing.spi.StorageSnapshot;
import dev.billing.test.TestClock;

import dev.billing.core.BillingEngine;
import dev.billing.core.DueRun;
import dev.billing.core.ErrorCode;
import dev.billing.core.IdGenerator;
import dev.billing.core.InvalidRequestException;
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
import java.util.List;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every figure a billing period sums stays within what the storage holds (amounts below 10^15): usage
 * and hierarchy changes that would take one past it are refused where they enter, naming the field, and
 * change nothing; whatever was accepted closes. Written once for every storage: extend it and implement
 * {@link #newStorage()}.
 */
public abstract class LimitsContract {

    static final CurrencyUnit USD = Monetary.getCurrency("USD");
    static final Instant OPENED = Instant.parse("2016-10-16T21:32:52Z");
    static final Instant PERIOD_END = Instant.parse("2016-11-16T21:32:52Z");
    static final Instant NOW = Instant.parse("2016-11-01T21:32:52Z");
    /** The largest quantity one event may carry: 15 integer digits. */
    static final BigDecimal MAX_EVENT = new BigDecimal("999999999999999");

    BillingStorage storage;
    TestClock clock;
    BillingEngine engine;
    int events;

    /** @return a new, empty storage that is also a {@link SnapshotSource}; the contract closes it */
    protected abstract BillingStorage newStorage();

    @BeforeEach
    void setUpWorld() {
        storage = newStorage();
        clock = TestClock.at(OPENED, ZoneOffset.UTC);
        engine = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC)
                .idGenerator(IdGenerator.random()).build();
        engine.charges().defineRate(Rate.flat("DBAAS", "UPTIME", "HRS", new BigDecimal(".40"), USD, LocalDate.of(2016, 1, 1)));
        engine.accounts().openAccount("ran", USD, "open-ran");
        engine.accounts().openAccount("child", USD, "open-child");
        clock.set(NOW);
    }

    @AfterEach
    void closeWorld() {
        storage.close();
    }

    UsageEvent use(String ns, BigDecimal quantity) {
        return new UsageEvent("e-" + (++events), ns, "DBAAS", "UPTIME", quantity, clock.instant());
    }

    @Test
    void usageThatWouldTakeTheTotalPastTheStorage_isRejectedNamingTheQuantity_andTheRestCloses() {
        // 999,999,999,999,999 HRS x 0.40 = 399,999,999,999,999.60 each: two fit below 10^15, three do not
        List<IngestResult> r = engine.usage().ingestBatch(List.of(use("ran", MAX_EVENT), use("ran", MAX_EVENT)));
        assertTrue(r.stream().allMatch(x -> x.status() == IngestStatus.ACCEPTED), r.toString());
        StorageSnapshot before = StorageSnapshot.of(storage);
        IngestResult third = engine.usage().ingestBatch(List.of(use("ran", MAX_EVENT))).get(0);
        assertEquals(IngestStatus.REJECTED, third.status(), third.toString());
        assertEquals(ErrorCode.INVALID_REQUEST, third.code());
        assertEquals("event.quantity", third.field());
        InvalidRequestException single = assertThrows(InvalidRequestException.class,
                () -> engine.usage().ingest(use("ran", MAX_EVENT)));
        assertEquals("event.quantity", single.field());
        assertEquals(before, StorageSnapshot.of(storage), "refused usage changed something");
        assertEquals(IngestStatus.ACCEPTED, engine.usage().ingest(use("ran", BigDecimal.ONE)).status(),
                "what still fits is accepted");
        clock.set(PERIOD_END);
        engine.wallet().recharge("ran", Money.of(new BigDecimal("1"), "USD"), "r1");
        DueRun run = engine.runDue();
        assertEquals(List.of(), run.failures(), "the period closes");
        Statement st = engine.charges().statements("ran").get(0);
        assertEquals(Money.of(new BigDecimal("799999999999999.60"), "USD"), st.totals().total());
    }

    @Test
    void theTotalsKeptForAPeriod_equalItsEvents_afterEveryIngestion() {
        for (int batch = 0; batch < 3; batch++) {
            engine.usage().ingestBatch(List.of(use("ran", new BigDecimal("1.5")), use("ran", new BigDecimal("0.000001")),
                    use("child", BigDecimal.TEN)));
            engine.usage().ingest(use("ran", BigDecimal.ONE));
            for (String ns : List.of("ran", "child")) {
                List<dev.billing.spi.UsageSum> events = storage.inTransaction(s -> s.usage().sumUsage(ns, OPENED, PERIOD_END));
                List<StorageSnapshot.UsageTotal> kept = StorageSnapshot.of(storage).usageTotals().stream()
                        .filter(t -> t.namespace().equals(ns)).toList();
                assertEquals(1, kept.size(), kept.toString());
                assertEquals(OPENED, kept.get(0).periodStart());
                assertEquals(PERIOD_END, kept.get(0).periodEnd());
                assertEquals(0, events.get(0).quantity().compareTo(kept.get(0).total().quantity()), kept.toString());
                assertEquals(events.get(0).events(), kept.get(0).total().events());
            }
        }
        assertEquals(0, new BigDecimal("7.500003").compareTo(StorageSnapshot.of(storage).usageTotals().stream()
                .filter(t -> t.namespace().equals("ran")).findFirst().orElseThrow().total().quantity()));
    }

    @Test
    void usageStoredWithoutTotals_isSummedFromItsEvents_whenUsageNextEntersThePeriod() {
        // as an upgrade finds it: the period's events, and no totals kept for it
        storage.inTransaction(s -> {
            s.usage().insertUsages(List.of(
                    new dev.billing.spi.UsageRecord("ran", "old-1", "DBAAS", "UPTIME", MAX_EVENT, NOW, NOW),
                    new dev.billing.spi.UsageRecord("ran", "old-2", "DBAAS", "UPTIME", MAX_EVENT, NOW, NOW)));
            return null;
        });
        StorageSnapshot before = StorageSnapshot.of(storage);
        assertEquals(List.of(), before.usageTotals());
        assertThrows(InvalidRequestException.class, () -> engine.usage().ingest(use("ran", MAX_EVENT)),
                "the two stored events count, though no totals were kept for them");
        assertEquals(before, StorageSnapshot.of(storage));
        engine.usage().ingest(use("ran", BigDecimal.ONE));
        assertEquals(3, StorageSnapshot.of(storage).usageTotals().get(0).total().events(),
                "the totals kept from then on count the old events");
    }

    @Test
    void oneBatch_countsItsOwnEvents_againstTheLimit() {
        List<IngestResult> r = engine.usage().ingestBatch(List.of(use("ran", MAX_EVENT), use("ran", MAX_EVENT),
                use("ran", MAX_EVENT)));
        assertEquals(List.of(IngestStatus.ACCEPTED, IngestStatus.ACCEPTED, IngestStatus.REJECTED),
                r.stream().map(IngestResult::status).toList());
    }

    @Test
    void aDescendantsUsage_countsAgainstItsAncestorsTotal() {
        engine.accounts().setParent("child", "ran");
        assertEquals(IngestStatus.ACCEPTED, engine.usage().ingest(use("ran", MAX_EVENT)).status());
        assertEquals(IngestStatus.ACCEPTED, engine.usage().ingest(use("child", MAX_EVENT)).status());
        StorageSnapshot before = StorageSnapshot.of(storage);
        // the child's own charges would fit, but the parent's total (its own and the child's) would not
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> engine.usage().ingest(use("child", MAX_EVENT)));
        assertEquals("event.quantity", e.field());
        assertTrue(e.getMessage().contains("ran"), e.getMessage());
        assertEquals(before, StorageSnapshot.of(storage));
        clock.set(PERIOD_END);
        assertEquals(List.of(), engine.runDue().failures());
        assertEquals(Money.of(new BigDecimal("799999999999999.20"), "USD"),
                engine.charges().statements("ran").get(0).totals().total());
    }

    @Test
    void aParentChangeThatWouldTakeATotalPastTheStorage_isRefused_andChangesNothing() {
        engine.usage().ingest(use("ran", MAX_EVENT));
        engine.usage().ingest(use("ran", MAX_EVENT));
        engine.usage().ingest(use("child", MAX_EVENT));
        StorageSnapshot before = StorageSnapshot.of(storage);
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> engine.accounts().setParent("child", "ran"));
        assertEquals("parent", e.field());
        assertEquals(before, StorageSnapshot.of(storage));
        assertEquals(null, engine.accounts().billingProfile("child").parent());
        clock.set(PERIOD_END);
        assertEquals(List.of(), engine.runDue().failures());
    }
}
