package dev.billing.tck;

import static dev.billing.tck.World.cny;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.billing.spi.StorageSnapshot;

import dev.billing.core.BillingEngine;
import dev.billing.core.BillingStorageException;
import dev.billing.core.DueRun;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.charges.Rate;
import dev.billing.core.usage.UsageEvent;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.PostingRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Supplier;
import javax.money.Monetary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every mutating call, failed by the storage at each of its writes in turn, leaves the storage
 * exactly as it was; then, run without a fault, it succeeds and the books balance. Written once and
 * run against every storage: extend it and implement {@link #newStorage()}.
 */
public abstract class FaultContract {

    private FaultyStorage faulty;
    private World world;
    private BillingEngine engine;

    /** @return a new, empty storage; the contract closes it */
    protected abstract BillingStorage newStorage();

    @BeforeEach
    void setUpWorld() {
        faulty = new FaultyStorage(newStorage());
        world = new World(faulty);
        engine = world.engine;
        engine.charges().defineRate(Rate.flat("DBAAS", "UPTIME", "HRS", new BigDecimal(".40"), Monetary.getCurrency("CNY"),
                LocalDate.of(2016, 1, 1)));
    }

    @AfterEach
    void closeWorld() {
        world.close();
    }

    /**
     * Fails {@code call} at its first write, then its second, and so on, proving each time that the
     * storage did not change, until the call makes fewer writes than the fault waits for and succeeds.
     *
     * @return how many writes the successful call made
     */
    private int failsAtEveryWrite(Supplier<?> call) {
        for (int k = 1; k < 100; k++) {
            StorageSnapshot before = world.snapshot();
            int injected = faulty.injected();
            faulty.failAtWrite(k);
            Object result = null;
            try {
                result = call.get();
            } catch (BillingStorageException e) {
                assertInstanceOf(FaultyStorage.InjectedFault.class, e.getCause(), e.getMessage());
            }
            faulty.failAtWrite(0);
            if (faulty.injected() == injected) {
                if (result instanceof DueRun run) {
                    assertEquals(List.of(), run.failures(), "the run without a fault");
                }
                assertBooksBalance();
                return k - 1;
            }
            // runDue reports a failed account in its DueRun instead of throwing
            assertEquals(before, world.snapshot(), "a fault at write " + k + " left something behind");
        }
        throw new AssertionError("the call never ran out of writes");
    }

    private void assertBooksBalance() {
        StorageSnapshot s = world.snapshot();
        assertEquals(0, s.postings().stream().map(PostingRecord::amount).reduce(BigDecimal.ZERO, BigDecimal::add)
                .signum(), "postings sum to zero");
        s.accounts().forEach(a -> assertEquals(0, a.balance().compareTo(s.postings().stream()
                .filter(p -> p.ledgerAccount().equals("wallet:" + a.namespace()))
                .map(PostingRecord::amount).reduce(BigDecimal.ZERO, BigDecimal::add)), "balance of " + a.namespace()));
    }

    @Test
    void recharge_openingAnAccount_failedAtAnyWrite_changesNothing() {
        int writes = failsAtEveryWrite(() -> engine.wallet().recharge("ns", cny("100"), "k1"));
        assertTrue(writes >= 4, "account, profile, balance, transaction, key: " + writes);
        assertEquals(cny("100"), engine.wallet().balance("ns").amount());
    }

    @Test
    void openAccount_failedAtAnyWrite_changesNothing() {
        assertTrue(failsAtEveryWrite(() -> engine.accounts().openAccount("ns", Monetary.getCurrency("CNY"), "o1")) >= 2);
    }

    @Test
    void checkoutRefundAdjustSetStatus_failedAtAnyWrite_changeNothing() {
        engine.wallet().recharge("ns", cny("100"), "k1");
        assertTrue(failsAtEveryWrite(() -> engine.subscriptions().checkout("ns", World.SMALL, "aws", "k2")) >= 4);
        String purchase = engine.wallet().transactions("ns", null, 1).items().get(0).id();
        assertTrue(failsAtEveryWrite(() -> engine.wallet().refund("ns", purchase, "k3")) >= 4);
        assertTrue(failsAtEveryWrite(() -> engine.wallet().adjust("ns", cny("-5"), "correction", "k4")) >= 3);
        assertTrue(failsAtEveryWrite(() -> {
            engine.accounts().setStatus("ns", AccountStatus.SUSPENDED, "k5");
            return null;
        }) >= 2);
        assertEquals(cny("95"), engine.wallet().balance("ns").amount());
        assertEquals(AccountStatus.SUSPENDED, engine.accounts().account("ns").status());
    }

    @Test
    void usageCloseInArrearsAndDebtPayment_failedAtAnyWrite_changeNothing() {
        engine.wallet().recharge("ns", cny("1"), "k1");
        assertTrue(failsAtEveryWrite(() -> engine.usage().ingest(
                new UsageEvent("e1", "ns", "DBAAS", "UPTIME", new BigDecimal("10"), world.clock.instant()))) >= 1);
        world.clock.advance(Duration.ofDays(40));
        assertTrue(failsAtEveryWrite(engine::runDue) >= 3, "statement, balance, transaction, account, period");
        assertEquals(AccountStatus.SUSPENDED, engine.accounts().account("ns").status());
        assertEquals(cny("0"), engine.wallet().balance("ns").amount());
        assertTrue(failsAtEveryWrite(() -> engine.wallet().recharge("ns", cny("10"), "k2")) >= 5, "recharge, then the debt");
        assertEquals(cny("7"), engine.wallet().balance("ns").amount());
        assertEquals(AccountStatus.ACTIVE, engine.accounts().account("ns").status());
    }

    @Test
    void renewal_failedAtAnyWrite_changesNothing() {
        engine.wallet().recharge("ns", cny("100"), "k1");
        world.clock.advance(Duration.ofDays(1));
        engine.subscriptions().checkout("ns", World.SMALL, "aws", "k2");
        world.clock.advance(Duration.ofDays(29).plusHours(12));
        DueRun close = engine.runDue();
        assertEquals(0, close.renewals(), "only the account's period is due yet");
        world.clock.advance(Duration.ofDays(2));
        assertTrue(failsAtEveryWrite(engine::runDue) >= 3, "balance, subscription, transaction");
        assertEquals(cny("60"), engine.wallet().balance("ns").amount());
    }
}
