package dev.billing.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class IdGeneratorTest {

    @Test
    void random_makesVersion7Uuids_inTheirCanonicalForm_carryingTheMillisecond() {
        long before = System.currentTimeMillis();
        String id = IdGenerator.random().next();
        long after = System.currentTimeMillis();
        UUID u = UUID.fromString(id);
        assertEquals(7, u.version(), id);
        assertEquals(2, u.variant(), id);
        assertEquals(u.toString(), id); // lower-case hex, 8-4-4-4-12
        long millis = u.getMostSignificantBits() >>> 16;
        assertTrue(millis >= before && millis <= after, id + " carries " + millis);
    }

    @Test
    void random_idsOfLaterMilliseconds_sortAfterEarlierOnes() throws InterruptedException {
        IdGenerator ids = IdGenerator.random();
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            made.add(ids.next());
            Thread.sleep(2);
        }
        List<String> sorted = new ArrayList<>(made);
        sorted.sort(null);
        assertEquals(made, sorted); // as text, which is how the stores' indexes order them
    }

    @Test
    void random_neverRepeats_acrossFourThreads() throws Exception {
        Set<String> all = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    Set<String> mine = new HashSet<>();
                    for (int i = 0; i < 50_000; i++) {
                        mine.add(IdGenerator.random().next());
                    }
                    all.addAll(mine);
                    return mine.size();
                }));
            }
            for (Future<Integer> f : done) {
                assertEquals(50_000, f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(200_000, all.size());
    }
}
