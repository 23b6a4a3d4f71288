package dev.billing.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.billing.spi.StorageSnapshot;

import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.CommitmentRecord;
import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.RateRecord;
import dev.billing.spi.RateRecord.TierRecord;
import dev.billing.spi.StatementLineRecord;
import dev.billing.spi.StatementRecord;
import dev.billing.spi.StorageSession;
import dev.billing.spi.SubscriptionRecord;
import dev.billing.spi.UsageRecord;
import dev.billing.spi.UsageSum;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The storage SPI's contract for metering (rate card, billing profiles, usage, commitments, statements,
 * renewals), written once and run against every storage (and any plugin): extend it and implement
 * {@link #newStorage()}. Numbers are compared by value ({@link #plain}), since stores may keep another
 * scale; instants have at most microsecond precision, which every store keeps.
 *
 * <p>Longer than most files on purpose: a plugin extends one class per area of the TCK, so an area's
 * tests stay in one class rather than in several a plugin would have to find and extend.
 */
public abstract class MeteringStorageContract extends StorageFixture {

    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
    private static final Instant MICRO = Instant.parse("2024-03-01T09:27:04.123456Z");

    /** Runs one compare-and-set in its own unit of work. */
    private boolean cas(Predicate<StorageSession> replace) {
        return storage.inTransaction(replace::test);
    }

    private static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }

    private static Instant day(int n) {
        return T0.plusSeconds(86_400L * n);
    }

    // ---- records, and the same records with every number at its smallest scale (compared by value)

    private static BigDecimal plain(BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros();
    }

    private static RateRecord plain(RateRecord r) {
        return new RateRecord(r.offeringCode(), r.chargeType(), r.effectiveFrom(), r.unitOfMeasure(), r.currency(),
                plain(r.includedQuantity()),
                r.tiers().stream().map(t -> new TierRecord(plain(t.upTo()), plain(t.unitRate()))).toList());
    }

    private static UsageRecord plain(UsageRecord u) {
        return new UsageRecord(u.namespace(), u.eventId(), u.offeringCode(), u.chargeType(), plain(u.quantity()),
                u.occurredAt(), u.recordedAt());
    }

    private static UsageSum plain(UsageSum u) {
        return new UsageSum(u.offeringCode(), u.chargeType(), plain(u.quantity()), u.events());
    }

    private static List<UsageSum> plainSums(List<UsageSum> sums) {
        return sums.stream().map(MeteringStorageContract::plain).toList();
    }

    private static CommitmentRecord plain(CommitmentRecord c) {
        return new CommitmentRecord(c.namespace(), c.id(), plain(c.percentOff()), plain(c.threshold()), c.currency(),
                c.endDate());
    }

    private static StatementRecord plain(StatementRecord s) {
        return new StatementRecord(s.id(), s.namespace(), s.periodStart(), s.periodEnd(), s.currency(),
                plain(s.chargeSubTotal()), plain(s.discountTotal()), plain(s.chargeTotal()),
                plain(s.chargeHierarchyTotal()), plain(s.total()), s.transactionId(), s.createdAt());
    }

    private static StatementLineRecord plain(StatementLineRecord l) {
        return new StatementLineRecord(l.statementId(), l.lineNo(), l.offeringCode(), l.chargeType(), l.category(),
                plain(l.quantity()), l.unitOfMeasure(), plain(l.rate()), plain(l.amount()), l.endDate(),
                l.chargeDetails(), l.chargeDescription());
    }

    private static RateRecord rate(String offering, String chargeType, String from, TierRecord... tiers) {
        return new RateRecord(offering, chargeType, LocalDate.parse(from), "HRS", "CNY", dec("10.5"), List.of(tiers));
    }

    private static TierRecord tier(String upTo, String unitRate) {
        return new TierRecord(upTo == null ? null : dec(upTo), dec(unitRate));
    }

    private static BillingProfileRecord profile(String ns, String parent, Instant start, Instant end) {
        return new BillingProfileRecord(ns, parent, "cloud", start, end);
    }

    private static UsageRecord usage(String ns, String id, String offering, String chargeType, String quantity,
            Instant at) {
        return new UsageRecord(ns, id, offering, chargeType, dec(quantity), at, MICRO);
    }

    private static SubscriptionRecord subscription(String id, Instant start, Instant end, String status) {
        return new SubscriptionRecord(id, "a", "plan", "aws", start, end, status, "t-" + id);
    }

    private static CommitmentRecord commitment(String ns, String id, String percent) {
        return new CommitmentRecord(ns, id, dec(percent), dec("1000.00"), "CNY", day(365));
    }

    private static StatementRecord statement(String id, String ns, Instant start, String transactionId) {
        return new StatementRecord(id, ns, start, start.plusSeconds(86_400L * 30), "CNY", dec("12.3400"),
                dec("-1.2340"), dec("11.1060"), dec("0"), dec("11.1060"), transactionId, MICRO);
    }

    private static StatementLineRecord charge(String statementId, int lineNo, String quantity) {
        return new StatementLineRecord(statementId, lineNo, "DBAAS", "UPTIME", "CHARGE", dec(quantity), "HRS",
                dec("0.123456"), dec("12.3400"), null, null, null);
    }

    private static StatementLineRecord discount(String statementId, int lineNo) {
        return new StatementLineRecord(statementId, lineNo, null, "Commit Discount", "DISCOUNT", dec("1"), "",
                dec("0.1"), dec("-1.2340"), MICRO, "10% off above 1000.00", "commit 10%");
    }

    // ---- rate card

    private boolean anyUsageSince(String offeringCode, String chargeType, Instant from) {
        return storage.<Boolean>inTransaction(s -> s.usage().anyUsageSince(offeringCode, chargeType, from));
    }

    @Test
    void anyUsageSince_looksAtEveryNamespace_fromTheInstantOn() {
        Instant at = Instant.parse("2024-03-01T10:00:00Z");
        run(s -> {
            s.accounts().insertAccount(new dev.billing.spi.AccountRecord("ns-b", "CNY", "active", false, dec("0.00"), dec("0.00"), MICRO));
            s.usage().insertUsage(usage("ns-b", "e1", "DBAAS", "UPTIME", "1", at));
        });
        assertTrue(anyUsageSince("DBAAS", "UPTIME", at), "at the instant");
        assertTrue(anyUsageSince("DBAAS", "UPTIME", at.minusSeconds(1)));
        assertFalse(anyUsageSince("DBAAS", "UPTIME", at.plusNanos(1000)));
        assertFalse(anyUsageSince("DBAAS", "DOWNTIME", at.minusSeconds(1)));
        assertFalse(anyUsageSince("RCDN", "UPTIME", at.minusSeconds(1)));
    }

    @Test
    void putRate_roundTripsTiersInOrder_withAnUnboundedLastTier() {
        RateRecord r = rate("DBAAS", "UPTIME", "2024-01-01", tier("100", "0.5"), tier("1000.000001", "0.25"),
                tier(null, "0.123456"));
        run(s -> s.rating().putRate(r));
        List<RateRecord> listed = storage.inTransaction(s -> s.rating().listRates("DBAAS", "UPTIME"));
        assertEquals(List.of(plain(r)), listed.stream().map(MeteringStorageContract::plain).toList());
        assertEquals(null, listed.get(0).tiers().get(2).upTo());
    }

    @Test
    void putRate_replacesTheRateAndAllItsTiers() {
        run(s -> s.rating().putRate(rate("DBAAS", "UPTIME", "2024-01-01", tier("10", "1"), tier("20", "2"), tier(null, "3"))));
        RateRecord next = new RateRecord("DBAAS", "UPTIME", LocalDate.parse("2024-01-01"), "MIN", "USD", dec("0"),
                List.of(tier(null, "0.75")));
        run(s -> s.rating().putRate(next));
        assertEquals(List.of(plain(next)), storage.inTransaction(s -> s.rating().listRates(null, null)).stream()
                .map(MeteringStorageContract::plain).toList());
        RateRecord none = rate("DBAAS", "UPTIME", "2024-01-01");
        run(s -> s.rating().putRate(none));
        assertEquals(List.of(), storage.inTransaction(s -> s.rating().listRates(null, null)).get(0).tiers());
    }

    @Test
    void listRates_filtersByOfferingAndChargeType_orderedByOfferingChargeTypeThenDate() {
        run(s -> {
            s.rating().putRate(rate("VM", "CPU", "2024-01-01", tier(null, "1")));
            s.rating().putRate(rate("DBAAS", "UPTIME", "2024-06-01", tier(null, "2")));
            s.rating().putRate(rate("DBAAS", "STORAGE", "2024-01-01", tier(null, "3")));
            s.rating().putRate(rate("DBAAS", "UPTIME", "2023-12-31", tier(null, "4")));
            s.rating().putRate(rate("DBAAS", "UPTIME", "2024-01-01", tier(null, "5")));
        });
        assertEquals(List.of("DBAAS/STORAGE/2024-01-01", "DBAAS/UPTIME/2023-12-31", "DBAAS/UPTIME/2024-01-01",
                "DBAAS/UPTIME/2024-06-01", "VM/CPU/2024-01-01"), keys(storage.inTransaction(s -> s.rating().listRates(null, null))));
        assertEquals(List.of("DBAAS/STORAGE/2024-01-01", "DBAAS/UPTIME/2023-12-31", "DBAAS/UPTIME/2024-01-01",
                "DBAAS/UPTIME/2024-06-01"), keys(storage.inTransaction(s -> s.rating().listRates("DBAAS", null))));
        assertEquals(List.of("DBAAS/UPTIME/2023-12-31", "DBAAS/UPTIME/2024-01-01", "DBAAS/UPTIME/2024-06-01"),
                keys(storage.inTransaction(s -> s.rating().listRates(null, "UPTIME"))));
        assertEquals(List.of("VM/CPU/2024-01-01"), keys(storage.inTransaction(s -> s.rating().listRates("VM", "CPU"))));
        assertEquals(List.of(), keys(storage.inTransaction(s -> s.rating().listRates("VM", "UPTIME"))));
    }

    private static List<String> keys(List<RateRecord> rates) {
        return rates.stream().map(r -> r.offeringCode() + "/" + r.chargeType() + "/" + r.effectiveFrom()).toList();
    }

    // ---- billing profiles

    @Test
    void insertBillingProfile_twice_isADuplicate_andTheUnitIsUndone() {
        run(s -> s.profiles().insertBillingProfile(profile("a", null, T0, day(31))));
        StorageSnapshot before = snapshot();
        assertThrows(DuplicateKeyException.class, () -> run(s -> {
            s.rating().putCommitment(commitment("a", "c1", "10"));
            s.profiles().insertBillingProfile(profile("a", "p", day(1), day(2)));
        }));
        assertEquals(before, snapshot());
        assertEquals(profile("a", null, T0, day(31)), storage.inTransaction(s -> s.profiles().findBillingProfile("a")).orElseThrow());
        assertTrue(storage.inTransaction(s -> s.profiles().findBillingProfile("nobody")).isEmpty());
    }

    @Test
    void statementsRecordedUnderAncestors_areSummedPerAncestorAndPeriodEnd() {
        StatementRecord st = statement("st1", "c", T0, null);
        run(s -> s.statements().insertStatement(st, List.of(), List.of("p", "root")));
        run(s -> s.statements().insertStatement(statement("st2", "p", T0, null), List.of(), List.of("root")));
        Instant end = st.periodEnd();
        assertEquals(0, st.chargeTotal().compareTo(storage.inTransaction(s -> s.statements().sumAncestorShares("p", T0, end))));
        assertEquals(0, st.chargeTotal().add(st.chargeTotal()).compareTo(
                storage.inTransaction(s -> s.statements().sumAncestorShares("root", T0, end))), "both statements, under root");
        assertEquals(0, storage.inTransaction(s -> s.statements().sumAncestorShares("p", end, end.plusSeconds(1))).signum(),
                "the window's start is exclusive");
        assertEquals(0, storage.inTransaction(s -> s.statements().sumAncestorShares("c", T0, end)).signum(), "not its own");
        assertEquals(0, storage.inTransaction(s -> s.statements().sumAncestorShares("nobody", T0, end)).signum());
        StorageSnapshot before = snapshot();
        assertThrows(DuplicateKeyException.class, () -> run(s -> s.statements().insertStatement(statement("st1", "x", T0, null),
                List.of(), List.of("p"))));
        assertEquals(before, snapshot());
        assertEquals(0, st.chargeTotal().compareTo(storage.inTransaction(s -> s.statements().sumAncestorShares("p", T0, end))),
                "a failed insert recorded nothing");
    }

    @Test
    void lockBillingProfile_returnsTheStoredProfile_andChangesNothing() {
        run(s -> s.profiles().insertBillingProfile(profile("a", null, MICRO, day(31))));
        StorageSnapshot before = snapshot();
        assertEquals(profile("a", null, MICRO, day(31)), storage.inTransaction(s -> s.profiles().lockBillingProfile("a")).orElseThrow());
        assertTrue(storage.inTransaction(s -> s.profiles().lockBillingProfile("nobody")).isEmpty());
        assertEquals(before, snapshot());
    }

    @Test
    void lockBillingProfile_holdsTheRow_soAConcurrentChangeIsSeenOrWaits() throws Exception {
        run(s -> s.profiles().insertBillingProfile(profile("a", null, MICRO, day(31))));
        java.util.concurrent.CountDownLatch locked = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            var holder = other.submit(() -> storage.inTransaction(s -> {
                BillingProfileRecord p = s.profiles().lockBillingProfile("a").orElseThrow();
                locked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return s.profiles().replaceBillingProfile(p.withKind("dedicated"), p.periodStart());
            }));
            assertTrue(locked.await(30, java.util.concurrent.TimeUnit.SECONDS));
            var writer = java.util.concurrent.Executors.newSingleThreadExecutor().submit(() -> storage.inTransaction(s -> {
                BillingProfileRecord p = s.profiles().lockBillingProfile("a").orElseThrow();
                return s.profiles().replaceBillingProfile(p.withParent("p"), p.periodStart());
            }));
            try {
                writer.get(2, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException waiting) {
                // it waits for the holder's lock: then it reads the holder's change
            }
            release.countDown();
            assertTrue(holder.get(30, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(writer.get(30, java.util.concurrent.TimeUnit.SECONDS));
        } finally {
            release.countDown();
            other.shutdownNow();
        }
        BillingProfileRecord after = storage.inTransaction(s -> s.profiles().findBillingProfile("a")).orElseThrow();
        assertEquals("dedicated", after.kind(), "both read-modify-writes kept");
        assertEquals("p", after.parent(), "both read-modify-writes kept");
    }

    @Test
    void replaceBillingProfile_comparesThePeriodStart_andSetsEveryField() {
        run(s -> s.profiles().insertBillingProfile(profile("a", null, MICRO, day(31))));
        BillingProfileRecord next = new BillingProfileRecord("a", "parent", "dedicated", day(31), day(61));
        assertFalse(cas(s -> s.profiles().replaceBillingProfile(next, T0)), "stale period start");
        assertTrue(cas(s -> s.profiles().replaceBillingProfile(next, MICRO)));
        assertEquals(next, storage.inTransaction(s -> s.profiles().findBillingProfile("a")).orElseThrow());
        assertFalse(cas(s -> s.profiles().replaceBillingProfile(next, MICRO)), "the period moved on");
        assertFalse(cas(s -> s.profiles().replaceBillingProfile(
                profile("ghost", null, T0, day(1)), T0)), "no such profile");
        assertTrue(storage.inTransaction(s -> s.profiles().findBillingProfile("ghost")).isEmpty());
    }

    @Test
    void listChildren_byNamespace() {
        run(s -> {
            s.profiles().insertBillingProfile(profile("p", null, T0, day(31)));
            s.profiles().insertBillingProfile(profile("c", "p", T0, day(31)));
            s.profiles().insertBillingProfile(profile("a", "p", T0, day(31)));
            s.profiles().insertBillingProfile(profile("b", "p", T0, day(31)));
            s.profiles().insertBillingProfile(profile("x", "other", T0, day(31)));
        });
        assertEquals(List.of("a", "b", "c"), storage.inTransaction(s -> s.profiles().listChildren("p")).stream()
                .map(BillingProfileRecord::namespace).toList());
        assertEquals(List.of(), storage.inTransaction(s -> s.profiles().listChildren("a")));
    }

    @Test
    void listPeriodsDue_endAtOrBeforeNow_byPeriodEndThenNamespace_limited() {
        Instant now = day(31);
        run(s -> {
            s.profiles().insertBillingProfile(profile("late", null, T0, now.plusNanos(1_000)));
            s.profiles().insertBillingProfile(profile("z-exact", null, T0, now));
            s.profiles().insertBillingProfile(profile("a-exact", null, T0, now));
            s.profiles().insertBillingProfile(profile("early", null, T0, day(30)));
        });
        assertEquals(List.of("early", "a-exact", "z-exact"), namespaces(storage.inTransaction(s -> s.profiles().listPeriodsDue(now, 10))));
        assertEquals(List.of("early", "a-exact"), namespaces(storage.inTransaction(s -> s.profiles().listPeriodsDue(now, 2))));
        assertEquals(List.of(), namespaces(storage.inTransaction(s -> s.profiles().listPeriodsDue(day(29), 10))));
        assertEquals(List.of(), namespaces(storage.inTransaction(s -> s.profiles().listPeriodsDue(now, 0))));
    }

    private static List<String> namespaces(List<BillingProfileRecord> profiles) {
        return profiles.stream().map(BillingProfileRecord::namespace).toList();
    }

    // ---- subscriptions

    @Test
    void replaceSubscription_onlyFromTheExpectedRevision_whichItBumps() {
        Instant end = MICRO.plusSeconds(86_400L * 30);
        run(s -> {
            s.subscriptions().insertSubscription(subscription("s1", MICRO, end, "active"));
            s.subscriptions().insertSubscription(subscription("s2", MICRO, end, "cancelled"));
        });
        SubscriptionRecord renewed = new SubscriptionRecord("s1", "a", "plan-2", "gcp", end, end.plusSeconds(86_400L * 30),
                "active", "t-renewal", MICRO, "UTC", 3, new java.math.BigDecimal("20.0000"), true, end.plusSeconds(60),
                end.minusSeconds(60), 2, new java.math.BigDecimal("18.5000"), "t-running", 0);
        assertFalse(cas(s -> s.subscriptions().replaceSubscription(renewed, 1)), "stale revision");
        assertTrue(cas(s -> s.subscriptions().replaceSubscription(renewed, 0)));
        SubscriptionRecord stored = storage.inTransaction(s -> s.subscriptions().findSubscription("s1")).orElseThrow();
        assertEquals(renewed.atRevision(1), stored.priced(3, stored.periodPrice().setScale(4))
                .renewedAhead(stored.priorPlanVersion(), stored.priorPeriodPrice().setScale(4), stored.priorTransactionId()),
                "every field, at revision 1");
        assertEquals(List.of(subscription("s2", MICRO, end, "cancelled"), stored),
                storage.inTransaction(s -> s.subscriptions().listSubscriptions("a")).stream()
                        .sorted(Comparator.comparing(SubscriptionRecord::id).reversed()).toList());
        assertFalse(cas(s -> s.subscriptions().replaceSubscription(renewed, 0)), "changed already");
        run(s -> s.subscriptions().updateSubscriptionStatus("s2", "expired"));
        SubscriptionRecord s2 = subscription("s2", end, end.plusSeconds(60), "active");
        assertFalse(cas(s -> s.subscriptions().replaceSubscription(s2, 0)), "a status change bumps the revision too");
        assertTrue(cas(s -> s.subscriptions().replaceSubscription(s2, 1)));
        assertFalse(cas(s -> s.subscriptions().replaceSubscription(subscription("ghost", T0, end, "active"), 0)));
        assertEquals(java.util.Optional.empty(), storage.inTransaction(s -> s.subscriptions().findSubscription("ghost")));
        // taken back from the period it was renewed for to the one running: the running one's version and price
        SubscriptionRecord back = stored.backToRunning(MICRO, end);
        assertTrue(cas(s -> s.subscriptions().replaceSubscription(back, 1)));
        SubscriptionRecord stepped = storage.inTransaction(s -> s.subscriptions().findSubscription("s1")).orElseThrow();
        assertEquals(2, stepped.planVersion());
        assertEquals(0, new java.math.BigDecimal("18.5").compareTo(stepped.periodPrice()));
        assertEquals(null, stepped.priorPlanVersion(), "no longer ahead: cleared");
        assertEquals(null, stepped.priorPeriodPrice());
        assertEquals("t-running", stepped.transactionId(), "the purchase that paid the running period");
        assertEquals(null, stepped.priorTransactionId());
    }

    @Test
    void listSubscriptionsDue_activeWithEndAtOrBeforeNow_byPeriodEndThenId_limited() {
        Instant now = day(30);
        run(s -> {
            s.subscriptions().insertSubscription(subscription("s-late", T0, now.plusNanos(1_000), "active"));
            s.subscriptions().insertSubscription(subscription("s-z", T0, now, "active"));
            s.subscriptions().insertSubscription(subscription("s-a", T0, now, "active"));
            s.subscriptions().insertSubscription(subscription("s-early", T0, day(29), "active"));
            s.subscriptions().insertSubscription(subscription("s-cancelled", T0, day(1), "cancelled"));
            s.subscriptions().insertSubscription(subscription("s-expired", T0, day(1), "expired"));
        });
        assertEquals(List.of("s-early", "s-a", "s-z"), ids(storage.inTransaction(s -> s.subscriptions().listSubscriptionsDue(now, 10))));
        assertEquals(List.of("s-early"), ids(storage.inTransaction(s -> s.subscriptions().listSubscriptionsDue(now, 1))));
        assertEquals(List.of(), ids(storage.inTransaction(s -> s.subscriptions().listSubscriptionsDue(day(28), 10))));
        // paged after the last one read: by period end, then id, never a row twice
        assertEquals(List.of("s-a"), ids(storage.inTransaction(s -> s.subscriptions().listSubscriptionsDue(now, day(29),
                "s-early", 1))));
        assertEquals(List.of("s-z"), ids(storage.inTransaction(s -> s.subscriptions().listSubscriptionsDue(now, now,
                "s-a", 10))), "the same period end, a later id");
        assertEquals(List.of(), ids(storage.inTransaction(s -> s.subscriptions().listSubscriptionsDue(now, now, "s-z", 10))));
        run(s -> s.subscriptions().insertSubscription(subscription("s-due", T0, day(2), "past_due")));
        assertEquals(List.of("s-due", "s-early", "s-a", "s-z"), ids(storage.inTransaction(s -> s.subscriptions()
                .listSubscriptionsDue(now, 10))), "past due ones too");
    }

    private static List<String> ids(List<SubscriptionRecord> subscriptions) {
        return subscriptions.stream().map(SubscriptionRecord::id).toList();
    }

    // ---- usage

    @Test
    void insertUsage_twiceInANamespace_isADuplicate_butOtherNamespacesMayReuseTheId() {
        UsageRecord e1 = usage("a", "e1", "DBAAS", "UPTIME", "1.000001", MICRO);
        run(s -> s.usage().insertUsage(e1));
        StorageSnapshot before = snapshot();
        assertThrows(DuplicateKeyException.class, () -> run(s -> {
            s.usage().insertUsage(usage("a", "e2", "DBAAS", "UPTIME", "5", T0));
            s.usage().insertUsage(usage("a", "e1", "VM", "CPU", "2", T0));
        }));
        assertEquals(before, snapshot());
        run(s -> s.usage().insertUsage(usage("b", "e1", "VM", "CPU", "2", T0)));
        assertEquals(plain(e1), plain(storage.inTransaction(s -> s.usage().findUsage("a", "e1")).orElseThrow()));
        assertEquals("VM", storage.inTransaction(s -> s.usage().findUsage("b", "e1")).orElseThrow().offeringCode());
        assertTrue(storage.inTransaction(s -> s.usage().findUsage("a", "e2")).isEmpty());
        assertTrue(storage.inTransaction(s -> s.usage().findUsage("c", "e1")).isEmpty());
    }

    @Test
    void insertUsages_storesEveryEvent_andADuplicateUndoesTheWholeUnit() {
        List<UsageRecord> batch = new ArrayList<>();
        for (int i = 0; i < 1_200; i++) {
            batch.add(usage(i % 3 == 0 ? "b" : "a", "e" + i, "DBAAS", "UPTIME", "0.000001", MICRO));
        }
        run(s -> s.usage().insertUsages(batch));
        assertEquals(plain(batch.get(7)), plain(storage.inTransaction(s -> s.usage().findUsage("a", "e7")).orElseThrow()));
        assertEquals(plain(batch.get(1_199)), plain(storage.inTransaction(s -> s.usage().findUsage("a", "e1199")).orElseThrow()));
        assertEquals(0, dec("0.000800").compareTo(storage.inTransaction(s -> s.usage().sumUsage("a", T0, day(1))).get(0).quantity()));
        run(s -> s.usage().insertUsages(List.of()));
        StorageSnapshot before = snapshot();
        assertThrows(DuplicateKeyException.class, () -> run(s -> s.usage().insertUsages(List.of(
                usage("a", "new-1", "VM", "CPU", "2", T0), usage("a", "e5", "VM", "CPU", "2", T0),
                usage("a", "new-2", "VM", "CPU", "2", T0)))));
        assertEquals(before, snapshot(), "nothing of the refused batch is stored");
    }

    @Test
    void findUsageIds_findsTheTakenIdsOfOneNamespace_inBatchesOfAnySize() {
        List<UsageRecord> stored = new ArrayList<>();
        for (int i = 0; i < 700; i += 2) {
            stored.add(usage("a", "e" + i, "DBAAS", "UPTIME", "1", T0));
        }
        stored.add(usage("b", "e1", "DBAAS", "UPTIME", "1", T0));
        run(s -> s.usage().insertUsages(stored));
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            asked.add("e" + i);
        }
        asked.add("e0"); // asked twice
        Set<String> found = storage.inTransaction(s -> s.usage().findUsageIds("a", asked));
        assertEquals(350, found.size());
        assertTrue(found.stream().allMatch(id -> Integer.parseInt(id.substring(1)) % 2 == 0), found.toString());
        assertEquals(Set.of("e1"), storage.inTransaction(s -> s.usage().findUsageIds("b", List.of("e1", "e2", "E1"))));
        assertEquals(Set.of(), storage.inTransaction(s -> s.usage().findUsageIds("c", List.of("e0"))));
        assertEquals(Set.of(), storage.inTransaction(s -> s.usage().findUsageIds("a", List.of())));
        for (int n : new int[] {1, 2, 16, 17, 128, 129, 512, 513}) {
            assertEquals(n / 2 + n % 2, storage.inTransaction(s -> s.usage().findUsageIds("a", asked.subList(0, n))).size(),
                    "asking " + n + " ids");
        }
    }

    @Test
    void sumUsage_sumsExactly_overTheHalfOpenRange_perOfferingAndChargeType_inOrder() {
        Instant from = day(0);
        Instant to = day(31);
        run(s -> {
            s.usage().insertUsage(usage("a", "at-from", "DBAAS", "UPTIME", "0.1", from));
            s.usage().insertUsage(usage("a", "inside", "DBAAS", "UPTIME", "0.2", day(15)));
            s.usage().insertUsage(usage("a", "last-micro", "DBAAS", "STORAGE", "0.000001", to.minusNanos(1_000)));
            s.usage().insertUsage(usage("a", "at-to", "DBAAS", "UPTIME", "100", to));
            s.usage().insertUsage(usage("a", "before", "DBAAS", "UPTIME", "100", from.minusNanos(1_000)));
            s.usage().insertUsage(usage("a", "vm", "VM", "CPU", "7", day(3)));
            s.usage().insertUsage(usage("a", "apps", "APPS", "CALLS", "0", day(4)));
            s.usage().insertUsage(usage("b", "other-ns", "DBAAS", "UPTIME", "100", day(15)));
        });
        List<UsageSum> sums = storage.inTransaction(s -> s.usage().sumUsage("a", from, to));
        assertEquals(plainSums(List.of(
                        new UsageSum("APPS", "CALLS", BigDecimal.ZERO, 1),
                        new UsageSum("DBAAS", "STORAGE", dec("0.000001"), 1),
                        new UsageSum("DBAAS", "UPTIME", dec("0.3"), 2),
                        new UsageSum("VM", "CPU", dec("7"), 1))),
                plainSums(sums));
        assertEquals(0, dec("0.3").compareTo(sums.get(2).quantity()), "0.1 + 0.2 is exactly 0.3");
        assertEquals(List.of(), storage.inTransaction(s -> s.usage().sumUsage("a", day(40), day(41))));
        assertEquals(List.of(), storage.inTransaction(s -> s.usage().sumUsage("nobody", from, to)));
        assertEquals(plainSums(List.of(new UsageSum("DBAAS", "UPTIME", dec("100"), 1))),
                plainSums(storage.inTransaction(s -> s.usage().sumUsage("a", to, day(32)))));
    }

    @Test
    void usageTotals_areKeptPerPeriod_replaced_andDroppedForEveryOtherPeriodStartingBeforeTheNewOne() {
        List<UsageSum> march = List.of(new UsageSum("DBAAS", "UPTIME", dec("9999999999999999.999999"), 3),
                new UsageSum("VM", "CPU", BigDecimal.ZERO, 1));
        assertEquals(List.of(), storage.inTransaction(s -> s.usage().findUsageTotals("a", day(0), day(31))),
                "none kept yet");
        run(s -> {
            s.usage().putUsageTotals("a", day(0), day(31), march);
            s.usage().putUsageTotals("b", day(0), day(31), List.of(new UsageSum("VM", "CPU", dec("1"), 1)));
        });
        assertEquals(plainSums(march), plainSums(storage.inTransaction(s -> s.usage().findUsageTotals("a", day(0), day(31)))));
        assertEquals(List.of(), storage.inTransaction(s -> s.usage().findUsageTotals("a", day(0), day(30))),
                "a period with the same start and another end is another period");
        assertEquals(List.of(), storage.inTransaction(s -> s.usage().findUsageTotals("c", day(0), day(31))));

        List<UsageSum> more = List.of(new UsageSum("DBAAS", "UPTIME", dec("10000000000000000"), 4));
        run(s -> s.usage().putUsageTotals("a", day(0), day(31), more));
        assertEquals(plainSums(more), plainSums(storage.inTransaction(s -> s.usage().findUsageTotals("a", day(0), day(31)))),
                "replaced whole: the line not named again is gone");

        // April's totals drop March's (it starts before April ends), not b's; May's would not drop April's
        List<UsageSum> april = List.of(new UsageSum("VM", "CPU", dec("2"), 2));
        run(s -> s.usage().putUsageTotals("a", day(31), day(61), april));
        assertEquals(List.of(), storage.inTransaction(s -> s.usage().findUsageTotals("a", day(0), day(31))));
        assertEquals(plainSums(april), plainSums(storage.inTransaction(s -> s.usage().findUsageTotals("a", day(31), day(61)))));
        assertEquals(1, storage.inTransaction(s -> s.usage().findUsageTotals("b", day(0), day(31))).size());
        run(s -> s.usage().putUsageTotals("a", day(0), day(31), march));
        assertEquals(plainSums(april), plainSums(storage.inTransaction(s -> s.usage().findUsageTotals("a", day(31), day(61)))),
                "an earlier period's totals leave a later one's alone");
        // a period laid out differently that overlaps a kept one drops it
        run(s -> s.usage().putUsageTotals("a", day(15), day(45), more));
        assertEquals(List.of(), storage.inTransaction(s -> s.usage().findUsageTotals("a", day(0), day(31))));
        assertEquals(List.of(), storage.inTransaction(s -> s.usage().findUsageTotals("a", day(31), day(61))));
        assertEquals(plainSums(more), plainSums(storage.inTransaction(s -> s.usage().findUsageTotals("a", day(15), day(45)))));

        StorageSnapshot before = snapshot();
        assertThrows(IllegalStateException.class, () -> storage.inTransaction(s -> {
            s.usage().putUsageTotals("a", day(61), day(92), april);
            throw new IllegalStateException("boom");
        }));
        assertEquals(before, snapshot(), "a unit of work that fails keeps no totals");
    }

    // ---- commitments

    @Test
    void putCommitment_replacesByNamespaceAndId_listedById() {
        run(s -> {
            s.rating().putCommitment(commitment("a", "c2", "10"));
            s.rating().putCommitment(commitment("a", "c1", "5.5"));
            s.rating().putCommitment(commitment("b", "c0", "1"));
        });
        CommitmentRecord replaced = new CommitmentRecord("a", "c2", dec("12.3456"), dec("99999.9999"), "USD", MICRO);
        run(s -> s.rating().putCommitment(replaced));
        assertEquals(List.of(plain(commitment("a", "c1", "5.5")), plain(replaced)),
                storage.inTransaction(s -> s.rating().listCommitments("a")).stream().map(MeteringStorageContract::plain).toList());
        assertEquals(List.of("c0"), storage.inTransaction(s -> s.rating().listCommitments("b")).stream()
                .map(CommitmentRecord::id).toList());
        assertEquals(List.of(), storage.inTransaction(s -> s.rating().listCommitments("c")));
    }

    // ---- statements

    @Test
    void insertStatement_roundTripsTheStatementAndItsLines() {
        StatementRecord st = statement("st1", "a", MICRO, "tx-1");
        List<StatementLineRecord> lines = List.of(charge("st1", 0, "100.000001"), discount("st1", 1));
        run(s -> s.statements().insertStatement(st, lines));
        assertEquals(List.of(plain(st)), storage.inTransaction(s -> s.statements().listStatements("a")).stream()
                .map(MeteringStorageContract::plain).toList());
        assertEquals(lines.stream().map(MeteringStorageContract::plain).toList(),
                storage.inTransaction(s -> s.statements().listStatementLines("st1")).stream().map(MeteringStorageContract::plain).toList());
        StatementRecord free = statement("st0", "a", day(-30), null);
        run(s -> s.statements().insertStatement(free, List.of()));
        assertEquals(null, storage.inTransaction(s -> s.statements().listStatements("a")).get(1).transactionId());
        assertEquals(List.of(), storage.inTransaction(s -> s.statements().listStatementLines("st0")));
        assertEquals(List.of(), storage.inTransaction(s -> s.statements().listStatementLines("nothing")));
    }

    @Test
    void insertStatement_withATakenIdOrPeriod_isADuplicate_andTheUnitIsUndone() {
        run(s -> s.statements().insertStatement(statement("st1", "a", T0, "tx-1"), List.of(charge("st1", 0, "1"))));
        StorageSnapshot before = snapshot();
        List<Consumer<StorageSession>> duplicates = List.of(
                s -> s.statements().insertStatement(statement("st1", "b", day(40), null), List.of(charge("st1", 0, "2"))),
                s -> s.statements().insertStatement(statement("st2", "a", T0, null), List.of(charge("st2", 0, "2"))));
        for (Consumer<StorageSession> duplicate : duplicates) {
            assertThrows(DuplicateKeyException.class, () -> run(s -> {
                s.usage().insertUsage(usage("a", "e-" + System.nanoTime(), "DBAAS", "UPTIME", "1", T0));
                duplicate.accept(s);
            }));
            assertEquals(before, snapshot());
        }
        run(s -> s.statements().insertStatement(statement("st2", "b", T0, null), List.of()));
        assertEquals(1, storage.inTransaction(s -> s.statements().listStatements("b")).size());
    }

    @Test
    void listStatements_newestPeriodFirst_perNamespace() {
        run(s -> {
            s.statements().insertStatement(statement("st-feb", "a", day(31), null), List.of());
            s.statements().insertStatement(statement("st-apr", "a", day(91), null), List.of());
            s.statements().insertStatement(statement("st-mar", "a", day(60), null), List.of());
            s.statements().insertStatement(statement("st-b", "b", day(60), null), List.of());
        });
        assertEquals(List.of("st-apr", "st-mar", "st-feb"), storage.inTransaction(s -> s.statements().listStatements("a")).stream()
                .map(StatementRecord::id).toList());
    }

    // ---- compare-and-set under contention

    @Test
    void concurrentRenewalsOfOnePeriod_exactlyOneWins() throws Exception {
        Instant end = day(30);
        run(s -> s.subscriptions().insertSubscription(subscription("s1", T0, end, "active")));
        for (int round = 0; round < 10; round++) {
            Instant start = day(30 * round);
            Instant periodEnd = day(30 * (round + 1));
            Instant nextEnd = day(30 * (round + 2));
            long revision = round;
            int won = race(8, (s, thread) -> s.subscriptions().replaceSubscription(new SubscriptionRecord("s1", "a", "plan", "aws",
                    periodEnd, nextEnd, "active", "t-" + thread), revision));
            assertEquals(1, won, "round " + round + " from " + start);
            SubscriptionRecord stored = storage.inTransaction(s -> s.subscriptions().listSubscriptions("a")).get(0);
            assertEquals(nextEnd, stored.periodEnd());
        }
    }

    @Test
    void concurrentClosingsOfOnePeriod_exactlyOneWins() throws Exception {
        run(s -> s.profiles().insertBillingProfile(profile("a", null, T0, day(30))));
        for (int round = 0; round < 10; round++) {
            Instant periodStart = day(30 * round);
            int won = race(8, (s, thread) -> s.profiles().replaceBillingProfile(profile("a", null, periodStart.plusSeconds(
                    86_400L * 30), periodStart.plusSeconds(86_400L * 60)), periodStart));
            assertEquals(1, won, "round " + round);
            assertEquals(day(30 * (round + 1)), storage.inTransaction(s -> s.profiles().findBillingProfile("a")).orElseThrow()
                    .periodStart());
        }
    }

    // ---- all together

    @Test
    void workThatThrows_afterWritingEveryMeteringTable_leavesNothing() {
        run(s -> {
            s.subscriptions().insertSubscription(subscription("s1", T0, day(30), "active"));
            s.profiles().insertBillingProfile(profile("a", null, T0, day(31)));
            s.rating().putRate(rate("DBAAS", "UPTIME", "2024-01-01", tier(null, "1")));
        });
        StorageSnapshot before = snapshot();
        assertThrows(IllegalStateException.class, () -> storage.inTransaction(s -> {
            s.rating().putRate(rate("DBAAS", "UPTIME", "2024-01-01", tier("5", "2"), tier(null, "1")));
            s.rating().putRate(rate("VM", "CPU", "2024-01-01", tier(null, "1")));
            s.subscriptions().replaceSubscription(subscription("s1", day(30), day(60), "active"), 0);
            s.profiles().replaceBillingProfile(profile("a", null, day(31), day(62)), T0);
            s.profiles().insertBillingProfile(profile("b", "a", T0, day(31)));
            s.usage().insertUsage(usage("a", "e1", "DBAAS", "UPTIME", "1", T0));
            s.rating().putCommitment(commitment("a", "c1", "10"));
            s.statements().insertStatement(statement("st1", "a", T0, null), List.of(charge("st1", 0, "1")));
            throw new IllegalStateException("boom");
        }));
        assertEquals(before, snapshot());
    }

    @Test
    void snapshot_holdsTheMeteringLists_inTheirDocumentedOrders() {
        run(s -> {
            s.rating().putRate(rate("VM", "CPU", "2024-01-01", tier(null, "1")));
            s.rating().putRate(rate("DBAAS", "UPTIME", "2024-01-01", tier("10", "2"), tier(null, "1")));
            s.profiles().insertBillingProfile(profile("b", "a", T0, day(31)));
            s.profiles().insertBillingProfile(profile("a", null, T0, day(31)));
            s.usage().insertUsage(usage("b", "e1", "VM", "CPU", "1", T0));
            s.usage().insertUsage(usage("a", "e2", "VM", "CPU", "1", T0));
            s.usage().insertUsage(usage("a", "e1", "VM", "CPU", "0.5", T0));
            s.rating().putCommitment(commitment("b", "c1", "1"));
            s.rating().putCommitment(commitment("a", "c2", "1"));
            s.rating().putCommitment(commitment("a", "c1", "1"));
            s.statements().insertStatement(statement("st-b", "b", T0, null), List.of(charge("st-b", 0, "1")));
            s.statements().insertStatement(statement("st-a2", "a", day(31), null), List.of(charge("st-a2", 0, "1")));
            s.statements().insertStatement(statement("st-a1", "a", T0, null),
                    List.of(charge("st-a1", 0, "1"), charge("st-a1", 1, "2"), discount("st-a1", 2)));
        });
        StorageSnapshot snap = snapshot();
        assertEquals(List.of("DBAAS/UPTIME/2024-01-01", "VM/CPU/2024-01-01"), keys(snap.rates()));
        assertEquals(2, snap.rates().get(0).tiers().size());
        assertEquals(List.of("a", "b"), namespaces(snap.billingProfiles()));
        assertEquals(List.of("a/e1", "a/e2", "b/e1"), snap.usage().stream().map(u -> u.namespace() + "/" + u.eventId()).toList());
        assertEquals(List.of("a/c1", "a/c2", "b/c1"), snap.commitments().stream().map(c -> c.namespace() + "/" + c.id()).toList());
        assertEquals(List.of("st-a1", "st-a2", "st-b"), snap.statements().stream().map(StatementRecord::id).toList());
        assertEquals(List.of("st-a1/0", "st-a1/1", "st-a1/2", "st-a2/0", "st-b/0"),
                snap.statementLines().stream().map(l -> l.statementId() + "/" + l.lineNo()).toList());
        assertEquals(plain(usage("a", "e1", "VM", "CPU", "0.5", T0)), plain(snap.usage().get(0)));
        assertEquals(plain(discount("st-a1", 2)), plain(snap.statementLines().get(2)));
    }
}
