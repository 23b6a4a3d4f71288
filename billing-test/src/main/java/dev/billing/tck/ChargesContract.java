package dev.billing.tck;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.accounts.AccountKind;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.accounts.BillingPeriod;
import dev.billing.core.charges.ChargeCategory;
import dev.billing.core.charges.ChargeLine;
import dev.billing.core.charges.Commitment;
import dev.billing.core.charges.EstimatedCharges;
import dev.billing.core.charges.Rate;
import dev.billing.core.usage.IngestResult;
import dev.billing.core.usage.IngestStatus;
import dev.billing.core.usage.UsageEvent;
import dev.billing.spi.StorageSnapshot;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.Test;

/**
 * Estimated charges, the rate card and usage ingestion, written once and run against every storage:
 * extend it and implement {@link #newStorage()}. Period close and renewal are {@link ClosingContract};
 * hierarchies, billing cycles and zones {@link ProfilesContract}.
 */
public abstract class ChargesContract extends ChargesFixture {
    // ------------------------------------------------------------ the estimate of the API's example account

    @Test
    void exampleCloudAccount_everyLineIsQuantityTimesRate_andTotalsAddUp() {
        ingestExampleUsage();
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
        ingestExampleUsage();
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
        ingestExampleUsage();
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

    /**
     * A resent event is a duplicate among fresh ones (the engine stores a batch before looking up its ids
     * and, when one is stored already, runs again looking up first), and stays a duplicate where it would
     * now be rejected (its account closed since).
     */
    @Test
    void aResentEvent_isADuplicate_amongFreshOnes_andWhereItWouldNowBeRejected() {
        UsageEvent e = use("ran", "DBAAS", "UPTIME", "10");
        UsageEvent f = use("ran", "DBAAS", "UPTIME", "2");
        engine.usage().ingestBatch(List.of(e, f));
        List<IngestResult> mixed = engine.usage().ingestBatch(List.of(use("ran", "DBAAS", "UPTIME", "1"), f,
                use("ran", "DBAAS", "UPTIME", "1"), e));
        assertEquals(List.of(IngestStatus.ACCEPTED, IngestStatus.DUPLICATE, IngestStatus.ACCEPTED, IngestStatus.DUPLICATE),
                mixed.stream().map(IngestResult::status).toList());
        assertEquals(usd("5.60"), engine.charges().estimatedCharges("ran").totals().chargeSubTotal());
        engine.accounts().setStatus("ran", AccountStatus.CLOSED, "close");
        StorageSnapshot before = snapshot();
        assertEquals(IngestStatus.DUPLICATE, engine.usage().ingest(e).status());
        List<IngestResult> r = engine.usage().ingestBatch(List.of(e, use("ran", "DBAAS", "UPTIME", "1"), f));
        assertEquals(List.of(IngestStatus.DUPLICATE, IngestStatus.REJECTED, IngestStatus.DUPLICATE),
                r.stream().map(IngestResult::status).toList());
        assertEquals(ErrorCode.ACCOUNT_NOT_ACTIVE, r.get(1).code());
        assertEquals(before, snapshot());
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
}
