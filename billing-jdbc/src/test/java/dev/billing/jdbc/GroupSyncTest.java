package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The group commit's contract: every caller returns only after a sync that started after its call. */
class GroupSyncTest {

    /** Counts syncs by start and by completion; syncs must never overlap. */
    private static final class Recorder {
        final AtomicLong started = new AtomicLong();
        final AtomicLong completedUpTo = new AtomicLong();
        final AtomicInteger running = new AtomicInteger();
        final AtomicBoolean overlapped = new AtomicBoolean();

        void sync() {
            long mine = started.incrementAndGet();
            if (running.incrementAndGet() != 1) {
                overlapped.set(true);
            }
            Thread.yield();
            running.decrementAndGet();
            completedUpTo.set(mine);
        }
    }

    @Test
    void everyCaller_waitsForASyncThatStartedAfterItsCall() throws Exception {
        Recorder recorder = new Recorder();
        GroupSync group = new GroupSync(recorder::sync);
        int threads = 8;
        int calls = 300;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                go.await();
                int violations = 0;
                for (int i = 0; i < calls; i++) {
                    long startedBefore = recorder.started.get();
                    group.awaitSync();
                    // a sync numbered above startedBefore began after this call did, and it has completed
                    if (recorder.completedUpTo.get() <= startedBefore) {
                        violations++;
                    }
                }
                return violations;
            }));
        }
        go.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(2, TimeUnit.MINUTES));
        for (Future<Integer> f : futures) {
            assertEquals(0, f.get(), "a caller returned before a sync that started after its call");
        }
        assertTrue(!recorder.overlapped.get(), "two syncs ran at once");
        assertEquals(recorder.started.get(), group.syncCount());
        System.out.printf("group sync: %d calls served by %d syncs%n", threads * calls, group.syncCount());
    }

    @Test
    void callersArrivingDuringASync_areAllServedByTheNextOne() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        GroupSync group = new GroupSync(() -> {
            if (calls.incrementAndGet() == 1) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        int followers = 7;
        ExecutorService pool = Executors.newFixedThreadPool(followers + 1);
        try {
            Future<?> leader = pool.submit(group::awaitSync);
            entered.await();
            List<Future<?>> others = new ArrayList<>();
            for (int i = 0; i < followers; i++) {
                others.add(pool.submit(group::awaitSync));
            }
            while (group.waiting() < followers) {
                Thread.onSpinWait();
            }
            release.countDown();
            leader.get();
            for (Future<?> f : others) {
                f.get();
            }
            assertEquals(2, group.syncCount(), "one sync for the leader, one for all " + followers + " that queued");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedSync_failsItsLeader_andTheOthersGetANewOne() {
        AtomicInteger attempts = new AtomicInteger();
        IllegalStateException failure = new IllegalStateException("disk on fire");
        GroupSync group = new GroupSync(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw failure;
            }
        });
        assertSame(failure, assertThrows(IllegalStateException.class, group::awaitSync));
        assertEquals(0, group.syncCount());
        group.awaitSync();
        assertEquals(1, group.syncCount());
        assertEquals(2, attempts.get());
    }

    @Test
    void anInterruptedCaller_stillWaits_andKeepsItsInterrupt() {
        GroupSync group = new GroupSync(() -> { });
        Thread.currentThread().interrupt();
        try {
            group.awaitSync();
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
        assertEquals(1, group.syncCount());
    }
}
