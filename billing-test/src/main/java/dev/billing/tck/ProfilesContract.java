package dev.billing.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.ConflictException;
import dev.billing.core.DueRun;
import dev.billing.core.ErrorCode;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.accounts.AccountKind;
import dev.billing.core.accounts.BillingPeriod;
import dev.billing.core.accounts.ProfileChange;
import dev.billing.core.charges.ChargeCategory;
import dev.billing.core.charges.ChargeLine;
import dev.billing.core.charges.Commitment;
import dev.billing.core.charges.EstimatedCharges;
import dev.billing.core.charges.Rate;
import dev.billing.core.charges.Statement;
import dev.billing.core.subscriptions.Subscription;
import dev.billing.core.usage.IngestResult;
import dev.billing.core.usage.IngestStatus;
import dev.billing.core.usage.UsageEvent;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.ProfileStore;
import dev.billing.spi.RateRecord;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.StorageWork;
import dev.billing.test.TestClock;
import java.math.BigDecimal;
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
import javax.money.Monetary;
import javax.money.MonetaryAmount;
import org.junit.jupiter.api.Test;

/**
 * Billing profiles: account hierarchies and their totals, billing cycles, zones, and profile changes
 * racing usage, written once and run against every storage: extend it and implement {@link #newStorage()}.
 */
public abstract class ProfilesContract extends ChargesFixture {
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
