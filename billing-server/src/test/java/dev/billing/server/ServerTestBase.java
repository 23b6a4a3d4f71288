package dev.billing.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billing.spi.StorageSnapshot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real server on an ephemeral port and a temporary H2 file, with the example catalog and tokens, and
 * a client for it: what the tests that drive it over HTTP share.
 */
@Timeout(120)
abstract class ServerTestBase {

    static final String OPS = "ops-secret";
    static final String CHAIZS = "chaizs-secret";
    static final String WATCHER = "watcher-secret";

    @TempDir
    Path dir;

    BillingServer server;
    final HttpClient client = HttpClient.newHttpClient();

    ServerOptions options() {
        return ServerOptions.parse(List.of("--db", dir.resolve("billing").toString(), "--port", "0", "--zone",
                "Asia/Shanghai", "--max-body", Integer.toString(64 * 1024), "--due-every", "0"), Map.of());
    }

    BillingServer start() throws IOException {
        return BillingServer.start(options(), BillingServer.resource("examples/catalog.json"),
                BillingServer.resource("examples/tokens.json"));
    }

    @BeforeEach
    void up() throws IOException {
        server = start();
    }

    @AfterEach
    void down() {
        server.close();
    }

    StorageSnapshot snapshot() {
        return server.storage().snapshot();
    }

    HttpRequest.Builder request(String target, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + target));
        return token == null ? b : b.header("X-Auth-Token", token);
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    HttpResponse<String> get(String target, String token) throws IOException, InterruptedException {
        return send(request(target, token).GET());
    }

    HttpResponse<String> post(String target, String token, byte[] body, String key) throws IOException,
            InterruptedException {
        HttpRequest.Builder b = request(target, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        return send(key == null ? b : b.header("Idempotency-Key", key));
    }

    HttpResponse<String> post(String target, String token, String body, String key) throws IOException,
            InterruptedException {
        return post(target, token, body.getBytes(StandardCharsets.UTF_8), key);
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return BillingServer.JSON.readTree(r.body().strip());
    }

    static void assertError(int status, String code, HttpResponse<String> r) throws IOException {
        assertEquals(status, r.statusCode(), r.body().strip());
        assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(null));
        assertEquals(code, json(r).get("error").get("code").asText(), r.body().strip());
    }
}
