package dev.billing.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billing.jdbc.ChildJvm;
import dev.billing.jdbc.JdbiStorage;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a user runs it: a separate JVM started with {@code serve} and the sample files, bound to
 * 127.0.0.1 by default, stopped with SIGTERM; what it acknowledged is in the database afterwards, and
 * what it did not acknowledge is not.
 */
class ServerProcessTest {

    private static final Pattern LISTENING = Pattern.compile("billing server listening on http://127\\.0\\.0\\.1:(\\d+) .*");
    private static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    private static final int EVENTS_PER_BATCH = 4000;

    @TempDir
    Path dir;

    ChildJvm serve(Path db, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("serve", "--db", db.toString(), "--port", "0", "--due-every", "0",
                "--catalog", EXAMPLES.resolve("catalog.json").toString(), "--tokens",
                EXAMPLES.resolve("tokens.json").toString()));
        args.addAll(List.of(more));
        return ChildJvm.start(BillingServer.class, dir.resolve("stderr.txt"), args.toArray(String[]::new));
    }

    static int port(ChildJvm child) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String line; (line = child.next(deadline)) != null && !line.equals(ChildJvm.EOF);) {
            Matcher m = LISTENING.matcher(line);
            if (m.matches()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the server did not say where it listens; stderr:\n" + child.errors());
    }

    static HttpRequest post(int port, String path, String key, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("X-Auth-Token", "ops-secret")
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void serve_bindsToLoopback_andSigtermStopsItGracefully_keepingWhatItAcknowledged() throws Exception {
        Path db = dir.resolve("billing");
        try (ChildJvm child = serve(db)) {
            int port = port(child);
            HttpResponse<String> r = HttpClient.newHttpClient().send(post(port, "/payment/v1/recharge", "r1",
                    "{\"amount\":1234.34,\"namespace\":\"chaizs\"}"), HttpResponse.BodyHandlers.ofString());
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

    /** One request and how it ended: answered (status, body) or not ({@code failure}). */
    record Outcome(String namespace, String batch, long sentNanos, long answeredNanos, int status, String body,
            String failure) {
        boolean ok() {
            return status == 200;
        }

        @Override
        public String toString() {
            return "Outcome[" + namespace + " " + batch + " " + status + " " + failure + " "
                    + (body == null ? "" : body.substring(0, Math.min(body.length(), 300))) + "]";
        }
    }

    static String batch(String id, String at) {
        StringBuilder b = new StringBuilder("{\"usage\":[");
        for (int i = 0; i < EVENTS_PER_BATCH; i++) {
            b.append(i == 0 ? "" : ",").append("{\"eventId\":\"").append(id).append('-').append(i)
                    .append("\",\"offeringCode\":\"DBAAS\",\"chargeType\":\"UPTIME\",\"quantity\":\"1\",\"timestamp\":\"")
                    .append(at).append("\"}");
        }
        return b.append("]}").toString();
    }

    @Test
    void sigterm_underLoad_finishesEveryRequestItStarted_andStartsNoneAfter() throws Exception {
        Path db = dir.resolve("billing");
        List<String> wallets = List.of("drain-r0", "drain-r1", "drain-r2", "drain-r3");
        List<String> meters = List.of("drain-u0", "drain-u1");
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        long signal;
        String stderr;
        try (ChildJvm child = serve(db, "--drain", "30")) {
            int port = port(child);
            HttpClient setup = HttpClient.newHttpClient();
            for (String u : meters) {
                assertEquals(200, setup.send(post(port, "/payment/v1/recharge", u + "-open", "{\"amount\":1,\"namespace\":\""
                        + u + "\",\"currency\":\"USD\"}"), HttpResponse.BodyHandlers.ofString()).statusCode());
            }
            String at = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(); // after the accounts opened
            List<Thread> clients = new ArrayList<>();
            for (String ns : wallets) {
                clients.add(client(stop, outcomes, n -> post(port, "/payment/v1/recharge", ns + "-" + n,
                        "{\"amount\":1.00,\"namespace\":\"" + ns + "\"}"), ns, n -> null));
            }
            for (String u : meters) {
                clients.add(client(stop, outcomes, n -> post(port, "/v2/accounts/" + u + "/usage", u + "-b" + n,
                        batch(u + "-b" + n, at)), u, n -> u + "-b" + n));
            }
            clients.forEach(Thread::start);
            // under steady load: every usage client has had a batch answered, then the signal
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (meters.stream().anyMatch(u -> outcomes.stream().noneMatch(o -> o.namespace().equals(u) && o.ok()))) {
                assertTrue(System.nanoTime() < deadline, "no usage batch was answered; stderr:\n" + child.errors());
                Thread.sleep(20);
            }
            Thread.sleep(300);
            signal = System.nanoTime();
            child.process.destroy(); // SIGTERM
            assertTrue(child.process.waitFor(60, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
            stop.set(true);
            for (Thread t : clients) {
                t.join(30_000);
            }
            assertEquals(143, child.process.exitValue(), "ended by SIGTERM (128 + 15)");
            stderr = child.errors();
            assertTrue(stderr.contains("billing server stopped"), "the shutdown hook ran; stderr:\n" + stderr);
        }
        for (Outcome o : outcomes) {
            if (o.batch() != null && o.ok()) {
                assertTrue(o.body().startsWith("{\"accepted\":" + EVENTS_PER_BATCH + ","), o.toString());
            }
        }
        // every answer was a normal one, or the 503 of a server that is stopping; never a storage failure
        for (Outcome o : outcomes) {
            if (o.failure() == null && !o.ok()) {
                assertEquals(503, o.status(), o + "\nstderr:\n" + stderr);
                assertTrue(o.body().contains("\"code\":\"unavailable\""), o.toString());
            }
        }
        // the race happened: batches sent before the signal were answered after it (they ran across it)
        long across = outcomes.stream().filter(o -> o.batch() != null && o.ok() && o.sentNanos() < signal
                && o.answeredNanos() > signal).count();
        assertTrue(across > 0, "no request was running when the signal came; outcomes: " + outcomes.size());
        // what was answered 200 is stored, and what was not answered 200 was never started
        try (BillingServer again = BillingServer.start(ServerOptions.parse(List.of("--db", db.toString(), "--port", "0",
                "--due-every", "0"), Map.of()), BillingServer.resource("examples/catalog.json"),
                BillingServer.resource("examples/tokens.json"))) {
            HttpClient http = HttpClient.newHttpClient();
            for (String ns : wallets) {
                long ok = outcomes.stream().filter(o -> o.namespace().equals(ns) && o.ok()).count();
                BigDecimal balance = again.storage().inTransaction(s -> s.accounts().findAccount(ns))
                        .map(a -> a.balance()).orElse(BigDecimal.ZERO);
                assertEquals(0, BigDecimal.valueOf(ok).compareTo(balance),
                        ns + ": the balance (" + balance + ") is the recharges answered 200 (" + ok + ")");
            }
            for (String u : meters) {
                long ok = outcomes.stream().filter(o -> o.namespace().equals(u) && o.ok()).count();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + again.port()
                        + "/v2/accounts/" + u + "/estimated_charges?offeringCode=DBAAS")).header("X-Auth-Token",
                        "ops-secret").build(), HttpResponse.BodyHandlers.ofString());
                JsonNode line = BillingServer.JSON.readTree(r.body()).at("/estimatedCharges/estimatedCharge/0");
                assertEquals(0, BigDecimal.valueOf(ok * EVENTS_PER_BATCH).compareTo(new BigDecimal(line.get("quantity").asText())),
                        u + ": the events stored are those of the batches answered 200 (" + ok + "): " + r.body());
            }
        }
    }

    interface Requests {
        HttpRequest next(int n);
    }

    interface Batches {
        String of(int n);
    }

    /** A client on its own keep-alive connection, sending until {@code stop}, recording every outcome. */
    static Thread client(AtomicBoolean stop, ConcurrentLinkedQueue<Outcome> outcomes, Requests requests, String ns,
            Batches batches) {
        return new Thread(() -> {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int n = 0; !stop.get(); n++) {
                long sent = System.nanoTime();
                try {
                    HttpResponse<String> r = http.send(requests.next(n), HttpResponse.BodyHandlers.ofString());
                    outcomes.add(new Outcome(ns, batches.of(n), sent, System.nanoTime(), r.statusCode(), r.body(), null));
                } catch (IOException e) {
                    outcomes.add(new Outcome(ns, batches.of(n), sent, System.nanoTime(), 0, null, e.toString()));
                    try {
                        Thread.sleep(20); // refused: the server is gone; do not spin
                    } catch (InterruptedException ie) {
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "drain-client-" + ns);
    }
}
