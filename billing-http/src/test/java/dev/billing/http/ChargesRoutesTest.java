package dev.billing.http;

import static dev.billing.http.BillingHttpHandlerTest.CHAIZS;
import static dev.billing.http.BillingHttpHandlerTest.OPS;
import static dev.billing.http.BillingHttpHandlerTest.WATCHER;
import static dev.billing.http.BillingHttpHandlerTest.assertError;
import static dev.billing.http.BillingHttpHandlerTest.assertStatus;
import static dev.billing.http.BillingHttpHandlerTest.fields;
import static dev.billing.http.BillingHttpHandlerTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billing.core.BillingEngine;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageSnapshot;
import dev.billing.test.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.money.Monetary;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The second seed's route and the metering routes beside it, through the framework-neutral handler. */
class ChargesRoutesTest {

    private static final Caller RAN = Caller.of("ran", Set.of(Role.IDENTITY_USER_ADMIN), Set.of("ran"));
    private static final Caller RAN_OBSERVER = Caller.of("ran-watch", Set.of(Role.OBSERVER), Set.of("ran"));

    private final BillingStorage storage = InMemoryStorage.create();
    private final TestClock clock = TestClock.at(java.time.Instant.parse("2016-10-16T21:32:52Z"), ZoneOffset.UTC);
    private final BillingEngine engine = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC)
            .build();
    private final BillingHttpHandler handler = BillingHttpHandler.builder(engine).zone(ZoneOffset.UTC)
            .defaultCurrency(Monetary.getCurrency("USD")).build();

    private HttpResponse get(Caller caller, String target) {
        return handler.handle(HttpRequest.of("GET", target, Map.of(), new byte[0], caller));
    }

    private HttpResponse post(Caller caller, String target, String json) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        return handler.handle(HttpRequest.of("POST", target, headers, json.getBytes(StandardCharsets.UTF_8), caller));
    }

    private StorageSnapshot snapshot() {
        return StorageSnapshot.of(storage);
    }

    @BeforeEach
    void seedTheRateCard() {
        assertStatus(200, post(OPS, "/v2/rates", "{\"offeringCode\":\"DBAAS\",\"chargeType\":\"UPTIME\","
                + "\"unitOfMeasure\":\"HRS\",\"currency\":\"USD\",\"rate\":\".40\",\"effectiveFrom\":\"2016-01-01\"}"));
        assertStatus(200, post(OPS, "/v2/rates", "{\"offeringCode\":\"MAAS\",\"chargeType\":\"NUM_CHKS_HRS\","
                + "\"unitOfMeasure\":\"CHKS_HRS\",\"currency\":\"USD\",\"rate\":\"0.00103\",\"effectiveFrom\":\"2016-01-01\"}"));
        assertStatus(200, post(OPS, "/v2/rates", "{\"offeringCode\":\"CSITES\",\"chargeType\":\"COMPUTE_CYCLE_OVERAGE\","
                + "\"unitOfMeasure\":\"COUNT\",\"currency\":\"USD\",\"rate\":\".12\",\"includedQuantity\":\"10\","
                + "\"effectiveFrom\":\"2016-01-01\"}"));
        assertStatus(200, post(OPS, "/v2/rates", "{\"offeringCode\":\"RCDN\",\"chargeType\":\"BWOUT\",\"unitOfMeasure\":\"GB\","
                + "\"currency\":\"USD\",\"tiers\":[{\"upTo\":\"100\",\"rate\":\".12\"},{\"rate\":\".08\"}],"
                + "\"effectiveFrom\":\"2016-01-01\"}"));
        engine.accounts().openAccount("ran", Monetary.getCurrency("USD"), "open");
        clock.set(java.time.Instant.parse("2016-11-01T21:32:52Z"));
    }

    @Test
    void theLargestUsageBatch_withEveryFieldAtItsLongest_fitsTheDefaultBodyLimit() {
        String offering = "O".repeat(64);
        String chargeType = "C".repeat(64);
        assertStatus(200, post(OPS, "/v2/rates", "{\"offeringCode\":\"" + offering + "\",\"chargeType\":\"" + chargeType
                + "\",\"unitOfMeasure\":\"HRS\",\"currency\":\"USD\",\"rate\":\"0.000001\",\"effectiveFrom\":\"2016-01-01\"}"));
        StringBuilder body = new StringBuilder("{\"usage\":[");
        for (int i = 0; i < dev.billing.core.usage.Usage.MAX_BATCH; i++) {
            String id = String.format("%0128d", i);
            body.append(i == 0 ? "" : ",").append("{\"eventId\":\"").append(id).append("\",\"offeringCode\":\"")
                    .append(offering).append("\",\"chargeType\":\"").append(chargeType)
                    .append("\",\"quantity\":\"99999999.999999\",\"timestamp\":\"2016-10-20T08:00:00.123456789+08:00\"}");
        }
        String batch = body.append("]}").toString();
        assertTrue(batch.getBytes(StandardCharsets.UTF_8).length <= BillingHttpHandler.DEFAULT_MAX_BODY_BYTES,
                batch.length() + " bytes");
        HttpResponse r = post(RAN, "/v2/accounts/ran/usage", batch);
        assertStatus(200, r);
        assertTrue(r.bodyText().startsWith("{\"accepted\":10000,"), r.bodyText().substring(0, 80));
    }

    private void seedUsage() {
        HttpResponse r = post(RAN, "/v2/accounts/ran/usage", """
                {"usage": [
                  {"eventId": "e1", "offeringCode": "DBAAS", "chargeType": "UPTIME", "quantity": "10.00", "timestamp": "2016-10-20T08:00:00Z"},
                  {"eventId": "e2", "offeringCode": "MAAS", "chargeType": "NUM_CHKS_HRS", "quantity": 3000, "timestamp": "2016-10-21T08:00:00+08:00"},
                  {"eventId": "e3", "offeringCode": "CSITES", "chargeType": "COMPUTE_CYCLE_OVERAGE", "quantity": "12", "timestamp": "2016-10-22T08:00:00Z"},
                  {"eventId": "e4", "offeringCode": "RCDN", "chargeType": "BWOUT", "quantity": "112.5", "timestamp": "2016-10-23T08:00:00Z"}
                ]}""");
        assertStatus(200, r);
        assertEquals(4, json(r).get("accepted").asInt(), r.bodyText());
    }

    @Test
    void estimatedCharges_reproducesTheSeedsShape_withFiguresThatAddUp() {
        seedUsage();
        assertStatus(200, post(OPS, "/v2/accounts/ran/commitments",
                "{\"id\":\"commit-1\",\"percentOff\":10,\"threshold\":\"10.00\",\"endDate\":\"2017-05-30T09:30:10Z\"}"));
        HttpResponse r = get(RAN_OBSERVER, "/v2/accounts/ran/estimated_charges");
        assertStatus(200, r);
        JsonNode e = json(r).get("estimatedCharges");
        assertEquals(Set.of("total", "discountTotal", "chargeSubTotal", "chargeTotal", "chargeHierarchyTotal", "currency",
                "currentBillingPeriodStartDate", "currentBillingPeriodEndDate", "durationRemainingInCycle",
                "estimatedCharge", "link"), fields(e));
        assertEquals("20.33", e.get("chargeSubTotal").asText());
        assertEquals("-1.03", e.get("discountTotal").asText());
        assertEquals("19.30", e.get("chargeTotal").asText());
        assertEquals("0.00", e.get("chargeHierarchyTotal").asText());
        assertEquals("19.30", e.get("total").asText());
        assertEquals("USD", e.get("currency").asText());
        assertEquals("P15D", e.get("durationRemainingInCycle").asText());
        assertEquals("2016-10-16T21:32:52+00:00", e.get("currentBillingPeriodStartDate").asText());
        JsonNode dbaas = e.get("estimatedCharge").get(1);
        assertEquals("DBAAS", dbaas.get("offeringCode").asText());
        assertEquals("10.00", dbaas.get("quantity").asText());
        assertEquals("0.40", dbaas.get("rate").asText());
        assertEquals("4.00", dbaas.get("amount").asText());
        assertEquals("HRS", dbaas.get("unitOfMeasure").asText());
        assertEquals("CHARGE", dbaas.get("category").asText());
        assertEquals("UPTIME", dbaas.get("chargeType").asText());
        JsonNode discount = e.get("estimatedCharge").get(4);
        assertEquals("DISCOUNT", discount.get("category").asText());
        assertEquals("Commit Discount", discount.get("chargeType").asText());
        assertEquals("-1.03", discount.get("amount").asText());
        assertEquals("1.00", discount.get("quantity").asText());
        assertEquals("10% off spending over $10.00.", discount.get("chargeDescription").asText());
        assertEquals("2017-05-30T09:30:10+00:00", discount.get("endDate").asText());
        assertEquals(0, e.get("link").size(), "one page: no next, no prev");
    }

    @Test
    void estimatedCharges_pagesWithMarkerAndLimit_andFilters() {
        seedUsage();
        JsonNode p1 = json(get(RAN, "/v2/accounts/ran/estimated_charges?marker=0&limit=2")).get("estimatedCharges");
        assertEquals(2, p1.get("estimatedCharge").size());
        assertEquals("next", p1.get("link").get(0).get("rel").asText());
        assertEquals("/v2/accounts/ran/estimated_charges?marker=2&limit=2", p1.get("link").get(0).get("href").asText());
        JsonNode p2 = json(get(RAN, "/v2/accounts/ran/estimated-charges?marker=2&limit=2")).get("estimatedCharges");
        assertEquals("prev", p2.get("link").get(0).get("rel").asText());
        assertEquals("/v2/accounts/ran/estimated-charges?marker=0&limit=2", p2.get("link").get(0).get("href").asText());
        assertEquals(p1.get("total"), p2.get("total"));
        JsonNode filtered = json(get(RAN, "/v2/accounts/ran/estimated_charges?offeringCode=RCDN")).get("estimatedCharges");
        assertEquals(1, filtered.get("estimatedCharge").size());
        assertEquals("13.00", filtered.get("estimatedCharge").get(0).get("amount").asText());
        assertError(400, "invalid_request", "limit", get(RAN, "/v2/accounts/ran/estimated_charges?limit=0"));
        assertError(400, "invalid_request", "marker", get(RAN, "/v2/accounts/ran/estimated_charges?marker=-1"));
        assertError(400, "invalid_request", "foo", get(RAN, "/v2/accounts/ran/estimated_charges?foo=1"));
    }

    @Test
    void dedicatedAccount_hasTotalsOnly() {
        seedUsage();
        assertStatus(200, post(OPS, "/v2/accounts/ran/profile", "{\"kind\":\"dedicated\"}"));
        JsonNode e = json(get(RAN, "/v2/accounts/ran/estimated_charges")).get("estimatedCharges");
        assertFalse(e.has("estimatedCharge"));
        assertEquals("20.33", e.get("chargeTotal").asText());
    }

    @Test
    void billingCycle_throughTheProfileRoute_takesEffectFromTheNextPeriod() {
        JsonNode before = json(get(OPS, "/v2/accounts/ran/profile"));
        assertEquals("P1M", before.get("billingCycle").asText());
        assertFalse(before.has("nextBillingCycle"));
        StorageSnapshot unchanged = StorageSnapshot.of(storage);
        assertError(400, "invalid_request", "billingCycle", post(OPS, "/v2/accounts/ran/profile",
                "{\"billingCycle\":\"monthly\"}"));
        assertError(400, "invalid_request", "timeZone", post(OPS, "/v2/accounts/ran/profile",
                "{\"timeZone\":\"Mars/Olympus\"}"));
        assertError(400, "invalid_request", "billingCycle", post(OPS, "/v2/accounts/ran/profile",
                "{\"billingCycle\":\"P1M2D\"}"));
        assertError(404, "account_not_found", "parent", post(OPS, "/v2/accounts/ran/profile",
                "{\"billingCycle\":\"P7D\",\"kind\":\"dedicated\",\"parent\":\"nobody\"}"));
        assertEquals(unchanged, StorageSnapshot.of(storage));
        JsonNode after = json(post(OPS, "/v2/accounts/ran/profile", "{\"billingCycle\":\"P1Y\",\"timeZone\":\"Asia/Shanghai\"}"));
        assertEquals(before.get("currentBillingPeriodEndDate"), after.get("currentBillingPeriodEndDate"));
        assertEquals("P1M", after.get("billingCycle").asText());
        assertEquals("P12M", after.get("nextBillingCycle").asText());
        assertEquals("Asia/Shanghai", after.get("nextTimeZone").asText());
    }

    @Test
    void hierarchy_throughTheProfileRoute() {
        java.time.Instant now = clock.instant();
        clock.set(java.time.Instant.parse("2016-10-16T21:32:52Z"));   // a period that ends with ran's
        engine.accounts().openAccount("child", Monetary.getCurrency("USD"), "open-child");
        clock.set(now);
        assertStatus(200, post(OPS, "/v2/accounts/child/profile", "{\"parent\":\"ran\"}"));
        assertStatus(200, post(OPS, "/v2/accounts/child/usage", "{\"usage\":[{\"eventId\":\"c1\",\"offeringCode\":\"DBAAS\","
                + "\"chargeType\":\"UPTIME\",\"quantity\":\"5\",\"timestamp\":\"2016-11-01T21:32:52Z\"}]}"));
        JsonNode e = json(get(OPS, "/v2/accounts/ran/estimated_charges")).get("estimatedCharges");
        assertEquals("2.00", e.get("chargeHierarchyTotal").asText());
        assertEquals("2.00", e.get("total").asText());
        assertError(400, "invalid_request", "parent", post(OPS, "/v2/accounts/ran/profile", "{\"parent\":\"child\"}"));
        assertEquals("ran", json(get(OPS, "/v2/accounts/child/profile")).get("parent").asText());
        assertStatus(200, post(OPS, "/v2/accounts/child/profile", "{\"parent\":null}"));
        assertTrue(json(get(OPS, "/v2/accounts/child/profile")).get("parent").isNull());
    }

    @Test
    void usage_badRecordsAreRejectedOneByOne_duplicatesReported() {
        seedUsage();
        HttpResponse r = post(RAN, "/v2/accounts/ran/usage", """
                {"usage": [
                  {"eventId": "e1", "offeringCode": "DBAAS", "chargeType": "UPTIME", "quantity": "10.00", "timestamp": "2016-10-20T08:00:00Z"},
                  {"eventId": "n1", "offeringCode": "DBAAS", "chargeType": "UPTIME", "quantity": "-1", "timestamp": "2016-10-20T08:00:00Z"},
                  {"eventId": "n2", "offeringCode": "NOPE", "chargeType": "UPTIME", "quantity": "1", "timestamp": "2016-10-20T08:00:00Z"},
                  {"eventId": "n3", "offeringCode": "DBAAS", "chargeType": "UPTIME", "quantity": 1e400, "timestamp": "2016-10-20T08:00:00Z"},
                  {"eventId": "n4", "offeringCode": "DBAAS", "chargeType": "UPTIME", "quantity": "1", "timestamp": "yesterday"},
                  {"eventId": "n5", "offeringCode": "DBAAS", "chargeType": "UPTIME", "quantity": "1", "timestamp": "2016-10-20T08:00:00Z", "extra": 1},
                  "not an object",
                  {"eventId": "ok", "offeringCode": "DBAAS", "chargeType": "UPTIME", "quantity": "1", "timestamp": "2016-10-20T08:00:00Z"}
                ]}""");
        assertStatus(200, r);
        JsonNode body = json(r);
        assertEquals(1, body.get("accepted").asInt());
        assertEquals(1, body.get("duplicates").asInt());
        assertEquals(6, body.get("rejected").asInt());
        JsonNode results = body.get("results");
        assertEquals("duplicate", results.get(0).get("status").asText());
        assertEquals("rejected", results.get(1).get("status").asText());
        assertTrue(results.get(1).get("reason").asText().contains("quantity"), results.get(1).toString());
        assertEquals("rate_not_found", results.get(2).get("code").asText());
        assertTrue(results.get(4).get("reason").asText().contains("timestamp"), results.get(4).toString());
        assertTrue(results.get(5).get("reason").asText().contains("extra"), results.get(5).toString());
        assertTrue(results.get(6).get("eventId").isNull());
        assertEquals("accepted", results.get(7).get("status").asText());
        assertEquals("4.40", json(get(RAN, "/v2/accounts/ran/estimated_charges?offeringCode=DBAAS"))
                .get("estimatedCharges").get("estimatedCharge").get(0).get("amount").asText());
    }

    @Test
    void usage_unrepresentableExponents_areRejectedEventByEvent_andTheRestOfTheBatchCounts() {
        StorageSnapshot before = snapshot();
        HttpResponse r = post(RAN, "/v2/accounts/ran/usage", """
                {"usage": [
                  {"eventId": "x1", "offeringCode": "DBAAS", "chargeType": "UPTIME", "quantity": 1e99999999999, "timestamp": "2016-10-20T08:00:00Z"},
                  {"eventId": "x2", "offeringCode": "DBAAS", "chargeType": "UPTIME", "quantity": 1e-2147483648, "timestamp": "2016-10-20T08:00:00Z"},
                  {"eventId": "x3", "offeringCode": "DBAAS", "chargeType": "UPTIME", "quantity": 1E+2147483647, "timestamp": "2016-10-20T08:00:00Z"},
                  {"eventId": "x4", "offeringCode": "DBAAS", "chargeType": "UPTIME", "quantity": 1e-2147483647, "timestamp": "2016-10-20T08:00:00Z"},
                  {"eventId": "ok", "offeringCode": "DBAAS", "chargeType": "UPTIME", "quantity": "2", "timestamp": "2016-10-20T08:00:00Z"}
                ]}""");
        assertStatus(200, r);
        JsonNode body = json(r);
        assertEquals(1, body.get("accepted").asInt(), r.bodyText());
        assertEquals(4, body.get("rejected").asInt(), r.bodyText());
        for (int i = 0; i < 4; i++) {
            JsonNode result = body.get("results").get(i);
            assertEquals("x" + (i + 1), result.get("eventId").asText());
            assertEquals("rejected", result.get("status").asText());
            assertEquals("invalid_request", result.get("code").asText());
            assertTrue(result.get("reason").asText().startsWith("usage[" + i + "].quantity: "), result.toString());
        }
        assertEquals("0.80", json(get(RAN, "/v2/accounts/ran/estimated_charges?offeringCode=DBAAS"))
                .get("estimatedCharges").get("estimatedCharge").get(0).get("amount").asText(), "only the good event counts");
        assertFalse(before.equals(snapshot()));
    }

    @Test
    void rates_unrepresentableExponents_are400NamingTheField_andChangeNothing() {
        StorageSnapshot before = snapshot();
        String rate = "{\"offeringCode\":\"X\",\"chargeType\":\"Y\",\"unitOfMeasure\":\"HRS\",\"currency\":\"USD\","
                + "\"effectiveFrom\":\"2016-01-01\",";
        assertError(400, "invalid_request", "includedQuantity", post(OPS, "/v2/rates", rate
                + "\"rate\":\"1\",\"includedQuantity\":1e99999999999}"));
        assertError(400, "invalid_request", "rate", post(OPS, "/v2/rates", rate + "\"rate\":1e-2147483648}"));
        // refused by the engine (15 integer digits at most), named as the request named it
        assertError(400, "invalid_request", "rate", post(OPS, "/v2/rates", rate + "\"rate\":\"1000000000000000\"}"));
        assertError(400, "invalid_request", "percentOff", post(OPS, "/v2/accounts/ran/commitments",
                "{\"id\":\"c\",\"percentOff\":1e99999999999,\"threshold\":\"1\",\"endDate\":\"2017-01-01T00:00:00Z\"}"));
        assertEquals(before, snapshot());
    }

    /** What reaches the storage: an H2 column refuses a scale of 10^8 (503 storage_failure before the fix). */
    @Test
    void zeroWithAHugeScale_reachesTheStorageAsZero() {
        HttpResponse r = post(OPS, "/v2/rates", "{\"offeringCode\":\"Z\",\"chargeType\":\"Y\",\"unitOfMeasure\":\"HRS\","
                + "\"currency\":\"USD\",\"rate\":\".40\",\"includedQuantity\":0e-2000000,\"effectiveFrom\":\"2016-01-01\"}");
        assertStatus(200, r);
        assertEquals("0", json(r).get("includedQuantity").asText());
        java.math.BigDecimal included = storage.inTransaction(s -> s.rating().listRates("Z", "Y")).get(0).includedQuantity();
        assertEquals(0, included.signum());
        assertTrue(included.scale() <= 6, "scale " + included.scale());

        r = post(RAN, "/v2/accounts/ran/usage", "{\"usage\":[{\"eventId\":\"z1\",\"offeringCode\":\"DBAAS\","
                + "\"chargeType\":\"UPTIME\",\"quantity\":0e-100000,\"timestamp\":\"2016-10-20T08:00:00Z\"},"
                + "{\"eventId\":\"z2\",\"offeringCode\":\"DBAAS\",\"chargeType\":\"UPTIME\",\"quantity\":1.50000000000,"
                + "\"timestamp\":\"2016-10-20T08:00:00Z\"}]}");
        assertStatus(200, r);
        assertEquals(2, json(r).get("accepted").asInt(), r.bodyText());
        java.math.BigDecimal zero = storage.inTransaction(s -> s.usage().findUsage("ran", "z1")).orElseThrow().quantity();
        assertEquals(0, zero.signum());
        assertTrue(zero.scale() <= 6, "scale " + zero.scale());
        assertEquals(new java.math.BigDecimal("1.5"), storage.inTransaction(s -> s.usage().findUsage("ran", "z2")).orElseThrow()
                .quantity());
    }

    private HttpResponse post(Caller caller, String target, String json, String key) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Idempotency-Key", key);
        return handler.handle(HttpRequest.of("POST", target, headers, json.getBytes(StandardCharsets.UTF_8), caller));
    }

    @Test
    void retriedPosts_withTheSameIdempotencyKey_getTheSameResponse() {
        String batch = "{\"usage\":[{\"eventId\":\"k1\",\"offeringCode\":\"DBAAS\",\"chargeType\":\"UPTIME\","
                + "\"quantity\":\"1\",\"timestamp\":\"2016-10-20T08:00:00Z\"}]}";
        HttpResponse first = post(RAN, "/v2/accounts/ran/usage", batch, "usage-1");
        assertStatus(200, first);
        assertEquals(1, json(first).get("accepted").asInt());
        StorageSnapshot after = snapshot();
        HttpResponse retry = post(RAN, "/v2/accounts/ran/usage", batch, "usage-1");
        assertEquals(first.status(), retry.status());
        assertEquals(first.bodyText(), retry.bodyText(), "the retry answers exactly as the first call");
        assertEquals(after, snapshot(), "and changes nothing");
        HttpResponse without = post(RAN, "/v2/accounts/ran/usage", batch);
        assertEquals("duplicate", json(without).get("results").get(0).get("status").asText(),
                "without the key, the event id still makes it count once");
        assertError(409, "idempotency_conflict", "Idempotency-Key",
                post(RAN, "/v2/accounts/ran/usage", batch.replace("\"1\"", "\"2\""), "usage-1"));
        assertEquals(after, snapshot());

        clock.set(java.time.Instant.parse("2016-11-16T21:32:52Z"));
        HttpResponse due = post(OPS, "/v2/due", "", "due-1");
        assertEquals(1, json(due).get("statements").asInt());
        assertEquals(due.bodyText(), post(OPS, "/v2/due", "", "due-1").bodyText());
        assertEquals(0, json(post(OPS, "/v2/due", "", "due-2")).get("statements").asInt());
        assertError(400, "invalid_request", "Idempotency-Key", post(OPS, "/v2/due", "", " "));
    }

    @Test
    void rememberedResponses_areReplayedOnlyAfterTheRoleAndNamespaceCheck() {
        engine.accounts().openAccount("child", Monetary.getCurrency("USD"), "open-child");
        String batch = "{\"usage\":[{\"eventId\":\"s1\",\"offeringCode\":\"DBAAS\",\"chargeType\":\"UPTIME\","
                + "\"quantity\":\"1\",\"timestamp\":\"2016-10-20T08:00:00Z\"}]}";
        Caller everywhere = Caller.operator("u", Set.of(Role.BILLING_ADMIN));
        assertStatus(200, post(everywhere, "/v2/accounts/ran/usage", batch, "same-key"));
        assertStatus(200, post(everywhere, "/v2/accounts/child/profile", "{\"parent\":\"ran\"}", "profile-key"));
        StorageSnapshot before = snapshot();

        // the same user name, the same key and the same request, but a token limited to another namespace
        Caller elsewhere = Caller.of("u", Set.of(Role.BILLING_ADMIN), Set.of("child"));
        assertError(403, "forbidden", "namespace", post(elsewhere, "/v2/accounts/ran/usage", batch, "same-key"));
        assertError(403, "forbidden", "namespace", post(elsewhere, "/v2/accounts/child/profile", "{\"parent\":\"ran\"}",
                "profile-key"));
        // and a role that may not make the request
        Caller observer = Caller.operator("u", Set.of(Role.BILLING_OBSERVER));
        assertError(403, "forbidden", null, post(observer, "/v2/accounts/ran/usage", batch, "same-key"));
        assertEquals(before, snapshot());
    }

    @Test
    void rememberedResponses_ofDifferentCallersOrRoutes_neverCollide() {
        engine.accounts().openAccount("child", Monetary.getCurrency("USD"), "open-child");
        String usage = "{\"usage\":[{\"eventId\":\"%s\",\"offeringCode\":\"DBAAS\",\"chargeType\":\"UPTIME\","
                + "\"quantity\":\"1\",\"timestamp\":\"2016-11-01T21:32:52Z\"}]}";
        Caller onRan = Caller.of("u", Set.of(Role.IDENTITY_USER_ADMIN), Set.of("ran"));
        Caller onChild = Caller.of("u", Set.of(Role.IDENTITY_USER_ADMIN), Set.of("child"));
        HttpResponse first = post(onRan, "/v2/accounts/ran/usage", usage.formatted("a"), "k");
        assertStatus(200, first);
        // another caller with the same user name and key: its own request, not a conflict with the first
        HttpResponse other = post(onChild, "/v2/accounts/child/usage", usage.formatted("b"), "k");
        assertStatus(200, other);
        assertEquals(1, json(other).get("accepted").asInt(), other.bodyText());
        assertTrue(storage.inTransaction(s -> s.usage().findUsage("child", "b")).isPresent());
        // one caller, one key, two namespaces (or routes): two requests
        Caller both = Caller.of("v", Set.of(Role.ADMIN), Set.of("ran", "child"));
        assertStatus(200, post(both, "/v2/accounts/ran/usage", usage.formatted("c"), "k2"));
        assertStatus(200, post(both, "/v2/accounts/child/usage", usage.formatted("d"), "k2"));
        assertStatus(200, post(both, "/v2/accounts/child/profile", "{\"kind\":\"cloud\"}", "k2"));
        assertTrue(storage.inTransaction(s -> s.usage().findUsage("child", "d")).isPresent());
        // and each still replays to its own retry, however its path is spelled
        assertEquals(first.bodyText(), post(onRan, "/v2/accounts/ran/usage", usage.formatted("a"), "k").bodyText());
        assertEquals(first.bodyText(), post(onRan, "/v2/accounts/r%61n/usage", usage.formatted("a"), "k").bodyText());
        assertError(409, "idempotency_conflict", "Idempotency-Key",
                post(onRan, "/v2/accounts/ran/usage", usage.formatted("z"), "k"));
    }

    @Test
    void commitmentsAndRates_readBack() {
        assertStatus(200, post(OPS, "/v2/accounts/ran/commitments",
                "{\"id\":\"c1\",\"percentOff\":\"12.5\",\"threshold\":1000,\"endDate\":\"2017-05-30T09:30:10Z\"}"));
        JsonNode c = json(get(RAN_OBSERVER, "/v2/accounts/ran/commitments")).get("commitments").get(0);
        assertEquals("c1", c.get("id").asText());
        assertEquals("12.5", c.get("percentOff").asText());
        assertEquals("1000.00", c.get("threshold").asText());
        assertEquals("12.5% off spending over $1,000.00.", c.get("chargeDescription").asText());
        JsonNode rates = json(get(RAN_OBSERVER, "/v2/rates")).get("rates");
        assertEquals(4, rates.size());
        JsonNode rcdn = rates.get(3);
        assertEquals("RCDN", rcdn.get("offeringCode").asText());
        assertEquals("100", rcdn.get("tiers").get(0).get("upTo").asText());
        assertEquals("0.12", rcdn.get("tiers").get(0).get("rate").asText());
        assertFalse(rcdn.get("tiers").get(1).has("upTo"));
        assertEquals("10", rates.get(0).get("includedQuantity").asText(), rates.get(0).toString());
    }

    @Test
    void malformedRequests_are4xx_andChangeNothing() {
        StorageSnapshot before = snapshot();
        assertError(400, "invalid_request", "usage", post(RAN, "/v2/accounts/ran/usage", "{\"usage\":5}"));
        assertError(400, "invalid_request", "body", post(RAN, "/v2/accounts/ran/usage", "{\"usage\":["));
        assertError(400, "invalid_request", "rate", post(OPS, "/v2/rates", "{\"offeringCode\":\"X\",\"chargeType\":\"Y\","
                + "\"unitOfMeasure\":\"HRS\",\"currency\":\"USD\",\"rate\":\"0.0000001\",\"effectiveFrom\":\"2016-01-01\"}"));
        assertError(400, "invalid_request", "rate", post(OPS, "/v2/rates", "{\"offeringCode\":\"X\",\"chargeType\":\"Y\","
                + "\"unitOfMeasure\":\"HRS\",\"currency\":\"USD\",\"rate\":\"NaN\",\"effectiveFrom\":\"2016-01-01\"}"));
        assertError(400, "invalid_request", "effectiveFrom", post(OPS, "/v2/rates", "{\"offeringCode\":\"X\",\"chargeType\":\"Y\","
                + "\"unitOfMeasure\":\"HRS\",\"currency\":\"USD\",\"rate\":\"1\",\"effectiveFrom\":\"soon\"}"));
        assertError(400, "invalid_request", "percentOff", post(OPS, "/v2/accounts/ran/commitments",
                "{\"id\":\"c\",\"percentOff\":101,\"threshold\":\"1\",\"endDate\":\"2017-01-01T00:00:00Z\"}"));
        assertError(400, "invalid_request", "threshold", post(OPS, "/v2/accounts/ran/commitments",
                "{\"id\":\"c\",\"percentOff\":10,\"threshold\":\"1.001\",\"endDate\":\"2017-01-01T00:00:00Z\"}"));
        assertError(400, "invalid_request", "kind", post(OPS, "/v2/accounts/ran/profile", "{\"kind\":\"big\"}"));
        assertEquals(before, snapshot());
    }

    @Test
    void roles_andNamespaces_areEnforced() {
        assertError(403, "forbidden", null, post(RAN_OBSERVER, "/v2/accounts/ran/usage", "{\"usage\":[]}"));
        assertError(403, "forbidden", null, post(RAN, "/v2/rates", "{}"));
        assertError(403, "forbidden", null, post(RAN, "/v2/accounts/ran/commitments", "{}"));
        assertError(403, "forbidden", null, post(RAN, "/v2/due", ""));
        assertError(403, "forbidden", "namespace", get(CHAIZS, "/v2/accounts/ran/estimated_charges"));
        assertError(403, "forbidden", "namespace", get(WATCHER, "/v2/accounts/ran/statements"));
        assertError(401, "unauthorized", null, get(null, "/v2/accounts/ran/estimated_charges"));
        assertError(404, "account_not_found", "namespace", get(OPS, "/v2/accounts/nobody/estimated_charges"));
        assertError(404, "account_not_found", "parent", post(OPS, "/v2/accounts/ran/profile", "{\"parent\":\"nobody\"}"));
        assertError(405, "method_not_allowed", null, post(OPS, "/v2/accounts/ran/estimated_charges", "{}"));
        assertStatus(200, get(RAN_OBSERVER, "/v2/rates"));
    }

    @Test
    void due_withNoBodyAndNoContentType_runs() {
        seedUsage();
        engine.wallet().recharge("ran", org.javamoney.moneta.Money.of(new java.math.BigDecimal("100.00"), "USD"), "r1");
        clock.set(java.time.Instant.parse("2016-11-16T21:32:52Z"));
        HttpResponse run = handler.handle(HttpRequest.of("POST", "/v2/due", Map.of(), new byte[0], OPS));
        assertStatus(200, run);
        assertEquals(1, json(run).get("statements").asInt(), run.bodyText());
    }

    @Test
    void due_withABody_isRefusedUnlessItIsEmpty() {
        assertError(400, "invalid_request", "anything", post(OPS, "/v2/due", "{\"anything\":1}"));
        assertStatus(200, post(OPS, "/v2/due", "{}"));
    }

    @Test
    void profile_withAParentOrNamespaceNotTheCallers_is403_andChangesNothing() {
        engine.accounts().openAccount("child", Monetary.getCurrency("USD"), "open-child");
        Caller ranAdmin = Caller.of("ran-admin", Set.of(Role.ADMIN), Set.of("ran"));
        StorageSnapshot before = snapshot();
        assertError(403, "forbidden", "namespace", post(ranAdmin, "/v2/accounts/ran/profile", "{\"parent\":\"child\"}"));
        assertError(403, "forbidden", "namespace", post(ranAdmin, "/v2/accounts/child/profile", "{\"parent\":\"ran\"}"));
        assertError(403, "forbidden", "namespace", post(ranAdmin, "/v2/accounts/child/profile", "{\"kind\":\"dedicated\"}"));
        assertEquals(before, snapshot());
        assertStatus(200, post(ranAdmin, "/v2/accounts/ran/profile", "{\"kind\":\"dedicated\"}"));
    }

    private HttpResponse postBytes(Caller caller, String target, byte[] body) {
        return handler.handle(HttpRequest.of("POST", target, Map.of("Content-Type", "application/json"), body, caller));
    }

    private static String event(String id, String quantity) {
        return "{\"eventId\":\"" + id + "\",\"offeringCode\":\"DBAAS\",\"chargeType\":\"UPTIME\",\"quantity\":" + quantity
                + ",\"timestamp\":\"2016-10-20T08:00:00Z\"}";
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> malformedUsageBodies() {
        String good = event("g1", "\"1\"");
        byte[] notUtf8 = ("{\"usage\":[" + good.replace("g1", "g\u00e41") + "]}").getBytes(StandardCharsets.ISO_8859_1);
        byte[] utf16 = ("{\"usage\":[" + good + "]}").getBytes(StandardCharsets.UTF_16);
        byte[] megabyte = ("{\"usage\":[" + good.replace("g1", "x".repeat(BillingHttpHandler.DEFAULT_MAX_BODY_BYTES)) + "]}")
                .getBytes(StandardCharsets.UTF_8);
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("non-UTF-8", notUtf8, 400, "body"),
                org.junit.jupiter.params.provider.Arguments.of("UTF-16", utf16, 400, "body"),
                org.junit.jupiter.params.provider.Arguments.of("over the limit", megabyte, 413, "body"),
                org.junit.jupiter.params.provider.Arguments.of("duplicate key", ("{\"usage\":[" + good + "],\"usage\":[]}")
                        .getBytes(StandardCharsets.UTF_8), 400, "body"),
                org.junit.jupiter.params.provider.Arguments.of("duplicate key in an event", ("{\"usage\":["
                        + good.replace("}", ",\"quantity\":2}") + "]}").getBytes(StandardCharsets.UTF_8), 400, "body"),
                org.junit.jupiter.params.provider.Arguments.of("truncated", ("{\"usage\":[" + good.substring(0, 40))
                        .getBytes(StandardCharsets.UTF_8), 400, "body"),
                org.junit.jupiter.params.provider.Arguments.of("NaN", ("{\"usage\":[" + good + "," + event("n", "NaN") + "]}")
                        .getBytes(StandardCharsets.UTF_8), 400, "body"),
                org.junit.jupiter.params.provider.Arguments.of("Infinity", ("{\"usage\":[" + event("n", "-Infinity") + "]}")
                        .getBytes(StandardCharsets.UTF_8), 400, "body"),
                org.junit.jupiter.params.provider.Arguments.of("trailing content", ("{\"usage\":[" + good + "]} {}")
                        .getBytes(StandardCharsets.UTF_8), 400, "body"),
                org.junit.jupiter.params.provider.Arguments.of("not an object", ("[" + good + "]")
                        .getBytes(StandardCharsets.UTF_8), 400, "body"),
                org.junit.jupiter.params.provider.Arguments.of("empty", new byte[0], 400, "body"),
                org.junit.jupiter.params.provider.Arguments.of("a string where the array goes", "{\"usage\":\"e1\"}"
                        .getBytes(StandardCharsets.UTF_8), 400, "usage"),
                org.junit.jupiter.params.provider.Arguments.of("unknown field", ("{\"usage\":[" + good + "],\"x\":1}")
                        .getBytes(StandardCharsets.UTF_8), 400, "x"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("malformedUsageBodies")
    void usage_malformedBody_isA4xxNamingTheField_andStoresNothing(String what, byte[] body, int status, String field) {
        StorageSnapshot before = snapshot();
        assertError(status, status == 413 ? "payload_too_large" : "invalid_request", field,
                postBytes(RAN, "/v2/accounts/ran/usage", body));
        assertEquals(before, snapshot());
    }

    @Test
    void usage_wrongTypesInAnEvent_rejectThatEventAlone_andStoreNothingOfIt() {
        StorageSnapshot before = snapshot();
        HttpResponse r = post(RAN, "/v2/accounts/ran/usage", "{\"usage\":["
                + event("s1", "\"ten\"") + "," + event("s2", "true") + "," + event("s3", "\"1e5\"") + ","
                + event("s4", "[1]") + "," + event("s5", "{\"value\":1}") + ","
                + event("s6", "1").replace("\"s6\"", "6") + "]}");
        assertStatus(200, r);
        JsonNode body = json(r);
        assertEquals(0, body.get("accepted").asInt(), r.bodyText());
        assertEquals(6, body.get("rejected").asInt(), r.bodyText());
        for (int i = 0; i < 5; i++) {
            assertTrue(body.get("results").get(i).get("reason").asText().startsWith("usage[" + i + "].quantity: "),
                    body.get("results").get(i).toString());
        }
        assertTrue(body.get("results").get(5).get("reason").asText().startsWith("usage[5].eventId: "),
                body.get("results").get(5).toString());
        assertEquals(before, snapshot());
    }

    @Test
    void due_closesThePeriod_andTheStatementIsListed() {
        seedUsage();
        engine.wallet().recharge("ran", org.javamoney.moneta.Money.of(new java.math.BigDecimal("100.00"), "USD"), "r1");
        clock.set(java.time.Instant.parse("2016-11-16T21:32:52Z"));
        HttpResponse run = post(OPS, "/v2/due", "");
        assertStatus(200, run);
        assertEquals(1, json(run).get("statements").asInt());
        JsonNode st = json(get(RAN, "/v2/accounts/ran/statements")).get("statements").get(0);
        assertEquals("20.33", st.get("chargeTotal").asText());
        assertEquals(4, st.get("charge").size());
        assertEquals(0, json(post(OPS, "/v2/due", "")).get("statements").asInt(), "running again does nothing");
    }
}
