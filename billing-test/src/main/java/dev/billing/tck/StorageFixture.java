package dev.billing.tck;

import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageSession;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.TransientStorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh storage per test, closed after it, with helpers to run a unit of work, take a snapshot, and race units of work.
 * The base of the storage SPI contracts; extend it and implement {@link #newStorage()}.
 */
public abstract class StorageFixture {

    /** The storage under test, new for each test. */
    protected BillingStorage storage;

    /** @return a new, empty storage; the fixture closes it */
    protected abstract BillingStorage newStorage();

    @BeforeEach
    void openStorage() {
        storage = newStorage();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    /** Runs {@code work} as one unit of work. */
    protected void run(Consumer<StorageSession> work) {
        storage.inTransaction(s -> {
            work.accept(s);
            return null;
        });
    }

    /** @return everything the storage holds */
    protected StorageSnapshot snapshot() {
        return StorageSnapshot.of(storage);
    }

    /**
     * Runs {@code attempt(thread)} in its own unit of work on {@code threads} threads at once.
     *
     * @return how many attempts returned true; an attempt may also lose by throwing
     *     {@link TransientStorageException} (a lock time-out or serialization failure)
     */
    protected int race(int threads, Attempt attempt) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    go.await();
                    try {
                        return storage.inTransaction(s -> attempt.test(s, thread));
                    } catch (TransientStorageException lost) {
                        return false;
                    }
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> f : results) {
                won += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            return won;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One attempt of a race. */
    @FunctionalInterface
    protected interface Attempt {
        /**
         * @param session the attempt's unit of work
         * @param thread which thread it runs on, from 0
         * @return whether it won (changed what it raced for)
         */
        boolean test(StorageSession session, int thread);
    }

}
