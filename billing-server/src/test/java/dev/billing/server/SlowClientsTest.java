package dev.billing.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that hold connections without finishing their requests, over loopback: partial headers,
 * partial bodies, headers trickled a byte at a time, sockets that send nothing, and more sockets than
 * the server has threads. Other clients are still answered, and every such socket is closed by the
 * deadline that applies to it. Each wait is bounded by a socket timeout, so a server that never
 * closes fails the test instead of hanging it.
 */
class SlowClientsTest {

    /** More than {@code BillingServer}'s threads: on a server that reads with a thread per socket, these starve it. */
    private static final int SLOW_SOCKETS = 80;

    @TempDir
    Path dir;

    BillingServer server;
    final List<Socket> sockets = new ArrayList<>();

    BillingServer start(String... limits) throws IOException {
        List<String> args = new ArrayList<>(List.of("--db", dir.resolve("billing").toString(), "--port", "0",
                "--due-every", "0"));
        args.addAll(List.of(limits));
        server = BillingServer.start(ServerOptions.parse(args, Map.of()), BillingServer.resource("examples/catalog.json"),
                BillingServer.resource("examples/tokens.json"));
        return server;
    }

    @AfterEach
    void down() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    Socket open(String sent) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(15_000);
        sockets.add(s);
        if (!sent.isEmpty()) {
            s.getOutputStream().write(sent.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
        }
        return s;
    }

    /** @return what the server sent before it closed the socket; fails if it is still open after the socket timeout */
    static String untilClosed(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder got = new StringBuilder();
        try {
            for (int b; (b = in.read()) >= 0;) {
                got.append((char) b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept a slow socket open past every deadline; it sent: " + got, e);
        } catch (SocketException e) {
            // reset by the server: closed too
        }
        return got.toString();
    }

    int regions(HttpClient client) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/payment/v1/regions"))
                .header("X-Auth-Token", "watcher-secret").timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void partialHeadersAndBodies_fromMoreSocketsThanThreads_doNotStopOthers_andAreClosedByTheirDeadlines()
            throws Exception {
        start("--header-timeout", "2", "--body-timeout", "3", "--idle-timeout", "30");
        List<Socket> partialHeaders = new ArrayList<>();
        List<Socket> partialBodies = new ArrayList<>();
        for (int i = 0; i < SLOW_SOCKETS / 2; i++) {
            partialHeaders.add(open("GET /payment/v1/regions HTTP/1.1\r\nHost: x\r\n"));
            partialBodies.add(open("POST /payment/v1/recharge HTTP/1.1\r\nHost: x\r\nX-Auth-Token: ops-secret\r\n"
                    + "Content-Type: application/json\r\nIdempotency-Key: slow-" + i + "\r\nContent-Length: 100\r\n\r\n"
                    + "{\"amount\":"));
        }
        // while all of them are held, another client is answered, request after request (each within 5 s)
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 20; i++) {
            assertEquals(200, regions(client));
        }
        // then each is closed by its deadline: headers after 2 s (nothing sent back), bodies after 3 s (408)
        for (Socket s : partialHeaders) {
            assertEquals("", untilClosed(s));
        }
        for (Socket s : partialBodies) {
            String answer = untilClosed(s);
            assertTrue(answer.startsWith("HTTP/1.1 408 "), answer);
            assertTrue(answer.contains("Connection: close"), answer);
            assertTrue(answer.endsWith("{\"error\":{\"code\":\"request_timeout\",\"message\":\"body: did not arrive"
                    + " within 3 s\"}}"), answer);
        }
        assertEquals(SLOW_SOCKETS / 2, server.headerTimeouts());
        // none of the bodies' recharges happened
        assertEquals(404, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/payment/v1/balance?namespace=chaizs")).header("X-Auth-Token", "ops-secret").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(200, regions(client));
    }

    @Test
    void headersTrickledByteByByte_areClosedByTheHeaderDeadline_thoughNeverIdle() throws Exception {
        // a byte every 200 ms never lets the 30 s idle timeout fire: only the header deadline closes it
        start("--header-timeout", "1", "--idle-timeout", "30");
        Socket s = open("G");
        byte[] rest = "ET /payment/v1/regions HTTP/1.1\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                .getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        boolean closed = false;
        for (int i = 0; i < rest.length && !closed; i++) {
            Thread.sleep(200);
            try {
                s.getOutputStream().write(rest[i]);
                s.getOutputStream().flush();
            } catch (IOException e) {
                closed = true;
            }
        }
        assertEquals("", untilClosed(s));
        assertEquals(1, server.headerTimeouts());
        // it was closed long before its headers could have been complete, and long before the idle timeout
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(rest.length / 5), "closed late");
    }

    @Test
    void aSocketThatSendsNothing_isClosedByTheIdleTimeout() throws Exception {
        start("--idle-timeout", "1", "--header-timeout", "30");
        Socket s = open("");
        assertEquals("", untilClosed(s));
        assertEquals(0, server.headerTimeouts(), "nothing was sent: the idle timeout's, not the header deadline's");
    }

    @Test
    void connectionsPastTheCap_waitForAFreeOne_andTheServerNeverHoldsMore() throws Exception {
        start("--max-connections", "8", "--idle-timeout", "2");
        for (int i = 0; i < 16; i++) {
            open("");
        }
        int most = 0;
        for (int i = 0; i < 20; i++) {
            most = Math.max(most, server.connections());
            Thread.sleep(25);
        }
        assertEquals(8, most, "the server accepted up to its cap, and no more");
        // the idle ones are closed after 2 s, and the waiting ones are accepted in their place
        HttpClient client = HttpClient.newHttpClient();
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/payment/v1/regions")).header("X-Auth-Token", "watcher-secret").timeout(Duration.ofSeconds(15))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        for (Socket s : sockets) {
            assertEquals("", untilClosed(s));
        }
    }
}
