package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sumUsage} over a million usage events runs in a 64 MB heap: the database sums, the storage
 * never loads the events. A control run in the same heap that does load them (a snapshot) must die of
 * {@link OutOfMemoryError}, which shows the heap is small enough for the first run to mean something.
 */
class UsageSumMemoryTest {

    private static final int EVENTS = 1_000_000;
    private static final String HEAP = "-Xmx64m";
    private static final String NAMESPACE = "big";
    private static final Instant BASE = Instant.parse("2024-03-01T00:00:00Z");
    /** Event X occurred at BASE + (X - 1) s; the range [BASE + 10 s, BASE + 999,990 s) holds X = 11..999,990. */
    private static final Instant FROM = BASE.plusSeconds(10);
    private static final Instant TO = BASE.plusSeconds(EVENTS - 10);
    private static final long CHILD_BUDGET_SECONDS = 120;

    @TempDir
    Path dir;

    @Test
    void sumUsage_overAMillionEvents_runsInA64MegabyteHeap_andSumsExactly() throws Exception {
        Path db = dir.resolve("usage");
        long start = System.nanoTime();
        try (JdbiStorage storage = JdbiStorage.h2File(db); Handle h = storage.jdbi().open()) {
            // event X: offering OFF<X mod 3>, charge type CT<X mod 2>, quantity (X mod 7) / 10, at BASE + (X - 1) s
            int rows = h.execute("""
                    INSERT INTO usage_events (namespace, event_id, offering_code, charge_type, quantity, occurred_at,
                        recorded_at)
                    SELECT 'big', 'e' || X, 'OFF' || MOD(X, 3), 'CT' || MOD(X, 2), CAST(MOD(X, 7) * 0.1 AS DECIMAL(28,6)),
                        TIMESTAMP WITH TIME ZONE '2024-03-01 00:00:00+00' + (X - 1) * INTERVAL '1' SECOND,
                        TIMESTAMP WITH TIME ZONE '2024-04-01 00:00:00+00'
                    FROM SYSTEM_RANGE(1, 1000000)""");
            assertEquals(EVENTS, rows);
            // another namespace in the same period, which the sums must leave out
            h.execute("""
                    INSERT INTO usage_events (namespace, event_id, offering_code, charge_type, quantity, occurred_at,
                        recorded_at)
                    SELECT 'other', 'e' || X, 'OFF0', 'CT0', 1, TIMESTAMP WITH TIME ZONE '2024-03-02 00:00:00+00',
                        TIMESTAMP WITH TIME ZONE '2024-04-01 00:00:00+00'
                    FROM SYSTEM_RANGE(1, 1000)""");
        }
        long filled = System.nanoTime();

        List<String> sums = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(UsageSumChild.class, dir.resolve("sum-stderr.txt"),
                List.of(HEAP, "-XX:+ExitOnOutOfMemoryError"), db.toString(), "sum", NAMESPACE, FROM.toString(),
                TO.toString())) {
            assertTrue(child.process.waitFor(CHILD_BUDGET_SECONDS, TimeUnit.SECONDS), "the child took too long");
            List<String> lines = child.rest(10);
            assertEquals(0, child.process.exitValue(), "exit value; output " + lines + "; stderr:\n" + child.errors());
            assertEquals("DONE", lines.get(lines.size() - 1), lines.toString());
            lines.stream().filter(l -> l.startsWith("SUM ")).forEach(sums::add);
        }
        long summed = System.nanoTime();
        assertEquals(expectedSums(), sums);

        try (ChildJvm control = ChildJvm.start(UsageSumChild.class, dir.resolve("rows-stderr.txt"),
                List.of(HEAP, "-XX:+ExitOnOutOfMemoryError"), db.toString(), "rows", NAMESPACE, FROM.toString(),
                TO.toString())) {
            assertTrue(control.process.waitFor(CHILD_BUDGET_SECONDS, TimeUnit.SECONDS), "the control took too long");
            List<String> lines = control.rest(10);
            assertNotEquals(0, control.process.exitValue(), "loading every row fit in " + HEAP + ": " + lines);
            // -XX:+ExitOnOutOfMemoryError reports on standard output
            String report = lines + "\n" + control.errors();
            assertTrue(report.contains("OutOfMemoryError"), report);
        }
        long controlled = System.nanoTime();
        System.out.printf("UsageSumMemoryTest: fill %d ms, sumUsage child %d ms, row-loading control %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(filled - start), TimeUnit.NANOSECONDS.toMillis(summed - filled),
                TimeUnit.NANOSECONDS.toMillis(controlled - summed));
    }

    /** @return the child's expected lines, computed from the generating formulas */
    private static List<String> expectedSums() {
        Map<String, long[]> tenthsAndCounts = new TreeMap<>();
        for (long x = 1; x <= EVENTS; x++) {
            Instant at = BASE.plusSeconds(x - 1);
            if (at.isBefore(FROM) || !at.isBefore(TO)) {
                continue;
            }
            long[] acc = tenthsAndCounts.computeIfAbsent("OFF" + x % 3 + " CT" + x % 2, k -> new long[2]);
            acc[0] += x % 7;
            acc[1]++;
        }
        List<String> lines = new ArrayList<>();
        tenthsAndCounts.forEach((key, acc) -> lines.add("SUM " + key + " "
                + BigDecimal.valueOf(acc[0], 1).setScale(JdbiSession.QUANTITY_SCALE).toPlainString() + " " + acc[1]));
        assertEquals(6, lines.size());
        return lines;
    }
}
