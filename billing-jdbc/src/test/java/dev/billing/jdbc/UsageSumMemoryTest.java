package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine estimates and closes the period of an account with half a million usage events in a 64 MB
 * heap: the database sums, nothing loads the events. A control run in the same heap that does load
 * them (a snapshot) must die of {@link OutOfMemoryError}, which shows the heap is small enough for the
 * first run to mean something. The expected figures are computed here, from the generating formulas
 * and the rates' terms, with {@link BigDecimal}.
 */
class UsageSumMemoryTest {

    static final int EVENTS = 500_000;
    static final Instant ESTIMATE_AT = Instant.parse("2024-03-20T00:00:00Z");
    private static final String HEAP = "-Xmx64m";
    private static final long CHILD_BUDGET_SECONDS = 120;

    @TempDir
    Path dir;

    @Test
    void estimateAndClose_ofHalfAMillionEvents_runInA64MegabyteHeap_andAreExact() throws Exception {
        Path db = dir.resolve("usage");
        long start = System.nanoTime();
        List<String> lines;
        try (ChildJvm child = ChildJvm.start(UsageSumChild.class, dir.resolve("engine-stderr.txt"),
                List.of(HEAP, "-XX:+ExitOnOutOfMemoryError"), db.toString(), "engine")) {
            assertTrue(child.process.waitFor(CHILD_BUDGET_SECONDS, TimeUnit.SECONDS), "the child took too long");
            lines = child.rest(20);
            assertEquals(0, child.process.exitValue(), "exit value; output " + lines + "; stderr:\n" + child.errors());
        }
        long engined = System.nanoTime();
        assertEquals(expected(), lines.stream().filter(l -> !l.startsWith("HEAP ")).toList());

        try (ChildJvm control = ChildJvm.start(UsageSumChild.class, dir.resolve("rows-stderr.txt"),
                List.of(HEAP, "-XX:+ExitOnOutOfMemoryError"), db.toString(), "rows")) {
            assertTrue(control.process.waitFor(CHILD_BUDGET_SECONDS, TimeUnit.SECONDS), "the control took too long");
            List<String> out = control.rest(10);
            assertNotEquals(0, control.process.exitValue(), "loading every row fit in " + HEAP + ": " + out);
            // -XX:+ExitOnOutOfMemoryError reports on standard output
            String report = out + "\n" + control.errors();
            assertTrue(report.contains("OutOfMemoryError"), report);
        }
        long controlled = System.nanoTime();
        System.out.printf("UsageSumMemoryTest: engine child %d ms, row-loading control %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(engined - start), TimeUnit.NANOSECONDS.toMillis(controlled - engined));
    }

    /** @return the child's expected lines, from the generating formulas and the rates' terms */
    private static List<String> expected() {
        Map<String, BigDecimal> quantities = new TreeMap<>();
        for (long x = 1; x <= EVENTS; x++) {
            quantities.merge("OFF" + x % 3 + " CT" + x % 2, BigDecimal.valueOf(x % 7, 1), BigDecimal::add);
        }
        List<String> lines = new ArrayList<>();
        BigDecimal subTotal = BigDecimal.ZERO;
        for (Map.Entry<String, BigDecimal> q : quantities.entrySet()) {
            BigDecimal amount = price(q.getKey(), q.getValue()).setScale(2, RoundingMode.HALF_EVEN);
            subTotal = subTotal.add(amount);
            lines.add("LINE " + q.getKey() + " " + q.getValue().stripTrailingZeros().toPlainString() + " "
                    + amount.toPlainString());
        }
        assertEquals(6, lines.size());
        BigDecimal over = subTotal.subtract(new BigDecimal("1000.00"));
        BigDecimal discount = over.signum() > 0
                ? over.multiply(new BigDecimal("0.10")).setScale(2, RoundingMode.HALF_EVEN) : BigDecimal.ZERO.setScale(2);
        BigDecimal total = subTotal.subtract(discount);
        lines.add("DISCOUNT " + discount.negate().toPlainString());
        lines.add("SUBTOTAL " + subTotal.toPlainString());
        lines.add("TOTAL " + total.toPlainString());
        lines.add("STATEMENT " + total.toPlainString());
        lines.add("BALANCE " + UsageSumChild.RECHARGE.subtract(total).toPlainString());
        lines.add("DONE");
        return lines;
    }

    /** The exact price of a quantity under {@link UsageSumChild#rates()}, written out by hand. */
    private static BigDecimal price(String key, BigDecimal q) {
        return switch (key) {
            case "OFF0 CT0" -> q.multiply(new BigDecimal("0.123"));
            case "OFF0 CT1" -> q.subtract(new BigDecimal("1000")).max(BigDecimal.ZERO).multiply(new BigDecimal("0.0075"));
            case "OFF1 CT0" -> q.min(new BigDecimal("10000")).multiply(new BigDecimal("0.05"))
                    .add(q.subtract(new BigDecimal("10000")).max(BigDecimal.ZERO).multiply(new BigDecimal("0.02")));
            case "OFF1 CT1" -> q.multiply(new BigDecimal("0.33"));
            case "OFF2 CT0" -> q.subtract(new BigDecimal("50")).max(BigDecimal.ZERO).multiply(new BigDecimal("1.5"));
            case "OFF2 CT1" -> {
                BigDecimal b = q.subtract(new BigDecimal("20")).max(BigDecimal.ZERO);
                yield b.min(new BigDecimal("100")).multiply(new BigDecimal("0.1"))
                        .add(b.min(new BigDecimal("5000")).subtract(new BigDecimal("100")).max(BigDecimal.ZERO)
                                .multiply(new BigDecimal("0.07")))
                        .add(b.subtract(new BigDecimal("5000")).max(BigDecimal.ZERO).multiply(new BigDecimal("0.011")));
            }
            default -> throw new AssertionError(key);
        };
    }
}
