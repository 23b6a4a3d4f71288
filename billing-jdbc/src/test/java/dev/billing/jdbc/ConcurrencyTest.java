package dev.billing.jdbc;

import static dev.billing.jdbc.Records.account;
import static dev.billing.jdbc.Records.dec;
import static dev.billing.jdbc.Records.postings;
import static dev.billing.jdbc.Records.wallet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.spi.AccountRecord;
import dev.billing.spi.StorageWork;
import dev.billing.spi.TransactionRecord;
import dev.billing.spi.TransientStorageException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many threads move one account's balance at once, against an H2 file database: no update is lost,
 * the floor holds, and the ledger agrees with the balance.
 */
class ConcurrencyTest {

    private static final int THREADS = 8;
    private static final int DELTAS_PER_THREAD = 200;
    private static final BigDecimal DEPOSIT = dec("3.25");
    private static final BigDecimal WITHDRAWAL = dec("-5.50");

    @TempDir
    Path dir;

    private final AtomicLong retries = new AtomicLong();

    @ParameterizedTest
    @EnumSource(value = Durability.class, names = {"PROCESS_CRASH", "POWER_LOSS"})
    void concurrentDeltas_loseNothing_andNeverGoBelowTheFloor(Durability durability) throws Exception {
        try (JdbiStorage storage = JdbiStorage.builder().jdbcUrl("jdbc:h2:file:" + dir.resolve("billing"))
                .user("sa").password("").durability(durability).build()) {
            storage.inTransaction(s -> {
                s.accounts().insertAccount(account("hot"));
                return null;
            });
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Result>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    return runDeltas(storage, thread);
                }));
            }
            start.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(5, TimeUnit.MINUTES), "the workers did not finish");
            BigDecimal applied = BigDecimal.ZERO;
            int accepted = 0;
            int refused = 0;
            for (Future<Result> f : futures) {
                Result r = f.get();
                applied = applied.add(r.applied());
                accepted += r.accepted();
                refused += r.refused();
            }
            AccountRecord hot = storage.inTransaction(s -> s.accounts().findAccount("hot")).orElseThrow();
            assertEquals(0, hot.balance().compareTo(applied), "lost update: balance " + hot.balance()
                    + " but the accepted deltas sum to " + applied);
            assertTrue(hot.balance().signum() >= 0);
            assertEquals(THREADS * DELTAS_PER_THREAD, accepted + refused);
            assertTrue(refused > 0, "withdrawals outweigh deposits, so the floor must have refused some");
            assertEquals(0, storage.inTransaction(s -> s.ledger().sumPostings(wallet("hot"))).compareTo(hot.balance()),
                    "the wallet postings sum to the balance");
            assertEquals(accepted, JdbcSnapshots.of(storage).transactions().size());
            assertEquals(0, storage.inTransaction(s -> s.ledger().sumPostingsByCurrency()).get("CNY").signum());
            System.out.printf("%s: %d accepted, %d refused by the floor, %d transient retries, %d syncs%n",
                    durability, accepted, refused, retries.get(), storage.syncCount());
        }
    }

    private record Result(BigDecimal applied, int accepted, int refused) {
    }

    private Result runDeltas(JdbiStorage storage, int thread) {
        BigDecimal applied = BigDecimal.ZERO;
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < DELTAS_PER_THREAD; i++) {
            BigDecimal delta = i % 2 == 0 ? DEPOSIT : WITHDRAWAL;
            String id = "t-" + thread + "-" + i;
            Optional<BigDecimal> after = retrying(storage, s -> {
                Optional<BigDecimal> balance = s.accounts().applyBalanceDelta("hot", delta, BigDecimal.ZERO)
                        .map(AccountRecord::balance);
                balance.ifPresent(b -> {
                    TransactionRecord t = new TransactionRecord(0, id, "hot", delta.signum() > 0 ? "recharge" : "purchase",
                            delta.abs(), "CNY", "load", "balance", null, null, b, Records.T0, null);
                    s.ledger().appendTransaction(t, postings(t, "counter:load", delta));
                });
                return balance;
            });
            if (after.isPresent()) {
                assertTrue(after.get().signum() >= 0, "below the floor: " + after.get());
                applied = applied.add(delta);
                accepted++;
            } else {
                refused++;
            }
        }
        return new Result(applied, accepted, refused);
    }

    private <T> T retrying(JdbiStorage storage, StorageWork<T> work) {
        for (int attempt = 1;; attempt++) {
            try {
                return storage.inTransaction(work);
            } catch (TransientStorageException e) {
                retries.incrementAndGet();
                if (attempt >= 20) {
                    throw e;
                }
            }
        }
    }
}
