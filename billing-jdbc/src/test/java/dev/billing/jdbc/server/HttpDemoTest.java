package dev.billing.jdbc.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's demo: both seeds' requests over HTTP, with figures that add up. */
class HttpDemoTest {

    @TempDir
    Path dir;

    @Test
    void demo_replaysBothSeeds_withFiguresThatAddUp() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        HttpDemo.run(List.of("--db", dir.resolve("demo").toString()), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("\"region_describe\": \"铸造一区\""), out);
        assertTrue(out.contains("\"balance\": 1234.34"), out);
        // 1234.34 - 40.88 - 10.00, then the 40.88 refunded
        assertTrue(out.contains("\"balance\": 1183.46"), out);
        assertTrue(out.contains("\"balance\": 1224.34"), out);
        assertTrue(out.contains("402 {"), "the empty wallet's checkout is refused");
        // the second seed: 4.00 + 3.09 + 0.24 + 13.00 = 20.33, less 10% of 10.33
        assertTrue(out.contains("\"chargeSubTotal\": \"20.33\""), out);
        assertTrue(out.contains("\"discountTotal\": \"-1.03\""), out);
        assertTrue(out.contains("\"total\": \"19.30\""), out);
        assertTrue(out.contains("\"chargeDetails\": \"100 GB x 0.12 + 12.5 GB x 0.08 = 13.00\""), out);
        assertFalse(out.contains("\n500 "), out);
    }
}
