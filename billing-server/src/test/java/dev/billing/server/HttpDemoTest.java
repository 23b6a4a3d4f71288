package dev.billing.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    @Test
    void demoServe_servesInTheDemosZone_likeTheDemoPrinted() throws Exception {
        ServerOptions o = HttpDemo.serveOptions();
        ServerOptions d = ServerOptions.defaults();
        assertEquals(HttpDemo.ZONE, o.zone());
        assertEquals(List.of(d.db(), d.port(), d.bind(), d.currency(), d.maxBodyBytes(), d.dueEverySeconds()),
                List.of(o.db(), o.port(), o.bind(), o.currency(), o.maxBodyBytes(), o.dueEverySeconds()));
        // the same options on a temporary file and a free port: the seeds' +08:00
        ServerOptions here = ServerOptions.parse(List.of("--db", dir.resolve("serve").toString(), "--port", "0",
                "--zone", o.zone().getId(), "--due-every", "0"), Map.of());
        try (BillingServer server = BillingServer.start(here, BillingServer.resource("examples/catalog.json"),
                BillingServer.resource("examples/tokens.json"))) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/payment/v1/market?region=aws")).header("X-Auth-Token", "watcher-secret").build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().matches("(?s).*\"creation_time\":\"[0-9T:-]{19}\\+08:00\".*"), r.body());
        }
    }
}
