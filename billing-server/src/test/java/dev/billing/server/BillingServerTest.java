package dev.billing.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billing.http.CatalogFile;
import dev.billing.spi.StorageSnapshot;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real server on an ephemeral port and a temporary H2 file, driven over HTTP. */
class BillingServerTest extends ServerTestBase {

    @Test
    void theSecondSeed_estimatedCharges_overHttp_fromTheCatalogsRateCard() throws Exception {
        assertEquals(200, post("/payment/v1/recharge", OPS, "{\"amount\":100.00,\"namespace\":\"ran\",\"currency\":\"USD\"}",
                "r-ran").statusCode());
        String at = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        HttpResponse<String> r = post("/v2/accounts/ran/usage", OPS, "{\"usage\":["
                + "{\"eventId\":\"e1\",\"offeringCode\":\"DBAAS\",\"chargeType\":\"UPTIME\",\"quantity\":\"10.00\",\"timestamp\":\"" + at + "\"},"
                + "{\"eventId\":\"e2\",\"offeringCode\":\"RCDN\",\"chargeType\":\"BWOUT\",\"quantity\":112.5,\"timestamp\":\"" + at + "\"}]}",
                null);
        assertEquals(200, r.statusCode(), r.body().strip());
        assertEquals(2, json(r).get("accepted").asInt(), r.body().strip());
        r = get("/v2/accounts/ran/estimated_charges?limit=1", OPS);
        assertEquals(200, r.statusCode(), r.body().strip());
        JsonNode e = json(r).get("estimatedCharges");
        assertEquals("17.00", e.get("chargeSubTotal").asText());
        assertEquals("17.00", e.get("total").asText());
        assertEquals(1, e.get("estimatedCharge").size());
        assertEquals("/v2/accounts/ran/estimated_charges?marker=1&limit=1", e.get("link").get(0).get("href").asText());
        r = get(e.get("link").get(0).get("href").asText(), OPS);
        assertEquals("13.00", json(r).get("estimatedCharges").get("estimatedCharge").get(0).get("amount").asText());
        assertError(403, "forbidden", get("/v2/accounts/ran/estimated_charges", CHAIZS));
        assertError(401, "unauthorized", get("/v2/accounts/ran/estimated_charges", null));
    }

    @Test
    void theSeedsStory_overHttp_addsUp() throws Exception {
        HttpResponse<String> r = get("/payment/v1/regions", WATCHER);
        assertEquals(200, r.statusCode(), r.body().strip());
        assertTrue(r.body().contains("\"region_describe\":\"铸造一区\""), r.body().strip());

        r = get("/payment/v1/market?region=aws&type=c", WATCHER);
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"price\":20.00,") && r.body().contains("\"price\":40.88,")
                && r.body().contains("\"price\":88.88,"), r.body().strip());

        r = post("/payment/v1/recharge", OPS, "{\"amount\":1234.34,\"namespace\":\"chaizs\"}", "r-1");
        assertEquals("{\"balance\":1234.34,\"status\":\"active\"}", r.body().strip());
        r = post("/payment/v1/checkout", CHAIZS, "{\"plan_id\":\"c-medium\",\"namespace\":\"chaizs\",\"region\":\"aws\"}",
                "c-1");
        assertEquals("{\"balance\":1193.46,\"status\":\"active\"}", r.body().strip());

        r = get("/payment/v1/amounts?namespace=chaizs", CHAIZS);
        assertEquals(200, r.statusCode());
        JsonNode purchase = json(r).get(0);
        assertEquals(new BigDecimal("40.88"), purchase.get("amount").decimalValue());
        assertTrue(purchase.get("creation_time").asText().endsWith("+08:00"));
        String id = purchase.get("trans_id").asText();
        assertEquals(purchase, json(get("/payment/v1/amount/" + id + "?namespace=chaizs", CHAIZS)));

        r = post("/payment/v1/refund", CHAIZS, "{\"namespace\":\"chaizs\",\"trans_id\":\"" + id + "\"}", "f-1");
        assertEquals(200, r.statusCode(), r.body().strip());
        assertEquals("{\"balance\":1234.34,\"status\":\"active\"}", get("/payment/v1/balance?namespace=chaizs", CHAIZS).body().strip());
        JsonNode account = json(get("/payment/v1/account?namespace=chaizs", CHAIZS));
        assertEquals(false, account.get("purchased").asBoolean());
        assertEquals(new BigDecimal("1234.34"), account.get("balance").get("balance").decimalValue());
    }

    @Test
    void httpLevelErrors_overTheWire() throws Exception {
        assertError(401, "unauthorized", get("/payment/v1/regions", null));
        assertError(401, "unauthorized", get("/payment/v1/regions", "wrong"));
        assertError(404, "not_found", get("/nothing", OPS));
        HttpResponse<String> r = send(request("/payment/v1/regions", OPS).DELETE());
        assertError(405, "method_not_allowed", r);
        assertEquals("GET, HEAD", r.headers().firstValue("Allow").orElse(null));
        assertError(406, "not_acceptable", send(request("/payment/v1/regions", OPS).header("Accept", "text/html")));
        assertError(415, "unsupported_media_type", send(request("/payment/v1/recharge", OPS)
                .header("Content-Type", "text/plain").header("Idempotency-Key", "k")
                .POST(HttpRequest.BodyPublishers.ofString("{\"amount\":1,\"namespace\":\"chaizs\"}"))));
        assertError(403, "forbidden", get("/payment/v1/balance?namespace=other", CHAIZS));
        assertError(403, "forbidden", post("/payment/v1/recharge", WATCHER, "{\"amount\":1,\"namespace\":\"chaizs\"}", "k"));
        assertError(403, "forbidden", post("/payment/v1/admin/plans/retire", CHAIZS, "{\"plan_id\":\"c-small\"}", null));
        assertError(404, "account_not_found", get("/payment/v1/balance?namespace=nobody", OPS));
        post("/payment/v1/recharge", OPS, "{\"amount\":1,\"namespace\":\"chaizs\"}", "r-1");
        assertError(402, "insufficient_funds", post("/payment/v1/checkout", OPS,
                "{\"plan_id\":\"c-small\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-1"));
        assertError(409, "idempotency_conflict", post("/payment/v1/recharge", OPS,
                "{\"amount\":2,\"namespace\":\"chaizs\"}", "r-1"));
        assertError(400, "invalid_request", post("/payment/v1/recharge", OPS, "{\"amount\":2,\"namespace\":\"chaizs\"}", null));
    }

    @Test
    void head_isAnsweredAsGetWithoutABody_andLogsNothing() throws Exception {
        List<java.util.logging.LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.addHandler(capture);
        try {
            HttpResponse<String> r = send(request("/payment/v1/regions", WATCHER).method("HEAD",
                    HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, r.statusCode());
            assertEquals("application/json; charset=utf-8", r.headers().firstValue("Content-Type").orElse(null));
            assertEquals("", r.body());
            int getLength = get("/payment/v1/regions", WATCHER).body().getBytes(StandardCharsets.UTF_8).length;
            assertEquals(String.valueOf(getLength), r.headers().firstValue("Content-Length").orElse(null),
                    "HEAD carries the GET's Content-Length");
            r = send(request("/nothing", WATCHER).method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertEquals(404, r.statusCode());
            assertEquals("", r.body());
            r = send(request("/payment/v1/recharge", WATCHER).method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertEquals(405, r.statusCode());
            assertEquals("POST", r.headers().firstValue("Allow").orElse(null));
            // the connection still serves a GET with its body
            r = get("/payment/v1/regions", WATCHER);
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("\"region_describe\":\"铸造一区\""), r.body());
        } finally {
            root.removeHandler(capture);
        }
        assertEquals(List.of(), warnings.stream().map(w -> w.getLoggerName() + ": " + w.getMessage()).toList());
    }

    /** What {@code request} (raw bytes, then the socket is closed for writing) gets back. */
    String rawExchange(String request) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void twoTokenHeaders_authenticateNobody() throws Exception {
        StorageSnapshot before = snapshot();
        String body = "{\"amount\":1,\"namespace\":\"chaizs\"}";
        for (String second : List.of(WATCHER, OPS)) {
            String answer = rawExchange("POST /payment/v1/recharge HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: " + OPS
                    + "\r\nX-Auth-Token: " + second + "\r\nContent-Type: application/json\r\nIdempotency-Key: two\r\n"
                    + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body);
            assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
            assertTrue(answer.contains("\"code\":\"unauthorized\""), answer);
        }
        assertEquals(before, snapshot());
        assertEquals(200, post("/payment/v1/recharge", OPS, "{\"amount\":1,\"namespace\":\"chaizs\"}", "one").statusCode(),
                "one token is served");
    }

    @Test
    void aClientThatGoesAway_isOneShortDebugLine_notAWarningWithATrace() throws Exception {
        List<java.util.logging.LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(java.util.logging.Level.ALL);
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(BillingServer.class.getName());
        java.util.logging.Level level = logger.getLevel();
        logger.setLevel(java.util.logging.Level.ALL);
        logger.addHandler(capture);
        // and Jetty's warnings: a disconnect must not be one there either
        java.util.logging.Logger jetty = java.util.logging.Logger.getLogger("org.eclipse.jetty");
        jetty.addHandler(capture);
        try {
            for (int i = 0; i < 5; i++) {
                // a body announced at 1000 bytes, 10 sent, then the client is gone
                rawExchange("POST /payment/v1/recharge HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: " + OPS
                        + "\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"amount\":");
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (records.stream().filter(r -> r.getMessage().startsWith("connection lost")).count() < 5
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            logger.removeHandler(capture);
            jetty.removeHandler(capture);
            logger.setLevel(level);
        }
        List<java.util.logging.LogRecord> lost = records.stream()
                .filter(r -> r.getMessage().startsWith("connection lost")).toList();
        assertEquals(5, lost.size(), records.stream().map(java.util.logging.LogRecord::getMessage).toList().toString());
        for (java.util.logging.LogRecord r : lost) {
            assertTrue(r.getLevel().intValue() < java.util.logging.Level.INFO.intValue(), r.getLevel() + " " + r.getMessage());
            assertEquals(null, r.getThrown(), "no stack trace");
            assertFalse(r.getMessage().contains("\n"), r.getMessage());
        }
        assertTrue(records.stream().noneMatch(r -> r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()),
                records.stream().map(java.util.logging.LogRecord::getMessage).toList().toString());
    }

    /** A raw request line, for targets {@code java.net.http} refuses to send. */
    String raw(String target) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Auth-Token: " + OPS
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void malformedPercentEscapes_inThePath_areAJson400() throws Exception {
        // %FF is a well-formed escape but not UTF-8, %ZZ no escape at all: Jetty refuses both before any
        // handler runs, and its answer has the API's error shape (JsonErrors), not an HTML page
        for (String target : List.of("/payment/v1/amount/%FF?namespace=chaizs", "/payment/v1/%ZZ")) {
            String r = raw(target);
            assertTrue(r.startsWith("HTTP/1.1 400"), r);
            assertTrue(r.contains("Content-Type: application/json; charset=utf-8"), r);
            assertTrue(r.endsWith("{\"error\":{\"code\":\"bad_request\",\"message\":\"the request is not valid"
                    + " HTTP/1.1 this server accepts (400 Bad Request)\"}}"), r);
        }
    }

    @Test
    void oversizedHeadersAndTargets_areJsonErrors_fromTheServerItself() throws Exception {
        String huge = "x".repeat(10_000);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("GET /payment/v1/regions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: " + huge
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String r = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(r.startsWith("HTTP/1.1 431 "), r);
            assertTrue(r.endsWith("{\"error\":{\"code\":\"header_fields_too_large\",\"message\":\"the request is"
                    + " not valid HTTP/1.1 this server accepts (431 Request Header Fields Too Large)\"}}"), r);
        }
        String r = raw("/payment/v1/regions?x=" + huge);
        assertTrue(r.startsWith("HTTP/1.1 414 "), r);
        assertTrue(r.contains("\"code\":\"uri_too_long\""), r);
    }

    @Test
    void malformedBodies_areClean4xx_andStoreNothing() throws Exception {
        post("/payment/v1/recharge", OPS, "{\"amount\":1,\"namespace\":\"chaizs\"}", "seed");
        StorageSnapshot before = snapshot();
        for (String body : List.of("{\"amount\":1,", "{\"amount\":1e400,\"namespace\":\"chaizs\"}",
                "{\"amount\":NaN,\"namespace\":\"chaizs\"}", "{\"amount\":\"1\",\"namespace\":\"chaizs\"}",
                "{\"amount\":1,\"namespace\":\"chaizs\",\"x\":1}", "{\"namespace\":\"chaizs\"}")) {
            HttpResponse<String> r = post("/payment/v1/recharge", OPS, body, "k");
            assertError(400, "invalid_request", r);
        }
        byte[] latin1 = "{\"amount\":1,\"namespace\":\"ch\u00e4izs\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertError(400, "invalid_request", post("/payment/v1/recharge", OPS, latin1, "k"));
        byte[] big = ("{\"amount\":1,\"namespace\":\"chaizs\",\"pad\":\"" + "x".repeat(1024 * 1024) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        assertError(413, "payload_too_large", post("/payment/v1/recharge", OPS, big, "k"));
        assertEquals(before, snapshot());
        // the connection pool still works after the oversized body
        assertEquals(200, get("/payment/v1/regions", OPS).statusCode());
    }

    @Test
    void zeroWithAHugeScale_isAZero_notAStorageFailure() throws Exception {
        assertEquals(200, post("/payment/v1/recharge", OPS, "{\"amount\":100.00,\"namespace\":\"ran\",\"currency\":\"USD\"}",
                "r-ran").statusCode());
        HttpResponse<String> r = post("/v2/rates", OPS, "{\"offeringCode\":\"ZERO\",\"chargeType\":\"UPTIME\","
                + "\"unitOfMeasure\":\"HRS\",\"currency\":\"USD\",\"rate\":\".40\",\"includedQuantity\":0e-2000000000,"
                + "\"effectiveFrom\":\"2016-01-01\"}", null);
        assertEquals(200, r.statusCode(), r.body().strip());
        assertEquals("0", json(r).get("includedQuantity").asText());
        String at = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        r = post("/v2/accounts/ran/usage", OPS, "{\"usage\":[{\"eventId\":\"z\",\"offeringCode\":\"DBAAS\","
                + "\"chargeType\":\"UPTIME\",\"quantity\":0e-100000000,\"timestamp\":\"" + at + "\"}]}", null);
        assertEquals(200, r.statusCode(), r.body().strip());
        assertEquals("accepted", json(r).get("results").get(0).get("status").asText(), r.body().strip());
    }

    @Test
    void retriedPost_returnsTheSameResponse() throws Exception {
        String body = "{\"amount\":100.00,\"namespace\":\"chaizs\"}";
        HttpResponse<String> first = post("/payment/v1/recharge", OPS, body, "r-1");
        StorageSnapshot before = snapshot();
        HttpResponse<String> again = post("/payment/v1/recharge", OPS, body, "r-1");
        assertEquals(first.statusCode(), again.statusCode());
        assertEquals(first.body(), again.body());
        assertEquals(before, snapshot());
    }

    @Test
    void restart_onTheSameFile_losesNothing_andKeepsRetiredPlansRetired() throws Exception {
        post("/payment/v1/recharge", OPS, "{\"amount\":100,\"namespace\":\"chaizs\"}", "r-1");
        post("/payment/v1/checkout", OPS, "{\"plan_id\":\"c-small\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-1");
        assertEquals(200, post("/payment/v1/admin/plans/retire", OPS, "{\"plan_id\":\"c-large\"}", null).statusCode());
        String created = json(get("/payment/v1/market?region=aws", OPS)).get("plans").get(0).get("creation_time").asText();
        String amounts = get("/payment/v1/amounts?namespace=chaizs", OPS).body();
        server.close();

        server = start();
        assertEquals("{\"balance\":80.00,\"status\":\"active\"}", get("/payment/v1/balance?namespace=chaizs", OPS).body().strip());
        assertEquals(amounts, get("/payment/v1/amounts?namespace=chaizs", OPS).body());
        JsonNode plans = json(get("/payment/v1/market?region=aws", OPS)).get("plans");
        assertEquals(2, plans.size(), "c-large stays retired");
        assertEquals(created, plans.get(0).get("creation_time").asText());
        assertEquals("{\"balance\":80.00,\"status\":\"active\"}", post("/payment/v1/checkout", OPS,
                "{\"plan_id\":\"c-small\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-1").body().strip());
    }

    @Test
    void tokenFile_isCheckedStrictly() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> TokenFile.parse(BillingServer.JSON.readTree(
                "{\"tokens\":[{\"token\":\"t\",\"user\":\"u\",\"roles\":[\"root\"]}]}")));
        assertThrows(IllegalArgumentException.class, () -> TokenFile.parse(BillingServer.JSON.readTree(
                "{\"tokens\":[{\"token\":\"t\",\"user\":\"u\",\"roles\":[],\"x\":1}]}")));
        assertThrows(IllegalArgumentException.class, () -> TokenFile.parse(BillingServer.JSON.readTree(
                "{\"tokens\":[{\"token\":\"t\",\"user\":\"u\",\"roles\":[]},{\"token\":\"t\",\"user\":\"v\",\"roles\":[]}]}")));
        assertEquals(3, TokenFile.parse(BillingServer.resource("examples/tokens.json")).size());
        // look-alike namespaces are refused as the engine refuses them: decomposed, an edge no-break space
        for (String ns : List.of("cafe\\u0301", "chaizs\\u00a0", "chaizs\\ufe0f")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenFile.parse(
                    BillingServer.JSON.readTree("{\"tokens\":[{\"token\":\"t\",\"user\":\"u\",\"roles\":[\"admin\"],"
                            + "\"namespaces\":[\"" + ns + "\"]}]}")));
            assertTrue(e.getMessage().contains("namespace"), e.getMessage());
        }
    }

    @Test
    void catalogFile_isCheckedLikeTheApi() throws Exception {
        JsonNode bad = BillingServer.JSON.readTree("{\"plans\":[{\"plan_id\":\"p\",\"type\":\"C\",\"price\":1.005,"
                + "\"bill_period\":\"M\",\"description\":\"d\",\"region\":\"aws\"}]}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CatalogFile.apply(bad, server.handler(), server.engine()));
        assertTrue(e.getMessage().contains("plans[0]"), e.getMessage());
    }

    @Test
    void catalogFile_withAnUnrepresentableNumber_failsNamingTheFile() throws Exception {
        Path file = Files.writeString(Files.createTempDirectory("catalog").resolve("catalog.json"),
                "{\"plans\":[{\"plan_id\":\"p\",\"price\":1e99999999999}]}");
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> BillingServer.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    @Test
    void options_parse() {
        ServerOptions o = ServerOptions.parse(List.of("--port", "0", "--db", "x/y", "--zone", "Asia/Shanghai",
                "--currency", "USD", "--bind", "0.0.0.0", "--max-body", "1024"));
        assertEquals(0, o.port());
        assertEquals(Path.of("x/y"), o.db());
        assertEquals("USD", o.currency().getCurrencyCode());
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(List.of("--port", "70000")));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(List.of("--nope", "1")));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(List.of("--db")));
        ServerOptions limits = ServerOptions.parse(List.of("--header-timeout", "3", "--body-timeout", "4",
                "--idle-timeout", "5", "--max-connections", "6", "--drain", "7"), Map.of());
        assertEquals(List.of(3, 4, 5, 6, 7), List.of(limits.headerTimeoutSeconds(), limits.bodyTimeoutSeconds(),
                limits.idleTimeoutSeconds(), limits.maxConnections(), limits.drainSeconds()));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.parse(List.of("--header-timeout", "0")));
        // the keystore's password comes from the environment, never the command line, and never shows
        IllegalArgumentException noPassword = assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.parse(List.of("--tls-keystore", "k.p12"), Map.of()));
        assertTrue(noPassword.getMessage().contains(ServerOptions.TLS_PASSWORD_ENV), noPassword.getMessage());
        ServerOptions tls = ServerOptions.parse(List.of("--tls-keystore", "k.p12"),
                Map.of(ServerOptions.TLS_PASSWORD_ENV, "hunter2"));
        assertEquals("hunter2", tls.tls().password());
        assertFalse(tls.toString().contains("hunter2"), tls.toString());
    }
}
