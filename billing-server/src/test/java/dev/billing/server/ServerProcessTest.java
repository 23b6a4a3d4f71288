package dev.billing.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.jdbc.ChildJvm;
import dev.billing.jdbc.JdbiStorage;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a user runs it: a separate JVM started with {@code serve} and the sample files, bound to
 * 127.0.0.1 by default, stopped with SIGTERM; what it acknowledged is in the database afterwards.
 */
class ServerProcessTest {

    private static final Pattern LISTENING = Pattern.compile("billing server listening on http://127\\.0\\.0\\.1:(\\d+) .*");

    @TempDir
    Path dir;

    @Test
    void serve_bindsToLoopback_andSigtermStopsItGracefully_keepingWhatItAcknowledged() throws Exception {
        Path db = dir.resolve("billing");
        Path examples = Path.of("..", "examples").toAbsolutePath().normalize();
        int port;
        try (ChildJvm child = ChildJvm.start(BillingServer.class, dir.resolve("stderr.txt"), "serve", "--db",
                db.toString(), "--port", "0", "--due-every", "0", "--catalog",
                examples.resolve("catalog.json").toString(), "--tokens", examples.resolve("tokens.json").toString())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            Matcher m = null;
            for (String line; (line = child.next(deadline)) != null && !line.equals(ChildJvm.EOF);) {
                m = LISTENING.matcher(line);
                if (m.matches()) {
                    break;
                }
                m = null;
            }
            assertNotNull(m, "the server did not say where it listens; stderr:\n" + child.errors());
            port = Integer.parseInt(m.group(1));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest
                    .newBuilder(URI.create("http://127.0.0.1:" + port + "/payment/v1/recharge"))
                    .header("X-Auth-Token", "ops-secret").header("Content-Type", "application/json")
                    .header("Idempotency-Key", "r1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":1234.34,\"namespace\":\"chaizs\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            child.process.destroy(); // SIGTERM
            assertTrue(child.process.waitFor(30, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
            assertEquals(143, child.process.exitValue(), "ended by SIGTERM (128 + 15)");
            assertTrue(child.errors().contains("billing server stopped"), "the shutdown hook ran; stderr:\n" + child.errors());
        }
        try (JdbiStorage reopened = JdbiStorage.h2File(db)) {
            assertEquals(0, new BigDecimal("1234.34").compareTo(
                    reopened.inTransaction(s -> s.accounts().findAccount("chaizs")).orElseThrow().balance()));
        }
    }
}
