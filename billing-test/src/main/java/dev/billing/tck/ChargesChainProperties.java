package dev.billing.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.billing.test.TestClock;

import dev.billing.core.BillingEngine;
import dev.billing.core.BillingException;
import dev.billing.core.DueRun;
import dev.billing.core.ErrorCode;
import dev.billing.core.IdGenerator;
import dev.billing.core.accounts.BillingPeriod;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.charges.ChargeCategory;
import dev.billing.core.charges.ChargeLine;
import dev.billing.core.charges.Commitment;
import dev.billing.core.charges.EstimatedCharges;
import dev.billing.core.charges.Statement;
import dev.billing.core.usage.IngestResult;
import dev.billing.core.usage.IngestStatus;
import dev.billing.core.usage.UsageEvent;
import dev.billing.spi.BillingStorage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.money.MonetaryAmount;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import net.jqwik.api.statistics.Statistics;
import org.javamoney.moneta.Money;

/**
 * A stateful property of metering and the wallet together: action chains of usage ingestion,
 * recharges, checkouts, clock advances (to period ends, month ends, by days) and {@code runDue}, with
 * the books checked after every action. The account opens on 2016-01-31 (a month end, in a leap year),
 * so periods end on the last day of shorter months. Written once for every storage: extend it and
 * implement {@link #newStorage()}.
 */
public abstract class ChargesChainProperties {

    private static final Instant OPENED = Instant.parse("2016-01-31T10:00:00Z");
    private static final List<List<String>> OFFERINGS = List.of(List.of("DBAAS", "UPTIME"),
            List.of("MAAS", "NUM_CHKS_HRS"), List.of("CSITES", "COMPUTE_CYCLE_OVERAGE"), List.of("RCDN", "BWOUT"));

    /** @return a new, empty storage */
    protected abstract BillingStorage newStorage();

    /** The engine under test and what the test knows independently: every unit of usage it accepted. */
    static final class Metered {
        final BillingStorage storage;
        final TestClock clock = TestClock.at(OPENED, ZoneOffset.UTC);
        final BillingEngine engine;
        final List<UsageEvent> sent = new ArrayList<>();
        BigDecimal accepted = BigDecimal.ZERO;
        int events;
        int keys;

        Metered(BillingStorage storage) {
            this.storage = storage;
            this.engine = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC)
                    .idGenerator(IdGenerator.random()).build();
            ChargesContract.defineRateCard(engine);
            engine.catalog().defineRegion(dev.billing.core.catalog.Region.available("us", "US"));
            engine.catalog().definePlan(dev.billing.core.catalog.Plan.of("box", "C", Money.of(new BigDecimal("3.00"), "USD"),
                    dev.billing.core.catalog.PlanTerm.MONTHLY, "1 CPU Core, 512M Memory", "us"));
            engine.accounts().openAccount("ran", ChargesContract.USD, "open");
        }

        void ingest(int offering, BigDecimal quantity, long secondsBack) {
            Instant at = clock.instant().minusSeconds(secondsBack);
            if (at.isBefore(OPENED)) {
                at = OPENED;
            }
            List<String> o = OFFERINGS.get(offering);
            UsageEvent e = new UsageEvent("e" + (++events), "ran", o.get(0), o.get(1), quantity, at);
            record(e);
        }

        void resend(int index) {
            record(sent.get(index));
        }

        private void record(UsageEvent e) {
            IngestResult r = engine.usage().ingestBatch(List.of(e)).get(0);
            if (r.status() == IngestStatus.ACCEPTED) {
                accepted = accepted.add(e.quantity());
            }
            sent.add(e);
            Statistics.label("ingest").collect(r.status());
        }

        void recharge(int amount) {
            engine.wallet().recharge("ran", Money.of(BigDecimal.valueOf(amount), "USD"), "r" + (++keys));
        }

        void checkout() {
            try {
                engine.subscriptions().checkout("ran", "box", "us", "c" + (++keys));
                Statistics.label("checkout").collect("bought");
            } catch (BillingException e) {
                Statistics.label("checkout").collect(e.code());
            }
        }

        void changeCycle(java.time.Period cycle, java.time.ZoneId zone) {
            try {
                engine.accounts().setBillingCycle("ran", cycle, zone);
                Statistics.label("cycle change").collect("pending");
            } catch (BillingException e) {
                assertEquals(dev.billing.core.ErrorCode.PERIOD_NOT_CLOSED, e.code(), e.getMessage());
                Statistics.label("cycle change").collect(e.code());
            }
        }

        void commit(int percent, int threshold) {
            engine.charges().defineCommitment("ran", new dev.billing.core.charges.Commitment("c" + (++keys),
                    BigDecimal.valueOf(percent), Money.of(BigDecimal.valueOf(threshold), "USD"),
                    clock.instant().plus(Duration.ofDays(60))));
        }

        void advance(Advance how) {
            Instant now = clock.instant();
            BillingPeriod open = engine.accounts().billingProfile("ran").openPeriod();
            Instant to = switch (how) {
                case HOUR -> now.plus(Duration.ofHours(1));
                case DAYS -> now.plus(Duration.ofDays(9));
                case PERIOD_END -> open.end().isAfter(now) ? open.end() : now.plusSeconds(1);
                case JUST_BEFORE_PERIOD_END -> open.end().minusSeconds(1).isAfter(now) ? open.end().minusSeconds(1)
                        : now.plusSeconds(1);
                case MONTH_END -> {
                    YearMonth m = YearMonth.from(now.atZone(ZoneOffset.UTC));
                    Instant last = m.atEndOfMonth().atTime(23, 59, 59).toInstant(ZoneOffset.UTC);
                    yield last.isAfter(now) ? last : m.plusMonths(1).atEndOfMonth().atTime(23, 59, 59)
                            .toInstant(ZoneOffset.UTC);
                }
            };
            clock.set(to);
        }

        void runDue() {
            DueRun run = engine.runDue();
            assertTrue(run.failures().isEmpty(), run.toString());
            Statistics.label("closed").collect(run.statements() > 0);
            Statistics.label("arrears").collect(run.arrears() > 0);
        }

        /** The books after every action. */
        void checkInvariants() {
            MonetaryAmount balance = engine.wallet().balance("ran").amount();
            assertTrue(engine.wallet().trialBalance().values().stream().allMatch(MonetaryAmount::isZero),
                    "ledger balanced: " + engine.wallet().trialBalance());
            assertEquals(balance, engine.wallet().ledgerBalance("ran"), "balance = sum of the wallet's postings");
            storage.inTransaction(s -> {
                assertEquals(0, s.accounts().findAccount("ran").orElseThrow().debt()
                        .compareTo(s.ledger().sumPostings("receivable:ran").negate()), "debt = what the receivable holds");
                return null;
            });
            assertTrue(!balance.isNegative(), "balance never negative: " + balance);
            BigDecimal closed = BigDecimal.ZERO;
            List<Statement> statements = engine.charges().statements("ran");
            for (int i = 0; i < statements.size(); i++) {
                Statement st = statements.get(i);
                BigDecimal lines = st.lines().stream().map(l -> exact(l.amount())).reduce(BigDecimal.ZERO, BigDecimal::add);
                assertEquals(0, lines.compareTo(exact(st.totals().chargeTotal())), "statement chargeTotal = sum of its lines");
                assertEquals(0, lines.compareTo(exact(st.totals().total())), "statement total = sum of its lines (no descendants)");
                closed = closed.add(quantities(st.lines()));
                if (i > 0) {
                    assertEquals(st.period().end(), statements.get(i - 1).period().start(), "periods are contiguous");
                }
            }
            BillingPeriod open = engine.accounts().billingProfile("ran").openPeriod();
            EstimatedCharges estimate = engine.charges().estimatedCharges("ran", null, null, 0, 1000);
            BigDecimal counted = closed.add(quantities(estimate.lines()));
            if (open.end().isAfter(clock.instant())) {
                assertEquals(0, accepted.compareTo(counted),
                        "usage counted once: statements " + closed + " + estimate " + quantities(estimate.lines())
                                + " = " + counted + ", accepted " + accepted);
                Statistics.label("usage check").collect("exact");
            } else {
                // closing lags: the ended open period is in neither until runDue closes it
                assertTrue(counted.compareTo(accepted) <= 0, "usage counted at most once: " + counted + " > " + accepted);
                Statistics.label("usage check").collect("lagging");
            }
        }

        private static BigDecimal quantities(List<ChargeLine> lines) {
            return lines.stream().filter(l -> l.category() == ChargeCategory.CHARGE).map(ChargeLine::quantity)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        private static BigDecimal exact(MonetaryAmount a) {
            return a.getNumber().numberValueExact(BigDecimal.class);
        }
    }

    /** How the clock moves. */
    enum Advance { HOUR, DAYS, PERIOD_END, JUST_BEFORE_PERIOD_END, MONTH_END }

    @Property
    void booksStayExact_andUsageCountsOnce(@ForAll("chains") ActionChain<Metered> chain) {
        Metered last = chain.withInvariant("books exact, usage counted once", Metered::checkInvariants).run();
        Statistics.label("statements").collect(Math.min(3, last.engine.charges().statements("ran").size()));
        if (checksCoverage()) {
            Statistics.label("closed").coverage(c -> c.check(true).percentage(p -> p > 5));
        }
        if (checksCoverage()) {
            Statistics.label("usage check").coverage(c -> c.check("exact").percentage(p -> p > 30));
        }
        if (checksCoverage()) {
            Statistics.label("ingest").coverage(c -> {
                c.check(IngestStatus.DUPLICATE).percentage(p -> p > 1);
                c.check(IngestStatus.REJECTED).percentage(p -> p > 0);
            });
        }
        last.storage.close();
    }

    @Provide
    Arbitrary<ActionChain<Metered>> chains() {
        return ActionChain.<Metered>startWith(() -> new Metered(newStorage()))
                .withAction(5, ingest())
                .withAction(1, resend())
                .withAction(2, recharge())
                .withAction(1, checkout())
                .withAction(3, advance())
                .withAction(2, runDue())
                .withAction(1, changeCycle())
                .withAction(1, commit())
                .withMaxTransformations(30);
    }

    private static Action.Independent<Metered> ingest() {
        Arbitrary<BigDecimal> quantity = Arbitraries.oneOf(
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("500")).ofScale(3),
                Arbitraries.integers().between(0, 5000).map(BigDecimal::valueOf));
        return () -> Combinators.combine(Arbitraries.integers().between(0, OFFERINGS.size() - 1), quantity,
                Arbitraries.longs().between(0, 7200))
                .as((o, q, back) -> Transformer.mutate("ingest " + OFFERINGS.get(o) + " " + q + " " + back + "s ago",
                        (Metered m) -> m.ingest(o, q, back)));
    }

    /** Sends an event again: a duplicate, or rejected again. */
    private static Action.Dependent<Metered> resend() {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(Metered m) {
                return !m.sent.isEmpty();
            }

            @Override
            public Arbitrary<Transformer<Metered>> transformer(Metered m) {
                return Arbitraries.integers().between(0, m.sent.size() - 1)
                        .map(i -> Transformer.mutate("resend " + i, (Metered x) -> x.resend(i)));
            }
        };
    }

    /** A new billing cycle (in UTC or Shanghai) from the next period, or refused while a period awaits runDue. */
    private static Action.Independent<Metered> changeCycle() {
        return () -> Combinators.combine(Arbitraries.of(java.time.Period.ofMonths(1), java.time.Period.ofDays(7),
                        java.time.Period.ofMonths(3), java.time.Period.ofYears(1)),
                        Arbitraries.of(ZoneOffset.UTC, java.time.ZoneId.of("Asia/Shanghai")))
                .as((c, z) -> Transformer.mutate("cycle " + c + " " + z, (Metered m) -> m.changeCycle(c, z)));
    }

    /** A commit discount "P% off spending over X" from now for 60 days. */
    private static Action.Independent<Metered> commit() {
        return () -> Combinators.combine(Arbitraries.integers().between(1, 50), Arbitraries.integers().between(0, 300))
                .as((p, x) -> Transformer.mutate("commit " + p + "% over " + x, (Metered m) -> m.commit(p, x)));
    }

    private static Action.Independent<Metered> recharge() {
        return () -> Arbitraries.integers().between(1, 60)
                .map(a -> Transformer.mutate("recharge " + a, (Metered m) -> m.recharge(a)));
    }

    private static Action.Independent<Metered> checkout() {
        return () -> Arbitraries.just(Transformer.mutate("checkout", Metered::checkout));
    }

    private static Action.Independent<Metered> advance() {
        return () -> Arbitraries.of(Advance.class)
                .map(a -> Transformer.mutate("advance " + a, (Metered m) -> m.advance(a)));
    }

    private static Action.Independent<Metered> runDue() {
        return () -> Arbitraries.just(Transformer.mutate("runDue", Metered::runDue));
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
