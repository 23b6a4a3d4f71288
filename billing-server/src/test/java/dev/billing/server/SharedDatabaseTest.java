package dev.billing.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.jdbc.ServerDatabase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two servers on two ports, one PostgreSQL or MariaDB database ({@code --jdbc-url}): what one
 * acknowledges the other serves, an idempotency key used on one is honoured by the other (money moves
 * once, a remembered answer is answered again), and checkouts sent to both at once keep exact books.
 */
class SharedDatabaseTest {

    final HttpClient http = HttpClient.newHttpClient();

    static BillingServer start(ServerDatabase.Scratch scratch) throws IOException {
        return BillingServer.start(ServerOptions.parse(List.of("--jdbc-url", scratch.url(), "--port", "0", "--due-every",
                "0"), Map.of()), BillingServer.resource("examples/catalog.json"), BillingServer.resource("examples/tokens.json"));
    }

    HttpResponse<String> post(BillingServer s, String path, String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                .header("X-Auth-Token", "ops-secret").header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(BillingServer s, String target) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + target))
                .header("X-Auth-Token", "ops-secret").build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @EnumSource(ServerDatabase.class)
    void twoServers_oneDatabase_serveOneSetOfBooks(ServerDatabase database) throws Exception {
        try (ServerDatabase.Scratch scratch = database.scratch(); BillingServer a = start(scratch);
                BillingServer b = start(scratch)) {
            assertTrue(a.describe().contains(" at jdbc:"), a.describe());
            HttpResponse<String> first = post(a, "/payment/v1/recharge", "r1", "{\"amount\":100.00,\"namespace\":\"chaizs\"}");
            assertEquals(200, first.statusCode(), first.body());
            assertEquals("{\"balance\":100.00,\"status\":\"active\"}", get(b, "/payment/v1/balance?namespace=chaizs").body().strip());
            // the same key on the other server: the same answer, and the money moved once
            assertEquals(first.body(), post(b, "/payment/v1/recharge", "r1", "{\"amount\":100.00,\"namespace\":\"chaizs\"}").body());
            assertEquals("{\"balance\":100.00,\"status\":\"active\"}", get(a, "/payment/v1/balance?namespace=chaizs").body().strip());
            // a remembered answer of a non-money POST is the other server's answer too
            String region = "{\"identification\":\"eu-1\",\"region_describe\":\"Europe\"}";
            HttpResponse<String> defined = post(a, "/payment/v1/admin/regions", "region-1", region);
            assertEquals(200, defined.statusCode(), defined.body());
            HttpResponse<String> again = post(b, "/payment/v1/admin/regions", "region-1", region);
            assertEquals(defined.body(), again.body());
            assertEquals(409, post(b, "/payment/v1/admin/regions", "region-1",
                    "{\"identification\":\"eu-2\",\"region_describe\":\"Europe\"}").statusCode(), "the key is taken");
            // checkouts of a 20.00 plan sent to both at once: 5 fit in 100.00, whichever server takes them
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> sent = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    BillingServer s = i % 2 == 0 ? a : b;
                    String key = "c" + i;
                    sent.add(pool.submit(() -> post(s, "/payment/v1/checkout", key,
                            "{\"plan_id\":\"c-small\",\"namespace\":\"chaizs\",\"region\":\"aws\"}").statusCode()));
                }
                int bought = 0;
                for (Future<Integer> f : sent) {
                    int status = f.get();
                    assertTrue(status == 200 || status == 402, "checkout answered " + status);
                    bought += status == 200 ? 1 : 0;
                }
                assertEquals(5, bought);
            } finally {
                pool.shutdownNow();
            }
            assertEquals("{\"balance\":0.00,\"status\":\"active\"}", get(b, "/payment/v1/balance?namespace=chaizs").body().strip());
        }
    }
}
