package dev.billing.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.events.EventType;
import dev.billing.core.memory.InMemoryStorage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Listeners called on the host's executor ({@link BillingEngine.Builder#eventExecutor}): the call that
 * wrote the event returns while its listener is still running, on the executor's thread; a dispatch the
 * executor refuses is made by the next due run.
 */
class EventExecutorTest {

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "host-events"));
    private final TestClock clock = TestClock.at(Instant.parse("2026-01-05T09:00:00Z"), ZoneOffset.UTC);
    private final BillingEngine engine = BillingEngine.builder().storage(InMemoryStorage.create()).clock(clock)
            .zone(ZoneOffset.UTC).eventExecutor(executor).build();

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
    }

    private void checkout(String key) {
        engine.catalog().defineRegion(Region.available("r", "R"));
        engine.catalog().definePlan(Plan.of("small", "C", Money.of(20, "CNY"), PlanTerm.MONTHLY, "1 CPU", "r"));
        engine.wallet().recharge("acme", Money.of(100, "CNY"), "r-" + key);
        engine.subscriptions().checkout("acme", "small", "r", key);
    }

    @Test
    void theCallReturns_whileItsListenerRunsOnTheExecutor() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch delivered = new CountDownLatch(1);
        List<String> threads = new CopyOnWriteArrayList<>();
        engine.events().subscribe("mailer", e -> {
            try {
                // held until the test has seen the checkout return: a delivery on the calling thread
                // would hold the checkout here, and the test's await below would time out
                assertTrue(release.await(10, TimeUnit.SECONDS), "never released");
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
            threads.add(Thread.currentThread().getName() + " " + e.type().code());
            delivered.countDown();
        });
        checkout("c1");
        assertEquals(1, delivered.getCount(), "the checkout returned before its listener finished");
        release.countDown();
        assertTrue(delivered.await(10, TimeUnit.SECONDS));
        executor.shutdown(); // the dispatch moves the consumer's cursor after its listener returned: let it finish
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(List.of("host-events subscription.created"), threads);
        assertEquals(1L, engine.events().cursors().get("mailer"));
    }

    @Test
    void aDispatchTheExecutorRefuses_isMadeByTheNextDueRun() throws Exception {
        List<EventType> seen = new CopyOnWriteArrayList<>();
        engine.events().subscribe("mailer", e -> seen.add(e.type()));
        executor.shutdown();
        assertTrue(executor.awaitTermination(10, TimeUnit.SECONDS));
        checkout("c1");
        assertEquals(List.of(), seen, "refused: nothing delivered, the checkout committed all the same");
        assertEquals(1, engine.subscriptions().subscriptions("acme").size());
        engine.runDue();
        assertEquals(List.of(EventType.SUBSCRIPTION_CREATED), seen, "runDue delivers on its own thread");
    }
}
