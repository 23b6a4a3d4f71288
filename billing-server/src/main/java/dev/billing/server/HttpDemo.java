package dev.billing.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The requests of the v1 payment API's and the estimated-charges API's documents, replayed over HTTP against a server on a fresh H2 file database with the
 * sample catalog and tokens ({@code examples/}); each request and its JSON response is printed. The
 * figures add up: recharge 1234.34, buy 40.88 and 10.00, refund 40.88; then the estimated-charges API's estimated
 * charges of metered usage (4.00 + 3.09 + 0.24 + 13.00 = 20.33, less a 10% commit discount over 10.00).
 */
final class HttpDemo {

    /** The documents' zone: times read {@code 2016-09-26T17:27:04+08:00}, in the demo and in what it serves. */
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private final HttpClient client = HttpClient.newHttpClient();
    private final PrintStream out;
    private final String base;

    private HttpDemo(String base, PrintStream out) {
        this.base = base;
        this.out = out;
    }

    static void run(List<String> args, PrintStream out) throws IOException, InterruptedException {
        List<String> rest = new java.util.ArrayList<>(args);
        boolean thenServe = rest.remove("--serve");
        Path db;
        if (rest.size() == 2 && rest.get(0).equals("--db")) {
            db = Path.of(rest.get(1));
        } else if (rest.isEmpty()) {
            db = Files.createDirectories(Path.of("target", "demo-db")).resolve("http-" + UUID.randomUUID());
        } else {
            throw new IllegalArgumentException("demo: the options are --db PATH and --serve");
        }
        ServerOptions options = ServerOptions.parse(List.of("--db", db.toString(), "--port", "0", "--zone", ZONE.getId(),
                "--due-every", "0"), Map.of());
        try (BillingServer server = BillingServer.start(options, BillingServer.resource("examples/catalog.json"),
                BillingServer.resource("examples/tokens.json"))) {
            out.println("Billing server on " + server.describe());
            out.println("(token ops-secret: billing:admin on every namespace; times in Asia/Shanghai)");
            new HttpDemo("http://127.0.0.1:" + server.port(), out).replay();
        }
        if (thenServe) {
            out.println("# the demo is over; now serving the embedded default (data/billing) with the sample catalog"
                    + " and tokens, for the README's curl lines; Ctrl-C stops it");
            BillingServer.serve(serveOptions(), BillingServer.resource("examples/catalog.json"),
                    BillingServer.resource("examples/tokens.json"), out);
        }
    }

    /**
     * What {@code demo --serve} serves after the demo: the server's defaults (data/billing, 127.0.0.1:8080)
     * in the demo's zone, so that the README's curl lines show the documents' {@code +08:00} as the demo did.
     */
    static ServerOptions serveOptions() {
        return ServerOptions.parse(List.of("--zone", ZONE.getId()), Map.of());
    }

    private void replay() throws IOException, InterruptedException {
        get("/payment/v1/regions");
        get("/payment/v1/market?region=aws&type=c");
        post("/payment/v1/recharge", "{\"amount\":1234.34,\"namespace\":\"chaizs\"}", "demo-recharge-1");
        out.println("# the same request again, with the same Idempotency-Key: the same response, nothing moves");
        post("/payment/v1/recharge", "{\"amount\":1234.34,\"namespace\":\"chaizs\"}", "demo-recharge-1");
        post("/payment/v1/checkout", "{\"plan_id\":\"c-medium\",\"namespace\":\"chaizs\",\"region\":\"aws\"}",
                "demo-checkout-1");
        post("/payment/v1/checkout", "{\"plan_id\":\"normal\",\"namespace\":\"chaizs\",\"region\":\"cn-north-1\"}",
                "demo-checkout-2");
        get("/payment/v1/account?namespace=chaizs");
        JsonNode amounts = get("/payment/v1/amounts?namespace=chaizs");
        String medium = amounts.get(1).get("trans_id").asText();
        get("/payment/v1/amount/" + medium + "?namespace=chaizs");
        post("/payment/v1/refund", "{\"namespace\":\"chaizs\",\"trans_id\":\"" + medium + "\"}", "demo-refund-1");
        get("/payment/v1/balance?namespace=chaizs");

        out.println("# the v1 payment API's hello-org: recharge exactly the normal plan's price and buy it");
        post("/payment/v1/recharge", "{\"amount\":10.00,\"namespace\":\"hello-org\"}", "demo-recharge-2");
        post("/payment/v1/checkout", "{\"plan_id\":\"normal\",\"namespace\":\"hello-org\",\"region\":\"cn-north-1\"}",
                "demo-checkout-3");
        get("/payment/v1/account?namespace=hello-org");
        out.println("# an empty wallet cannot buy: 402, nothing changes");
        post("/payment/v1/checkout", "{\"plan_id\":\"c-large\",\"namespace\":\"hello-org\",\"region\":\"aws\"}",
                "demo-checkout-4");

        out.println("# the estimated-charges API: a USD account, a commitment, metered usage, and its estimated charges");
        post("/payment/v1/recharge", "{\"amount\":100.00,\"namespace\":\"ran\",\"currency\":\"USD\"}", "demo-recharge-3");
        post("/v2/accounts/ran/commitments", "{\"id\":\"commit-1\",\"percentOff\":10,\"threshold\":\"10.00\","
                + "\"endDate\":\"2030-05-30T09:30:10Z\"}", "demo-commit-1");
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        post("/v2/accounts/ran/usage", "{\"usage\":["
                + usage("u1", "DBAAS", "UPTIME", "10.00", now) + ","
                + usage("u2", "MAAS", "NUM_CHKS_HRS", "3000.00", now) + ","
                + usage("u3", "CSITES", "COMPUTE_CYCLE_OVERAGE", "12.00", now) + ","
                + usage("u4", "RCDN", "BWOUT", "112.50", now) + ","
                + usage("u1", "DBAAS", "UPTIME", "10.00", now) + ","
                + usage("u5", "NOPE", "UPTIME", "1", now) + "]}", "demo-usage-1");
        get("/v2/accounts/ran/estimated_charges?limit=3");
        get("/v2/accounts/ran/estimated_charges?marker=3&limit=3");
        out.println("# a dedicated account shows totals only");
        post("/v2/accounts/ran/profile", "{\"kind\":\"dedicated\"}", "demo-profile-1");
        get("/v2/accounts/ran/estimated_charges");
    }

    private static String usage(String id, String offering, String chargeType, String quantity, String at) {
        return "{\"eventId\":\"" + id + "\",\"offeringCode\":\"" + offering + "\",\"chargeType\":\"" + chargeType
                + "\",\"quantity\":\"" + quantity + "\",\"timestamp\":\"" + at + "\"}";
    }

    private JsonNode get(String target) throws IOException, InterruptedException {
        out.println("GET " + target);
        return send(HttpRequest.newBuilder(URI.create(base + target)).GET());
    }

    private JsonNode post(String target, String body, String key) throws IOException, InterruptedException {
        out.println("POST " + target + " -H 'Idempotency-Key: " + key + "' -d '" + body + "'");
        return send(HttpRequest.newBuilder(URI.create(base + target)).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(request.header("Accept", "application/json")
                .header(JettyAdapter.TOKEN_HEADER, "ops-secret").build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode json = BillingServer.JSON.readTree(r.body());
        out.println();
        out.println(r.statusCode() + " " + BillingServer.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
        out.println();
        return json;
    }
}
