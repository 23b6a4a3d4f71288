package dev.billing.tck;

import static dev.billing.tck.World.cny;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.core.InsufficientFundsException;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.charges.Rate;
import dev.billing.core.charges.Statement;
import dev.billing.core.usage.IngestResult;
import dev.billing.core.usage.IngestStatus;
import dev.billing.core.usage.UsageEvent;
import dev.billing.core.wallet.Balance;
import dev.billing.core.wallet.Transaction;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.core.wallet.TransactionPage;
import dev.billing.spi.BillingStorage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.money.Monetary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many threads on one namespace: no lost update, no overdraft, no double application of a key.
 * Written once for every storage: extend it and implement {@link #newStorage()}.
 */
public abstract class ConcurrencyContract {

    /** How many threads race in each test. */
    protected static final int THREADS = 8;
    /** The engine and its storage under test, new for each test. */
    protected World world;

    /** @return a new, empty storage; the contract closes it */
    protected abstract BillingStorage newStorage();

    /** @return how many rounds each thread runs */
    protected int rounds() {
        return 60;
    }

    @BeforeEach
    void setUpWorld() {
        world = new World(newStorage());
    }

    @AfterEach
    void closeWorld() {
        world.close();
    }

    private <T> List<T> race(int threads, Callable<T> body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return body.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** VM/UPTIME at 1 CNY an hour, in force since 2000: each ingested unit charges 1 CNY. */
    private void defineUptimeRate() {
        world.engine.charges().defineRate(Rate.flat("VM", "UPTIME", "HRS", BigDecimal.ONE, Monetary.getCurrency("CNY"),
                LocalDate.of(2000, 1, 1)));
    }

    @Test
    void rechargesAndCheckouts_onOneNamespace_areExact() throws Exception {
        var engine = world.engine;
        engine.wallet().recharge("shared", cny("0.01"), "open");
        AtomicInteger thread = new AtomicInteger();
        AtomicInteger bought = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        race(THREADS, () -> {
            int t = thread.incrementAndGet();
            for (int i = 0; i < rounds(); i++) {
                engine.wallet().recharge("shared", cny("7.00"), "r-" + t + "-" + i);
                try {
                    engine.subscriptions().checkout("shared", World.SMALL, "aws", "c-" + t + "-" + i);
                    bought.incrementAndGet();
                } catch (InsufficientFundsException e) {
                    refused.incrementAndGet();
                }
            }
            return null;
        });
        int recharges = THREADS * rounds();
        BigDecimal expected = new BigDecimal("0.01").add(new BigDecimal("7.00").multiply(BigDecimal.valueOf(recharges)))
                .subtract(new BigDecimal("20.00").multiply(BigDecimal.valueOf(bought.get())));
        Balance balance = engine.wallet().balance("shared");
        assertEquals(0, expected.compareTo(balance.amount().getNumber().numberValueExact(BigDecimal.class)),
                "balance " + balance + " expected " + expected);
        assertTrue(balance.amount().signum() >= 0, "the balance went below zero: " + balance);
        assertEquals(balance.amount(), engine.wallet().ledgerBalance("shared"));
        assertEquals(recharges, bought.get() + refused.get());
        assertTrue(bought.get() > 0 && refused.get() > 0, "both paths exercised: " + bought + " / " + refused);
        List<Transaction> all = allTransactions("shared");
        assertEquals(1 + recharges + bought.get(), all.size());
        assertEquals(all.size(), new HashSet<>(all.stream().map(Transaction::id).toList()).size());
        engine.wallet().trialBalance().values().forEach(sum -> assertTrue(sum.isZero()));
    }

    @Test
    void sameKey_fromManyThreads_appliesOnce() throws Exception {
        var engine = world.engine;
        engine.wallet().recharge("shared", cny("1.00"), "open");
        List<Balance> answers = race(THREADS, () -> engine.wallet().recharge("shared", cny("5.00"), "same-key"));
        Set<Balance> distinct = new HashSet<>(answers);
        assertEquals(1, distinct.size(), "every retry answers the first result: " + answers);
        assertEquals(cny("6.00"), engine.wallet().balance("shared").amount());
        assertEquals(2, allTransactions("shared").size());
    }

    @Test
    void firstRecharges_ofANewNamespace_openOneAccount() throws Exception {
        var engine = world.engine;
        AtomicInteger thread = new AtomicInteger();
        race(THREADS, () -> engine.wallet().recharge("fresh", cny("2.00"), "k-" + thread.incrementAndGet()));
        assertEquals(cny("16.00"), engine.wallet().balance("fresh").amount());
        assertEquals(1, world.snapshot().accounts().stream().filter(a -> a.namespace().equals("fresh")).count());
    }

    @Test
    void concurrentRefunds_ofOnePurchase_refundOnce() throws Exception {
        var engine = world.engine;
        engine.wallet().recharge("shared", cny("100.00"), "open");
        engine.subscriptions().checkout("shared", World.LARGE, "aws", "buy");
        String purchase = engine.wallet().transactions("shared", null, 1).items().get(0).id();
        AtomicInteger thread = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        race(THREADS, () -> {
            try {
                return engine.wallet().refund("shared", purchase, "refund-" + thread.incrementAndGet());
            } catch (dev.billing.core.ConflictException e) {
                assertEquals(dev.billing.core.ErrorCode.ALREADY_REFUNDED, e.code(), e.getMessage());
                refused.incrementAndGet();
                return null;
            }
        });
        assertEquals(THREADS - 1, refused.get());
        assertEquals(cny("100.00"), engine.wallet().balance("shared").amount());
    }

    /**
     * Threads ingest overlapping batches of the same event ids at once (a batch is stored before its ids
     * are looked up, and the store's uniqueness decides): every id is accepted by exactly one of them and
     * charged once.
     */
    @Test
    void overlappingUsageBatches_fromManyThreads_acceptEachEventOnce() throws Exception {
        var engine = world.engine;
        defineUptimeRate();
        engine.wallet().recharge("meter", cny("100.00"), "open");
        Instant at = world.clock.instant();
        int batches = Math.max(2, rounds() / 4);
        int width = 30;
        int step = 10;
        AtomicInteger thread = new AtomicInteger();
        List<List<String>> acceptedByThread = race(THREADS, () -> {
            int t = thread.getAndIncrement();
            List<String> mine = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                List<UsageEvent> batch = new ArrayList<>();
                for (int j = t * step; j < t * step + width; j++) {
                    batch.add(new UsageEvent("o-" + b + "-" + j, "meter", "VM", "UPTIME", BigDecimal.ONE, at));
                }
                List<IngestResult> results = engine.usage().ingestBatch(batch);
                for (int j = 0; j < results.size(); j++) {
                    assertTrue(results.get(j).status() != IngestStatus.REJECTED, results.get(j).toString());
                    if (results.get(j).status() == IngestStatus.ACCEPTED) {
                        mine.add(batch.get(j).eventId());
                    }
                }
            }
            return mine;
        });
        List<String> accepted = acceptedByThread.stream().flatMap(List::stream).toList();
        int distinct = (THREADS - 1) * step + width;
        assertEquals(batches * distinct, accepted.size(), "each event accepted once");
        assertEquals(accepted.size(), new HashSet<>(accepted).size(), "no event accepted twice");
        assertEquals(0, BigDecimal.valueOf(accepted.size()).compareTo(engine.charges().estimatedCharges("meter")
                .totals().chargeSubTotal().getNumber().numberValueExact(BigDecimal.class)), "charged once each");
    }

    @Test
    void usageIngestedWhilePeriodsClose_isChargedExactlyOnce() throws Exception {
        var engine = world.engine;
        defineUptimeRate();
        engine.wallet().recharge("meter", cny("100000.00"), "open");
        Instant end = engine.accounts().billingProfile("meter").openPeriod().end();
        world.clock.set(end.plusSeconds(1));
        int ingesters = THREADS - 2;
        int perThread = rounds() / 2;
        AtomicInteger thread = new AtomicInteger();
        AtomicInteger ingesting = new AtomicInteger(ingesters);
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        AtomicInteger statements = new AtomicInteger();
        race(THREADS, () -> {
            int t = thread.incrementAndGet();
            if (t > ingesters) {
                do {
                    statements.addAndGet(engine.runDue().statements());
                } while (ingesting.get() > 0);
                return null;
            }
            for (int i = 0; i < perThread; i++) {
                IngestResult r = engine.usage().ingestBatch(List.of(new UsageEvent("u-" + t + "-" + i, "meter", "VM", "UPTIME",
                        BigDecimal.ONE, end.minusSeconds(1)))).get(0);
                if (r.status() == IngestStatus.ACCEPTED) {
                    accepted.incrementAndGet();
                } else if (r.code() == ErrorCode.PERIOD_CLOSED) {
                    closed.incrementAndGet();
                }
            }
            ingesting.decrementAndGet();
            return null;
        });
        statements.addAndGet(engine.runDue().statements());
        assertEquals(ingesters * perThread, accepted.get() + closed.get());
        assertEquals(1, statements.get(), "one period, one statement");
        List<Statement> closedPeriods = engine.charges().statements("meter");
        assertEquals(1, closedPeriods.size());
        BigDecimal charged = closedPeriods.get(0).totals().chargeSubTotal().getNumber().numberValueExact(BigDecimal.class);
        assertEquals(0, BigDecimal.valueOf(accepted.get()).compareTo(charged),
                "every accepted unit is charged once: " + accepted + " accepted, " + charged + " charged");
        assertEquals(cny("100000.00").subtract(closedPeriods.get(0).totals().chargeTotal()), engine.wallet().balance("meter").amount());
        assertEquals(engine.wallet().balance("meter").amount(), engine.wallet().ledgerBalance("meter"));
        engine.wallet().trialBalance().values().forEach(sum -> assertTrue(sum.isZero()));
    }

    @Test
    void renewalsRunByManyThreadsAtOnce_renewEachSubscriptionOnce() throws Exception {
        var engine = world.engine;
        int accounts = 12;
        for (int a = 0; a < accounts; a++) {
            engine.wallet().recharge("renew-" + a, cny("100.00"), "open-" + a);
            engine.subscriptions().checkout("renew-" + a, World.SMALL, "aws", "buy-" + a);
        }
        world.clock.set(world.clock.instant().plus(java.time.Duration.ofDays(40)));
        List<Integer> renewed = race(THREADS, () -> engine.subscriptions().renewDue().renewals());
        assertEquals(accounts, renewed.stream().mapToInt(Integer::intValue).sum(),
                "each subscription renewed once, whichever thread did it: " + renewed);
        for (int a = 0; a < accounts; a++) {
            String ns = "renew-" + a;
            assertEquals(cny("60.00"), engine.wallet().balance(ns).amount(), ns + ": one purchase, one renewal");
            assertEquals(2, allTransactions(ns).stream().filter(t -> t.kind() == TransactionKind.PURCHASE).count(), ns);
            assertEquals(engine.wallet().balance(ns).amount(), engine.wallet().ledgerBalance(ns));
        }
        engine.wallet().trialBalance().values().forEach(sum -> assertTrue(sum.isZero()));
    }

    @Test
    void dueRunsOfSeveralEnginesOnOneStorage_insideTheRenewalWindow_renewEachSubscriptionOnce() throws Exception {
        int accounts = 12;
        for (int a = 0; a < accounts; a++) {
            world.engine.wallet().recharge("early-" + a, cny("100.00"), "open-" + a);
            world.engine.subscriptions().checkout("early-" + a, World.SMALL, "aws", "buy-" + a);
        }
        Instant end = world.engine.subscriptions().subscriptions("early-0").get(0).periodEnd();
        world.clock.set(end.minus(java.time.Duration.ofDays(3))); // inside the 7-day window, before the end
        List<dev.billing.core.BillingEngine> engines = new ArrayList<>();
        for (int e = 0; e < THREADS; e++) {
            engines.add(dev.billing.core.BillingEngine.builder().storage(world.storage).clock(world.clock)
                    .zone(java.time.ZoneId.of("Asia/Shanghai"))
                    .subscriptionPolicy(dev.billing.core.subscriptions.SubscriptionPolicy.REFERENCE).build());
        }
        AtomicInteger next = new AtomicInteger();
        List<Integer> renewed = race(THREADS, () -> engines.get(next.getAndIncrement()).runDue().renewals());
        assertEquals(accounts, renewed.stream().mapToInt(Integer::intValue).sum(),
                "each subscription renewed once, by whichever engine: " + renewed);
        assertEquals(0, engines.get(0).runDue().renewals(), "and not again");
        for (int a = 0; a < accounts; a++) {
            String ns = "early-" + a;
            assertEquals(cny("60.00"), world.engine.wallet().balance(ns).amount(), ns + ": one purchase, one renewal");
            assertEquals(end, world.engine.subscriptions().subscriptions(ns).get(0).periodStart(), ns + ": renewed ahead");
            assertEquals(world.engine.wallet().balance(ns).amount(), world.engine.wallet().ledgerBalance(ns));
        }
        world.engine.wallet().trialBalance().values().forEach(sum -> assertTrue(sum.isZero()));
    }

    @Test
    void rechargesRacingTheCloseThatSuspends_leaveNoPaidUpAccountSuspended() throws Exception {
        var engine = world.engine;
        defineUptimeRate();
        int accounts = 30;
        Instant opened = world.clock.instant();
        List<Instant> ends = new ArrayList<>();
        for (int a = 0; a < accounts; a++) {
            // an hour apart: each round below finds exactly one period due
            world.clock.set(opened.plusSeconds(3600L * a));
            engine.wallet().recharge("debtor-" + a, cny("1.00"), "open-" + a);
            ends.add(engine.accounts().billingProfile("debtor-" + a).openPeriod().end());
            IngestResult r = engine.usage().ingestBatch(List.of(new UsageEvent("u-" + a, "debtor-" + a, "VM", "UPTIME",
                    new BigDecimal("5"), world.clock.instant()))).get(0);
            assertEquals(IngestStatus.ACCEPTED, r.status(), r.toString());
        }
        // round a: the close of debtor-a's period (5.00 against 1.00: suspended, 4.00 owed) and a recharge
        // of 10.00 into it start together, the recharge a little later each round, so that some rounds
        // read the account while the close holds it; whichever commits first, the books end the same
        for (int a = 0; a < accounts; a++) {
            world.clock.set(ends.get(a).plusSeconds(1));
            String ns = "debtor-" + a;
            long delay = (a % 10) * 200_000L;
            AtomicInteger thread = new AtomicInteger();
            race(2, () -> {
                if (thread.incrementAndGet() == 1) {
                    return engine.charges().closeDue().statements();
                }
                java.util.concurrent.locks.LockSupport.parkNanos(delay);
                engine.wallet().recharge(ns, cny("10.00"), "pay-" + ns);
                return 0;
            });
            Balance b = engine.wallet().balance(ns);
            assertEquals(cny("6.00"), b.amount(), ns);
            assertEquals(AccountStatus.ACTIVE, b.status(), ns + ": its debt is paid, so it is active");
            assertEquals(b.amount(), engine.wallet().ledgerBalance(ns));
        }
        engine.wallet().trialBalance().values().forEach(sum -> assertTrue(sum.isZero()));
    }

    @Test
    void concurrentAdjustDebits_neverOverdraw() throws Exception {
        var engine = world.engine;
        engine.wallet().recharge("adjusted", cny("100.00"), "open");
        AtomicInteger thread = new AtomicInteger();
        List<Boolean> debited = race(THREADS, () -> {
            int t = thread.incrementAndGet();
            try {
                engine.wallet().adjust("adjusted", cny("-30.00"), "correction", "adj-" + t);
                return true;
            } catch (InsufficientFundsException e) {
                return false;
            }
        });
        assertEquals(3, debited.stream().filter(d -> d).count(), "three debits of 30.00 fit in 100.00: " + debited);
        assertEquals(cny("10.00"), engine.wallet().balance("adjusted").amount());
        assertEquals(cny("10.00"), engine.wallet().ledgerBalance("adjusted"));
        engine.wallet().trialBalance().values().forEach(sum -> assertTrue(sum.isZero()));
    }

    private List<Transaction> allTransactions(String ns) {
        List<Transaction> all = new ArrayList<>();
        String cursor = null;
        do {
            TransactionPage page = world.engine.wallet().transactions(ns, cursor, 100);
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }
}
