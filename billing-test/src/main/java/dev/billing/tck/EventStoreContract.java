package dev.billing.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.EventRecord;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.TransientStorageException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The outbox's contract ({@link dev.billing.spi.EventStore}), written once and run against every storage:
 * extend it and implement {@link #newStorage()}. What the engine's delivery relies on: an event exists
 * exactly when its unit of work committed; sequencing places committed events after every placed one,
 * contiguously, so that a reader polling after its cursor never skips an event, even one whose unit of
 * work committed after later ones were placed; cursors move by compare-and-set.
 */
public abstract class EventStoreContract extends StorageFixture {

    private static final Instant T0 = Instant.parse("2026-12-07T09:27:04.123456Z");

    private static EventRecord event(String id, String namespace) {
        return new EventRecord(id, "subscription.renewed", namespace, "sub-" + id, T0, Map.of("amount", "20.00"));
    }

    private List<EventRecord> all() {
        return storage.inTransaction(s -> s.events().listEvents(null, 0, 1_000_000));
    }

    private int sequence() {
        return storage.inTransaction(s -> s.events().sequenceEvents(1000));
    }

    private static List<String> ids(List<EventRecord> events) {
        return events.stream().map(EventRecord::id).toList();
    }

    @Test
    void appendedEvents_areUnplacedUntilSequenced_thenPlacedInAppendOrderFromOne() {
        run(s -> {
            s.events().appendEvent(event("e2", "a"));
            s.events().appendEvent(event("e1", "b"));
        });
        run(s -> s.events().appendEvent(event("e3", "a")));
        assertEquals(List.of(), all(), "nothing is listed before it is placed");
        assertEquals(List.of(0L, 0L, 0L), snapshot().events().stream().map(EventRecord::position).toList());

        assertEquals(3, (int) sequence());
        List<EventRecord> placed = all();
        assertEquals(List.of("e2", "e1", "e3"), ids(placed));
        assertEquals(List.of(1L, 2L, 3L), placed.stream().map(EventRecord::position).toList());
        assertEquals(event("e2", "a").at(1), placed.get(0), "every field reads back as appended");
        assertEquals(0, (int) sequence(), "nothing is left to place");
    }

    @Test
    void sequencing_placesAtMostTheLimit_andTheNextOneCarriesOn() {
        run(s -> {
            for (int i = 1; i <= 5; i++) {
                s.events().appendEvent(event("e" + i, "a"));
            }
        });
        assertEquals(2, (int) storage.inTransaction(s -> s.events().sequenceEvents(2)));
        assertEquals(List.of("e1", "e2"), ids(all()));
        assertEquals(3, (int) storage.inTransaction(s -> s.events().sequenceEvents(10)));
        assertEquals(LongStream.rangeClosed(1, 5).boxed().toList(), all().stream().map(EventRecord::position).toList());
    }

    @Test
    void listing_filtersByNamespace_startsAfterThePosition_andStopsAtTheLimit() {
        run(s -> {
            for (int i = 1; i <= 6; i++) {
                s.events().appendEvent(event("e" + i, i % 2 == 0 ? "even" : "odd"));
            }
        });
        sequence();
        assertEquals(List.of("e2", "e4", "e6"), ids(storage.inTransaction(s -> s.events().listEvents("even", 0, 10))));
        assertEquals(List.of("e4", "e6"), ids(storage.inTransaction(s -> s.events().listEvents("even", 2, 10))));
        assertEquals(List.of("e4"), ids(storage.inTransaction(s -> s.events().listEvents("even", 3, 1))));
        assertEquals(List.of("e5", "e6"), ids(storage.inTransaction(s -> s.events().listEvents(null, 4, 10))));
        assertEquals(List.of(), storage.inTransaction(s -> s.events().listEvents("nobody", 0, 10)));
        assertEquals(List.of(), storage.inTransaction(s -> s.events().listEvents(null, 6, 10)));
    }

    @Test
    void attributes_readBackExactly_whateverTheirCharacters() {
        Map<String, String> data = Map.of("plain", "20.00", "a=b", "x=y", "back\\slash", "c:\\dir\\", "lines",
                "one\ntwo\r\nthree\n", "empty", "", "unicode", "铸造一区 ✓", "trailing", "ends with \\");
        run(s -> s.events().appendEvent(new EventRecord("e1", "period.closed", "a", "st-1", T0, data)));
        sequence();
        assertEquals(data, all().get(0).data());
    }

    @Test
    void eventsOfWorkThatRolledBack_doNotExist() {
        run(s -> s.events().appendEvent(event("kept", "a")));
        StorageSnapshot before = snapshot();
        assertThrows(IllegalStateException.class, () -> storage.inTransaction(s -> {
            s.events().appendEvent(event("gone", "a"));
            s.events().sequenceEvents(10);
            s.events().moveCursor("mailer", 0, 1);
            throw new IllegalStateException("boom");
        }));
        assertEquals(before, snapshot());
        assertEquals(1, (int) sequence());
        assertEquals(List.of("kept"), ids(all()));
    }

    @Test
    void aSecondEventWithTheSameId_isRefused_andItsUnitIsUndone() {
        run(s -> s.events().appendEvent(event("e1", "a")));
        StorageSnapshot before = snapshot();
        assertThrows(DuplicateKeyException.class, () -> run(s -> {
            s.events().appendEvent(event("e2", "a"));
            s.events().appendEvent(event("e1", "b"));
        }));
        assertEquals(before, snapshot());
    }

    @Test
    void cursors_startAtZero_andMoveByCompareAndSet() {
        assertEquals(0L, (long) storage.inTransaction(s -> s.events().findCursor("mailer")));
        assertTrue((boolean) storage.inTransaction(s -> s.events().moveCursor("mailer", 0, 5)));
        assertFalse((boolean) storage.inTransaction(s -> s.events().moveCursor("mailer", 0, 7)), "moved from 0 already");
        assertFalse((boolean) storage.inTransaction(s -> s.events().moveCursor("mailer", 4, 7)));
        assertTrue((boolean) storage.inTransaction(s -> s.events().moveCursor("mailer", 5, 7)));
        assertEquals(7L, (long) storage.inTransaction(s -> s.events().findCursor("mailer")));
        assertEquals(0L, (long) storage.inTransaction(s -> s.events().findCursor("audit")), "each consumer has its own");
        assertEquals(List.of(new StorageSnapshot.EventCursor("mailer", 7)), snapshot().eventCursors());
        assertThrows(IllegalArgumentException.class, () -> run(s -> s.events().moveCursor("mailer", 7, 7)));
    }

    private static EventRecord eventAt(String id, String namespace, Instant occurredAt) {
        return new EventRecord(id, "subscription.renewed", namespace, "sub-" + id, occurredAt, Map.of());
    }

    /** e1..e6 placed, e(i) at T0 + i minutes, alternating namespaces; e7 appended, not placed. */
    private void sixPlacedAndOneNot() {
        run(s -> {
            for (int i = 1; i <= 6; i++) {
                s.events().appendEvent(eventAt("e" + i, i % 2 == 0 ? "even" : "odd", T0.plusSeconds(60L * i)));
            }
        });
        sequence();
        run(s -> s.events().appendEvent(eventAt("e7", "odd", T0)));
    }

    private int delete(long upTo, Instant before, int limit) {
        return storage.inTransaction(s -> s.events().deleteEvents(upTo, before, limit));
    }

    @Test
    void deleting_takesTheOldestRun_stoppingAtTheFirstTooRecentOrPastThePositionOrTheLimit() {
        sixPlacedAndOneNot();
        assertEquals(0, delete(6, T0.plusSeconds(60), 10), "e1 occurred at the instant: not before it");
        assertEquals(1, delete(6, T0.plusSeconds(61), 10));
        assertEquals(List.of("e2", "e3", "e4", "e5", "e6"), ids(all()));
        assertEquals(2, delete(6, T0.plusSeconds(3600), 2), "the limit");
        assertEquals(List.of("e4", "e5", "e6"), ids(all()));
        assertEquals(1, delete(4, T0.plusSeconds(3600), 10), "nothing after position 4");
        assertEquals(List.of("e5", "e6"), ids(all()));
        assertEquals(List.of("e6"), ids(storage.inTransaction(s -> s.events().listEvents("even", 0, 10))));
        assertEquals(List.of("e5"), ids(storage.inTransaction(s -> s.events().listEvents("odd", 0, 10))));
        assertEquals(List.of("e6"), ids(storage.inTransaction(s -> s.events().listEvents(null, 5, 10))));
        assertEquals(2, delete(Long.MAX_VALUE, T0.plusSeconds(3600), 10));
        assertEquals(List.of(), all());
        assertEquals(Set.of("e7"), snapshot().events().stream().map(EventRecord::id).collect(java.util.stream.Collectors.toSet()),
                "an unplaced event is never deleted, however old");
        assertEquals(1, sequence());
        assertEquals(List.of(7L), all().stream().map(EventRecord::position).toList(),
                "positions go on after the last one placed, though it was deleted");
    }

    @Test
    void deletingStopsAtTheFirstTooRecentEvent_evenWhenOlderOnesFollowIt() {
        run(s -> {
            s.events().appendEvent(eventAt("old", "a", T0));
            s.events().appendEvent(eventAt("new", "a", T0.plusSeconds(3600)));
            s.events().appendEvent(eventAt("late", "a", T0)); // committed later than it occurred
        });
        sequence();
        assertEquals(1, delete(Long.MAX_VALUE, T0.plusSeconds(60), 10));
        assertEquals(List.of("new", "late"), ids(all()), "what is kept stays contiguous");
    }

    @Test
    void deletingInWorkThatRolledBack_deletesNothing() {
        sixPlacedAndOneNot();
        run(s -> s.events().moveCursor("mailer", 0, 3));
        StorageSnapshot before = snapshot();
        assertThrows(IllegalStateException.class, () -> storage.inTransaction(s -> {
            assertEquals(3, s.events().deleteEvents(3, T0.plusSeconds(3600), 10));
            assertTrue(s.events().deleteCursor("mailer"));
            throw new IllegalStateException("boom");
        }));
        assertEquals(before, snapshot());
        assertEquals(List.of("e1", "e2", "e3"), ids(storage.inTransaction(s -> s.events().listEvents(null, 0, 3))));
        assertEquals(List.of("e2", "e4"), ids(storage.inTransaction(s -> s.events().listEvents("even", 0, 2))));
        assertEquals(1, sequence());
        assertEquals(7L, all().get(6).position());
    }

    @Test
    void cursors_areListed_andDeleted() {
        assertEquals(Map.of(), storage.inTransaction(s -> s.events().listCursors()));
        run(s -> {
            s.events().moveCursor("mailer", 0, 5);
            s.events().moveCursor("audit", 0, 2);
        });
        assertEquals(Map.of("mailer", 5L, "audit", 2L), storage.inTransaction(s -> s.events().listCursors()));
        assertTrue((boolean) storage.inTransaction(s -> s.events().deleteCursor("audit")));
        assertFalse((boolean) storage.inTransaction(s -> s.events().deleteCursor("audit")), "deleted already");
        assertEquals(Map.of("mailer", 5L), storage.inTransaction(s -> s.events().listCursors()));
        assertEquals(0L, (long) storage.inTransaction(s -> s.events().findCursor("audit")));
        assertTrue((boolean) storage.inTransaction(s -> s.events().moveCursor("audit", 0, 1)), "it starts again from 0");
        assertTrue((boolean) storage.inTransaction(s -> s.events().insertCursor("fresh")));
        assertFalse((boolean) storage.inTransaction(s -> s.events().insertCursor("fresh")), "it has one");
        assertFalse((boolean) storage.inTransaction(s -> s.events().insertCursor("mailer")), "wherever it stands");
        assertEquals(Map.of("mailer", 5L, "audit", 1L, "fresh", 0L), storage.inTransaction(s -> s.events().listCursors()));
        assertTrue((boolean) storage.inTransaction(s -> s.events().moveCursor("fresh", 0, 2)), "moved from 0 as any");
        StorageSnapshot before = snapshot();
        assertThrows(IllegalStateException.class, () -> storage.inTransaction(s -> {
            assertTrue(s.events().insertCursor("gone"));
            throw new IllegalStateException("boom");
        }));
        assertEquals(before, snapshot(), "rolled back with its unit of work");
    }

    /**
     * An event whose unit of work is still open when a later one commits and is placed: it is not
     * placed before it commits, and then it is placed after the later one, never behind a reader's cursor.
     * (A storage that runs units of work one at a time makes the second wait; the order holds either way.)
     */
    @Test
    void anEventCommittedLate_isPlacedAfterEveryPlacedOne() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch appended = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<?> slow = pool.submit(() -> run(s -> {
                s.events().appendEvent(event("slow", "a"));
                appended.countDown();
                await(release);
            }));
            assertTrue(appended.await(30, TimeUnit.SECONDS));
            Future<List<EventRecord>> fast = pool.submit(() -> {
                run(s -> s.events().appendEvent(event("fast", "b")));
                sequence();
                return all();
            });
            List<EventRecord> seenFirst;
            boolean overlapped;
            try {
                seenFirst = fast.get(3, TimeUnit.SECONDS);
                overlapped = true;
            } catch (TimeoutException storageRunsOneAtATime) {
                release.countDown();
                seenFirst = fast.get(30, TimeUnit.SECONDS);
                overlapped = false;
            }
            release.countDown();
            slow.get(30, TimeUnit.SECONDS);
            if (overlapped) {
                assertEquals(List.of("fast"), ids(seenFirst), "the open unit's event is not placed");
            }
            sequence();
            List<EventRecord> after = all();
            assertEquals(Set.of("slow", "fast"), new HashSet<>(ids(after)));
            assertEquals(List.of(1L, 2L), after.stream().map(EventRecord::position).toList());
            if (overlapped) {
                assertEquals(List.of("fast", "slow"), ids(after), "committed late, placed last");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Writers append and sequence from several threads while a reader polls after its cursor: the
     * reader ends with every event exactly once, and positions are 1..n without gaps.
     */
    @Test
    void aPollerAfterItsCursor_neverSkipsAnEvent_whileWritersAppendAndSequenceConcurrently() throws Exception {
        int writers = 3;
        int perWriter = 40;
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perWriter; i++) {
                        String id = "w" + writer + "-" + i;
                        retried(() -> run(s -> s.events().appendEvent(event(id, "ns" + writer))));
                        if (i % 3 == 0) {
                            retried(this::sequence);
                        }
                    }
                    return null;
                }));
            }
            Future<List<String>> reader = pool.submit(() -> {
                List<String> seen = new ArrayList<>();
                long cursor = 0;
                boolean last = false;
                while (true) {
                    long after = cursor;
                    List<EventRecord> page = retried(() -> storage.inTransaction(s -> s.events().listEvents(null, after, 7)));
                    for (EventRecord e : page) {
                        assertEquals(cursor + 1, e.position(), "positions follow each other");
                        seen.add(e.id());
                        cursor = e.position();
                    }
                    if (page.isEmpty()) {
                        if (last) {
                            return seen;
                        }
                        if (!writing.get()) {
                            retried(this::sequence); // what the writers left unplaced
                            last = true;
                        }
                    }
                }
            });
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
            writing.set(false);
            List<String> seen = reader.get(120, TimeUnit.SECONDS);
            assertEquals(writers * perWriter, seen.size(), "every event once");
            assertEquals(writers * perWriter, new HashSet<>(seen).size(), "no event twice");
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code call} again while the storage could not serialize it, as the engine does. */
    private static <T> T retried(java.util.concurrent.Callable<T> call) throws Exception {
        for (int attempt = 1;; attempt++) {
            try {
                return call.call();
            } catch (TransientStorageException | DuplicateKeyException e) {
                if (attempt >= 50) {
                    throw e;
                }
                Thread.sleep(attempt);
            }
        }
    }

    private static void retried(Runnable call) throws Exception {
        retried(() -> {
            call.run();
            return null;
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
