package dev.billing.test;

import dev.billing.core.BillingEngine;
import dev.billing.core.DueRun;
import dev.billing.core.IdGenerator;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.Region;
import dev.billing.core.charges.Rate;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.core.subscriptions.SubscriptionPolicy;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.SnapshotSource;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.SubscriptionRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An engine for one test, built in one line: in-memory storage, a {@link TestClock} as its only clock,
 * readable ids ({@code id-1}, {@code id-2}, ...), and the catalog the test gives. Time travel walks the
 * engine through the months the way production does, running {@link BillingEngine#runDue()} at every
 * moment something falls due.
 *
 * <pre>{@code
 * try (BillingFixture billing = BillingFixture.builder()
 *         .start("2026-01-15T10:00:00Z")
 *         .region(Region.available("eu-1", "Europe"))
 *         .plan(Plan.of("small", "C", Money.of(20, "EUR"), PlanTerm.MONTHLY, "1 CPU", "eu-1"))
 *         .build()) {
 *     BillingEngine engine = billing.engine();
 *     engine.wallet().recharge("acme", Money.of(100, "EUR"), "r-1");
 *     engine.subscriptions().checkout("acme", "small", "eu-1", "c-1");
 *     billing.travel(Period.ofMonths(3));   // three renewals, three statements
 *     BillingAssertions.assertLedgerBalanced(engine);
 * }
 * }</pre>
 *
 * <p>A catalog kept in the server's JSON file is applied with {@code catalog(e -> CatalogFile.apply(path, e))}
 * ({@code dev.billing.http.CatalogFile}, in {@code billing-http}). Any other storage, such as H2 in memory
 * ({@code JdbiStorage.h2InMemory(name)}, in {@code billing-jdbc}), is given with {@link Builder#storage}.
 *
 * <p>Not thread-safe as a whole (a test drives it); the engine and clock it holds are.
 */
public final class BillingFixture implements AutoCloseable {

    /** Where a fixture's clock starts unless told: {@value}. */
    public static final String DEFAULT_START = "2026-01-01T00:00:00Z";

    /** How far time travel steps when the storage cannot show what falls due (not a {@link SnapshotSource}). */
    static final Duration BLIND_STEP = Duration.ofHours(1);

    private final BillingStorage storage;
    private final TestClock clock;
    private final BillingEngine engine;
    private final EventCapture events;

    private BillingFixture(BillingStorage storage, TestClock clock, BillingEngine engine, EventCapture events) {
        this.storage = storage;
        this.clock = clock;
        this.engine = engine;
        this.events = events;
    }

    /** The consumer name under which {@link #events()} listens. */
    public static final String EVENT_CONSUMER = "billing-test";
    /** The most due runs a catch-up makes at one instant (a subscription years behind its clock). */
    private static final int MAX_CATCH_UP_RUNS = 10_000;

    /** @return a fixture with every default: in-memory storage, the clock at {@link #DEFAULT_START}, no catalog */
    public static BillingFixture inMemory() {
        return builder().build();
    }

    /** @return a builder with every default */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the engine under test */
    public BillingEngine engine() {
        return engine;
    }

    /** @return the engine's clock */
    public TestClock clock() {
        return clock;
    }

    /**
     * @return every event the engine delivered since the fixture was built (or since it was last
     *     cleared), as a host's listener would have received them: subscribed as {@value #EVENT_CONSUMER}
     *     before the catalog was defined
     */
    public EventCapture events() {
        return events;
    }

    /** @return the engine's storage */
    public BillingStorage storage() {
        return storage;
    }

    /** @return what {@link BillingEngine#runDue()} did, run now */
    public DueRun runDue() {
        return engine.runDue();
    }

    /**
     * Moves the clock forward by a period in the engine's zone (months end where the calendar says),
     * stopping at every moment something falls due on the way (a billing period's end, a subscription's
     * end or early renewal, the end of its grace, its next notification, a pending payment's expiry) to
     * run {@link BillingEngine#runDue()} there, then at the end (unless it just ran there); as a
     * server that runs its due work every moment would have. When the clock was moved past due work
     * without running it ({@link TestClock#advance}, say), it first catches up at "now", running
     * {@code runDue} until a run closes, renews and ends nothing (a server restarted after a while does
     * the same, one period per subscription per run).
     *
     * @param period how far, such as {@code Period.ofMonths(3)}; zero or more
     * @return what each due run did, in order
     * @throws IllegalArgumentException when {@code period} is negative
     */
    public List<DueRun> travel(Period period) {
        if (period.isNegative()) {
            throw new IllegalArgumentException("time travel only goes forward: " + period);
        }
        return travelTo(clock.instant().atZone(engine.zone()).plus(period).toInstant());
    }

    /**
     * Moves the clock forward by a duration, as {@link #travel(Period)} does.
     *
     * @param duration how far; zero or more
     * @return what each due run did, in order
     * @throws IllegalArgumentException when {@code duration} is negative
     */
    public List<DueRun> travel(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time travel only goes forward: " + duration);
        }
        return travelTo(clock.instant().plus(duration));
    }

    /**
     * Moves the clock forward to an instant, as {@link #travel(Period)} does.
     *
     * @param target "now" at the end, not before the current "now"
     * @return what each due run did, in order
     * @throws IllegalArgumentException when {@code target} is before "now"
     */
    public List<DueRun> travelTo(Instant target) {
        if (target.isBefore(clock.instant())) {
            throw new IllegalArgumentException("time travel only goes forward: it is " + clock.instant() + ", not "
                    + target);
        }
        List<DueRun> runs = new ArrayList<>();
        if (overdue()) {
            // the clock was moved past due work without running it (TestClock.advance, say): a server
            // restarted after a while catches up run after run, each renewing one period
            DueRun run;
            int guard = 0;
            do {
                run = engine.runDue();
                runs.add(run);
            } while (run.statements() + run.renewals() + run.expired() > 0 && ++guard < MAX_CATCH_UP_RUNS);
        }
        for (Optional<Instant> next = nextDue(); next.isPresent() && !next.get().isAfter(target); next = nextDue()) {
            clock.advanceTo(next.get());
            runs.add(engine.runDue());
        }
        if (runs.isEmpty() || !runs.get(runs.size() - 1).at().equals(target)) {
            clock.advanceTo(target);
            runs.add(engine.runDue());
        }
        return runs;
    }

    /**
     * @return whether something fell due at or before now that no due run has done: a billing period
     *     ended, a subscription to renew or end, a pending payment to expire (never, on a storage it cannot
     *     see: its hourly steps run it soon enough)
     */
    private boolean overdue() {
        Instant now = clock.instant();
        if (!(storage instanceof SnapshotSource source)) {
            return false;
        }
        StorageSnapshot s = source.snapshot();
        SubscriptionPolicy policy = engine.subscriptionPolicy();
        java.util.Set<String> retired = new java.util.HashSet<>();
        s.plans().stream().filter(p -> !p.status().equals("available")).forEach(p -> retired.add(p.id()));
        return s.billingProfiles().stream().anyMatch(p -> !p.periodEnd().isAfter(now))
                || s.subscriptions().stream().anyMatch(sub -> sub.status().equals("past_due") && sub.graceUntil() != null
                        && !sub.graceUntil().isAfter(now))
                || s.subscriptions().stream().anyMatch(sub -> sub.status().equals("active")
                        && (!sub.periodEnd().isAfter(now)
                                // a renewal not yet attempted (a failed one is retried at its next notification)
                                || !sub.cancelAtPeriodEnd() && !retired.contains(sub.planId()) && sub.notifiedAt() == null
                                        && !policy.renewsAt(sub.periodStart(), sub.periodEnd()).isAfter(now)))
                || s.payments().stream().anyMatch(p -> p.status().equals("pending") && !p.expiresAt().isAfter(now));
    }

    /** @return the first moment after now at which something falls due, if any */
    private Optional<Instant> nextDue() {
        Instant now = clock.instant();
        if (!(storage instanceof SnapshotSource source)) {
            return Optional.of(now.plus(BLIND_STEP));
        }
        StorageSnapshot s = source.snapshot();
        Instant next = null;
        for (BillingProfileRecord p : s.billingProfiles()) {
            next = earlier(next, now, p.periodEnd());
        }
        SubscriptionPolicy policy = engine.subscriptionPolicy();
        for (SubscriptionRecord sub : s.subscriptions()) {
            if (!sub.status().equals("active") && !sub.status().equals("past_due")) {
                continue;
            }
            next = earlier(next, now, sub.periodEnd());
            // a renewal attempted early, its grace's end, the next notification of a failing one
            next = earlier(next, now, policy.renewsAt(sub.periodStart(), sub.periodEnd()));
            if (sub.graceUntil() != null) {
                next = earlier(next, now, sub.graceUntil());
            }
            if (sub.notifiedAt() != null) {
                next = earlier(next, now, sub.notifiedAt().plus(policy.notificationInterval()));
            }
        }
        for (dev.billing.spi.PaymentRecord p : s.payments()) {
            if (p.status().equals("pending")) {
                next = earlier(next, now, p.expiresAt());
            }
        }
        return Optional.ofNullable(next);
    }

    private static Instant earlier(Instant best, Instant now, Instant candidate) {
        if (!candidate.isAfter(now)) {
            return best;
        }
        return best == null || candidate.isBefore(best) ? candidate : best;
    }

    /**
     * Checks what every test's books must satisfy: {@link BillingAssertions#assertLedgerBalanced} and, for
     * every account the storage shows (a {@link SnapshotSource}), {@link BillingAssertions#assertBalanceMatchesLedger}.
     *
     * @throws AssertionError when one does not hold
     */
    public void assertInvariants() {
        BillingAssertions.assertLedgerBalanced(engine);
        if (storage instanceof SnapshotSource source) {
            source.snapshot().accounts().forEach(a -> BillingAssertions.assertBalanceMatchesLedger(engine, a.namespace()));
        }
    }

    /** Closes the storage. */
    @Override
    public void close() {
        storage.close();
    }

    /** Builds a {@link BillingFixture}; every setting has a default. Not thread-safe. */
    public static final class Builder {
        private BillingStorage storage;
        private TestClock clock;
        private Instant start = Instant.parse(DEFAULT_START);
        private ZoneId zone = ZoneOffset.UTC;
        private Period billingCycle;
        private SubscriptionPolicy policy;
        private IdGenerator ids;
        private Duration eventRetention;
        private final List<Consumer<BillingEngine>> catalog = new ArrayList<>();

        private Builder() {
        }

        /**
         * @param storage the storage, empty or not; the fixture closes it. Default: a new {@link InMemoryStorage}
         * @return this builder
         */
        public Builder storage(BillingStorage storage) {
            this.storage = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /**
         * @param start where the clock starts (ignored when a {@link #clock} is given); default {@link #DEFAULT_START}
         * @return this builder
         */
        public Builder start(Instant start) {
            this.start = Objects.requireNonNull(start, "start");
            return this;
        }

        /**
         * @param isoInstant where the clock starts, such as {@code 2026-01-15T10:00:00Z}
         * @return this builder
         */
        public Builder start(String isoInstant) {
            return start(Instant.parse(isoInstant));
        }

        /**
         * @param clock the clock to use, for a test that made its own; default a new one at {@link #start}
         * @return this builder
         */
        public Builder clock(TestClock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param zone the zone the engine lays billing periods out in (months end where its calendar says); default UTC
         * @return this builder
         */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /**
         * @param policy how the engine renews, dunns and cancels subscriptions (default
         *     {@link SubscriptionPolicy#DEFAULT})
         * @return this builder
         */
        public Builder policy(SubscriptionPolicy policy) {
            this.policy = java.util.Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * @param retention how long the engine's due runs keep events ({@link BillingEngine.Builder#eventRetention});
         *     default: kept until pruned
         * @return this builder
         */
        public Builder eventRetention(Duration retention) {
            this.eventRetention = Objects.requireNonNull(retention, "retention");
            return this;
        }

        /**
         * @param cycle the billing cycle of new accounts; default the engine's ({@code P1M})
         * @return this builder
         */
        public Builder billingCycle(Period cycle) {
            this.billingCycle = Objects.requireNonNull(cycle, "cycle");
            return this;
        }

        /**
         * @param ids how transactions and subscriptions are named; default {@code IdGenerator.sequential("id-")}
         * @return this builder
         */
        public Builder ids(IdGenerator ids) {
            this.ids = Objects.requireNonNull(ids, "ids");
            return this;
        }

        /**
         * @param region a region to define before the test
         * @return this builder
         */
        public Builder region(Region region) {
            Objects.requireNonNull(region, "region");
            return catalog(e -> e.catalog().defineRegion(region));
        }

        /**
         * @param plan a plan to define before the test, after the regions given before it
         * @return this builder
         */
        public Builder plan(Plan plan) {
            Objects.requireNonNull(plan, "plan");
            return catalog(e -> e.catalog().definePlan(plan));
        }

        /**
         * @param rate a usage rate to define before the test
         * @return this builder
         */
        public Builder rate(Rate rate) {
            Objects.requireNonNull(rate, "rate");
            return catalog(e -> e.charges().defineRate(rate));
        }

        /**
         * @param definition anything that defines catalog entries on the new engine, run in the order given,
         *     such as {@code e -> CatalogFile.apply(path, e)}; its unchecked exceptions fail {@link #build()}
         * @return this builder
         */
        public Builder catalog(CatalogDefinition definition) {
            Objects.requireNonNull(definition, "definition");
            this.catalog.add(e -> {
                try {
                    definition.define(e);
                } catch (Exception ex) {
                    throw new IllegalStateException("the catalog could not be defined: " + ex.getMessage(), ex);
                }
            });
            return this;
        }

        /**
         * @return the fixture: its engine on the storage, the catalog defined
         * @throws RuntimeException what defining the catalog threw; the storage is closed then
         */
        public BillingFixture build() {
            BillingStorage s = storage != null ? storage : InMemoryStorage.create();
            TestClock c = clock != null ? clock : TestClock.at(start, zone);
            try {
                BillingEngine.Builder b = BillingEngine.builder().storage(s).clock(c).zone(zone)
                        .idGenerator(ids != null ? ids : IdGenerator.sequential("id-"));
                if (billingCycle != null) {
                    b.billingCycle(billingCycle);
                }
                if (policy != null) {
                    b.subscriptionPolicy(policy);
                }
                if (eventRetention != null) {
                    b.eventRetention(eventRetention);
                }
                BillingEngine engine = b.build();
                EventCapture events = new EventCapture();
                engine.events().subscribe(EVENT_CONSUMER, events);
                catalog.forEach(d -> d.accept(engine));
                return new BillingFixture(s, c, engine, events);
            } catch (RuntimeException | Error e) {
                s.close();
                throw e;
            }
        }
    }

    /** Defines catalog entries on a new engine; may throw, as reading a file does. */
    @FunctionalInterface
    public interface CatalogDefinition {
        /**
         * @param engine the fixture's engine
         * @throws Exception what defining failed with
         */
        void define(BillingEngine engine) throws Exception;
    }
}
