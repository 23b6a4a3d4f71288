package dev.billing.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billing.core.BillingEngine;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.StorageWork;
import dev.billing.tck.World;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.money.Monetary;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class BillingHttpHandlerTest {

    static final Caller OPS = Caller.operator("ops", Set.of(Role.BILLING_ADMIN));
    static final Caller CHAIZS = Caller.of("chaizs", Set.of(Role.IDENTITY_USER_ADMIN), Set.of("chaizs"));
    static final Caller WATCHER = Caller.of("watcher", Set.of(Role.BILLING_OBSERVER), Set.of("chaizs"));

    final World world = new World(InMemoryStorage.create());
    final BillingHttpHandler handler = BillingHttpHandler.builder(world.engine)
            .defaultCurrency(Monetary.getCurrency("CNY")).build();

    @AfterEach
    void close() {
        world.close();
    }

    // ------------------------------------------------------------------ helpers

    HttpResponse get(Caller caller, String target) {
        return handler.handle(HttpRequest.of("GET", target, Map.of("Accept", "application/json"), new byte[0], caller));
    }

    HttpResponse post(Caller caller, String target, String json, String key) {
        return post(caller, target, json.getBytes(StandardCharsets.UTF_8), key);
    }

    HttpResponse post(Caller caller, String target, byte[] body, String key) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        if (key != null) {
            headers.put("Idempotency-Key", key);
        }
        return handler.handle(HttpRequest.of("POST", target, headers, body, caller));
    }

    HttpResponse recharge(String ns, String amount, String key) {
        return post(OPS, "/payment/v1/recharge", "{\"amount\":" + amount + ",\"namespace\":\"" + ns + "\"}", key);
    }

    static JsonNode json(HttpResponse r) {
        try {
            return Json.MAPPER.readTree(r.bodyText().strip());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.bodyText(), e);
        }
    }

    static void assertStatus(int status, HttpResponse r) {
        assertEquals(status, r.status(), r::bodyText);
        assertEquals("application/json; charset=utf-8", r.header("content-type"));
    }

    static void assertError(int status, String code, String field, HttpResponse r) {
        assertStatus(status, r);
        JsonNode e = json(r).get("error");
        assertNotNull(e, r.bodyText().strip());
        assertEquals(code, e.get("code").asText(), r.bodyText().strip());
        assertTrue(e.get("message").asText().length() > 0);
        if (field != null) {
            assertEquals(field, e.path("field").asText(null), r.bodyText().strip());
        }
    }

    static Set<String> fields(JsonNode n) {
        Set<String> out = new TreeSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            out.add(it.next());
        }
        return out;
    }

    // ------------------------------------------------------------------ the seed's routes

    @Test
    void regions_listsEveryRegion_withTheSeedsFieldNames() {
        HttpResponse r = get(OPS, "/payment/v1/regions");
        assertStatus(200, r);
        JsonNode a = json(r);
        assertTrue(a.isArray());
        assertEquals(Set.of("identification", "region_describe", "status"), fields(a.get(0)));
        assertTrue(r.bodyText().contains("{\"identification\":\"cn-north-1\",\"region_describe\":\"铸造一区\",\"status\":\"available\"}"),
                r.bodyText().strip());
    }

    @Test
    void market_awsTypeC_listsThePlansCheapestFirst_atCurrencyScale() {
        HttpResponse r = get(WATCHER, "/payment/v1/market?region=aws&type=c");
        assertStatus(200, r);
        JsonNode plans = json(r).get("plans");
        assertEquals(3, plans.size());
        assertTrue(fields(plans.get(0)).containsAll(Set.of("plan_id", "type", "price", "level", "name", "bill_period",
                "description", "creation_time")));
        assertTrue(r.bodyText().contains("\"price\":20.00,"), r.bodyText().strip());
        assertTrue(r.bodyText().contains("\"price\":40.88,"), r.bodyText().strip());
        assertTrue(r.bodyText().contains("\"price\":88.88,"), r.bodyText().strip());
        assertEquals("C", plans.get(0).get("type").asText());
        assertEquals("M", plans.get(0).get("bill_period").asText());
        assertEquals("2016-09-26T17:27:04+08:00", plans.get(0).get("creation_time").asText());
    }

    @Test
    void market_withoutRegion_is400_andUnknownRegion_is404() {
        assertError(400, "invalid_request", "region", get(OPS, "/payment/v1/market?type=c"));
        assertError(404, "region_not_found", "region", get(OPS, "/payment/v1/market?region=mars"));
        assertError(400, "invalid_request", "regoin", get(OPS, "/payment/v1/market?regoin=aws"));
        assertError(400, "invalid_request", "region", get(OPS, "/payment/v1/market?region=aws&region=aws"));
        assertError(400, "invalid_request", "region", get(OPS, "/payment/v1/market?region=%E4%ZZ"));
    }

    @Test
    void recharge_thenCheckout_thenBalance_addUp() {
        HttpResponse r = recharge("chaizs", "1234.34", "r-1");
        assertStatus(200, r);
        assertEquals("{\"balance\":1234.34,\"status\":\"active\"}", r.bodyText().strip());

        r = post(CHAIZS, "/payment/v1/checkout", "{\"plan_id\":\"plan-medium\",\"namespace\":\"chaizs\",\"region\":\"aws\"}",
                "c-1");
        assertStatus(200, r);
        assertEquals("{\"balance\":1193.46,\"status\":\"active\"}", r.bodyText().strip());

        assertEquals("{\"balance\":1193.46,\"status\":\"active\"}", get(WATCHER, "/payment/v1/balance?namespace=chaizs").bodyText().strip());
        assertEquals(new BigDecimal("1193.46"), world.engine.wallet().balance("chaizs").amount().getNumber()
                .numberValueExact(BigDecimal.class));
    }

    @Test
    void recharge_integerAmount_isWrittenAtCurrencyScale_andOptionalFieldsAreUsed() {
        HttpResponse r = post(OPS, "/payment/v1/recharge",
                "{\"amount\":20,\"namespace\":\"n1\",\"currency\":\"USD\",\"payment_method\":\"alipay\"}", "k");
        assertEquals("{\"balance\":20.00,\"status\":\"active\"}", r.bodyText().strip());
        JsonNode t = json(get(OPS, "/payment/v1/amounts?namespace=n1")).get(0);
        assertEquals("alipay", t.get("payment_method").asText());
        assertEquals("USD", t.get("currency").asText());
        assertError(400, "currency_mismatch", "amount", post(OPS, "/payment/v1/recharge",
                "{\"amount\":1,\"namespace\":\"n1\",\"currency\":\"CNY\"}", "k2"));
        assertError(400, "currency_mismatch", "amount", post(OPS, "/payment/v1/recharge",
                "{\"amount\":1.5,\"namespace\":\"n1\",\"currency\":\"JPY\"}", "k3"));
    }

    @Test
    void recharge_exactDecimalsInAnySpelling_keepTheirValue() {
        assertEquals("{\"balance\":100.00,\"status\":\"active\"}", recharge("n2", "1E+2", "k1").bodyText().strip());
        assertEquals("{\"balance\":110.50,\"status\":\"active\"}", recharge("n2", "10.500", "k2").bodyText().strip());
        assertEquals("{\"balance\":110.51,\"status\":\"active\"}", recharge("n2", "1E-2", "k3").bodyText().strip());
        assertEquals("{\"balance\":125.51,\"status\":\"active\"}", recharge("n2", "1.5e1", "k4").bodyText().strip());
        assertEquals(new BigDecimal("125.51"), world.engine.wallet().balance("n2").amount().getNumber()
                .numberValueExact(BigDecimal.class));
    }

    @Test
    void recharge_newAccount_withoutDefaultCurrency_needsACurrency() {
        BillingHttpHandler plain = BillingHttpHandler.builder(world.engine).build();
        HttpResponse r = plain.handle(HttpRequest.of("POST", "/payment/v1/recharge",
                Map.of("Content-Type", "application/json", "Idempotency-Key", "k"),
                "{\"amount\":1,\"namespace\":\"new\"}".getBytes(StandardCharsets.UTF_8), OPS));
        assertError(400, "invalid_request", "currency", r);
        assertEquals(200, recharge("new", "1", "k").status()); // the configured default, CNY
        r = plain.handle(HttpRequest.of("POST", "/payment/v1/recharge",
                Map.of("Content-Type", "application/json", "Idempotency-Key", "k3"),
                "{\"amount\":1,\"namespace\":\"new\"}".getBytes(StandardCharsets.UTF_8), OPS));
        assertEquals("{\"balance\":2.00,\"status\":\"active\"}", r.bodyText().strip()); // the account's currency
    }

    @Test
    void account_showsPurchasesAndBalance_inTheSeedsShape() {
        recharge("chaizs", "100", "r-1");
        post(OPS, "/payment/v1/checkout", "{\"plan_id\":\"plan-normal\",\"namespace\":\"chaizs\",\"region\":\"cn-north-1\"}", "c");
        HttpResponse r = get(CHAIZS, "/payment/v1/account?namespace=chaizs");
        assertStatus(200, r);
        JsonNode a = json(r);
        assertTrue(fields(a).containsAll(Set.of("purchased", "notification", "plans", "status", "balance")));
        assertTrue(a.get("purchased").asBoolean());
        assertFalse(a.get("notification").asBoolean());
        assertEquals("active", a.get("status").asText());
        assertEquals("plan-normal", a.get("plans").get(0).get("plan_id").asText());
        assertEquals("normal", a.get("plans").get(0).get("type").asText());
        assertTrue(r.bodyText().contains("\"balance\":{\"balance\":90.00}"), r.bodyText().strip());
        assertError(404, "account_not_found", "namespace", get(OPS, "/payment/v1/account?namespace=nobody"));
    }

    @Test
    void amounts_newestFirst_pagedWithMarkerAndLimit_andOneAmountById() {
        recharge("chaizs", "100", "r-1");
        post(OPS, "/payment/v1/checkout", "{\"plan_id\":\"plan-small\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-1");
        post(OPS, "/payment/v1/checkout", "{\"plan_id\":\"plan-medium\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-2");

        HttpResponse r = get(CHAIZS, "/payment/v1/amounts?namespace=chaizs&limit=2");
        assertStatus(200, r);
        JsonNode page = json(r);
        assertEquals(2, page.size());
        assertEquals(Set.of("trans_id", "creation_time", "amount", "description", "payment_method", "status", "kind",
                "currency", "balance_after", "plan_id"), fields(page.get(0)));
        assertTrue(r.bodyText().contains("\"amount\":40.88,"), r.bodyText().strip());
        assertEquals("balance", page.get(0).get("payment_method").asText());
        assertEquals("finish", page.get(0).get("status").asText());
        String link = r.header("Link");
        assertNotNull(link);
        // the marker is the last listed transaction's own id: no global sequence a tenant could read volume from
        assertEquals("</payment/v1/amounts?namespace=chaizs&marker=" + page.get(1).get("trans_id").asText()
                + "&limit=2>; rel=\"next\"", link);
        String next = link.substring(1, link.indexOf('>'));
        HttpResponse r2 = get(CHAIZS, next);
        assertEquals(1, json(r2).size());
        assertEquals("recharge", json(r2).get(0).get("kind").asText());
        assertNull(r2.header("Link"));

        String id = page.get(1).get("trans_id").asText();
        HttpResponse one = get(CHAIZS, "/payment/v1/amount/" + id + "?namespace=chaizs");
        assertStatus(200, one);
        assertEquals(page.get(1), json(one));

        assertError(400, "invalid_request", "limit", get(CHAIZS, "/payment/v1/amounts?namespace=chaizs&limit=0"));
        assertError(400, "invalid_request", "limit", get(CHAIZS, "/payment/v1/amounts?namespace=chaizs&limit=1001"));
        assertError(400, "invalid_request", "marker", get(CHAIZS, "/payment/v1/amounts?namespace=chaizs&marker=abc"));
        recharge("other", "5", "other-1");
        String foreign = json(get(OPS, "/payment/v1/amounts?namespace=other")).get(0).get("trans_id").asText();
        assertError(400, "invalid_request", "marker", get(CHAIZS, "/payment/v1/amounts?namespace=chaizs&marker=" + foreign));
        assertError(404, "transaction_not_found", "trans_id", get(CHAIZS, "/payment/v1/amount/nope?namespace=chaizs"));
    }

    @Test
    void refund_paysBack_andTwiceIs409() {
        recharge("chaizs", "100", "r-1");
        post(OPS, "/payment/v1/checkout", "{\"plan_id\":\"plan-medium\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-1");
        String id = json(get(OPS, "/payment/v1/amounts?namespace=chaizs")).get(0).get("trans_id").asText();
        HttpResponse r = post(CHAIZS, "/payment/v1/refund", "{\"namespace\":\"chaizs\",\"trans_id\":\"" + id + "\"}", "f-1");
        assertStatus(200, r);
        assertEquals("refund", json(r).get("kind").asText());
        assertEquals(id, json(r).get("refund_of").asText());
        assertTrue(r.bodyText().contains("\"balance_after\":100.00"), r.bodyText().strip());
        assertEquals("refunded", json(get(OPS, "/payment/v1/amount/" + id + "?namespace=chaizs")).get("status").asText());
        assertError(409, "already_refunded", null,
                post(CHAIZS, "/payment/v1/refund", "{\"namespace\":\"chaizs\",\"trans_id\":\"" + id + "\"}", "f-2"));
        assertError(404, "transaction_not_found", "trans_id",
                post(CHAIZS, "/payment/v1/refund", "{\"namespace\":\"chaizs\",\"trans_id\":\"nope\"}", "f-3"));
    }

    @Test
    void checkout_insufficientFunds_is402_andStoresNothing() {
        recharge("chaizs", "10", "r-1");
        StorageSnapshot before = world.snapshot();
        HttpResponse r = post(CHAIZS, "/payment/v1/checkout",
                "{\"plan_id\":\"plan-large\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-1");
        assertError(402, "insufficient_funds", null, r);
        assertEquals(before, world.snapshot());
        assertError(404, "plan_not_found", "plan_id", post(CHAIZS, "/payment/v1/checkout",
                "{\"plan_id\":\"nope\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-2"));
        assertError(400, "plan_not_available", null, post(CHAIZS, "/payment/v1/checkout",
                "{\"plan_id\":\"plan-retired\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-3"));
        assertError(404, "account_not_found", "namespace", post(OPS, "/payment/v1/checkout",
                "{\"plan_id\":\"plan-small\",\"namespace\":\"nobody\",\"region\":\"aws\"}", "c-4"));
        assertEquals(before, world.snapshot());
    }

    // ------------------------------------------------------------------ the engine's other statuses

    @Test
    void accountNotActive_is409_andStoresNothing() {
        recharge("chaizs", "100", "r-1");
        world.engine.accounts().setStatus("chaizs", dev.billing.core.accounts.AccountStatus.SUSPENDED, "suspend");
        StorageSnapshot before = world.snapshot();
        assertError(409, "account_not_active", null, post(CHAIZS, "/payment/v1/checkout",
                "{\"plan_id\":\"plan-small\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-1"));
        assertEquals(before, world.snapshot());
        world.engine.accounts().setStatus("chaizs", dev.billing.core.accounts.AccountStatus.CLOSED, "close");
        before = world.snapshot();
        assertError(409, "account_not_active", null, recharge("chaizs", "1", "r-2"));
        assertEquals(before, world.snapshot());
    }

    @Test
    void refundOfARecharge_is409NotRefundable_andStoresNothing() {
        recharge("chaizs", "100", "r-1");
        String recharge = json(get(OPS, "/payment/v1/amounts?namespace=chaizs")).get(0).get("trans_id").asText();
        StorageSnapshot before = world.snapshot();
        assertError(409, "not_refundable", null, post(CHAIZS, "/payment/v1/refund",
                "{\"namespace\":\"chaizs\",\"trans_id\":\"" + recharge + "\"}", "f-1"));
        assertEquals(before, world.snapshot());
    }

    @Test
    void checkoutInAnUnavailableRegion_is400RegionNotAvailable_andStoresNothing() {
        recharge("chaizs", "100", "r-1");
        StorageSnapshot before = world.snapshot();
        assertError(400, "region_not_available", "region", post(CHAIZS, "/payment/v1/checkout",
                "{\"plan_id\":\"" + World.CLOSED_REGION_PLAN + "\",\"namespace\":\"chaizs\",\"region\":\"closed-1\"}",
                "c-1"));
        assertEquals(before, world.snapshot());
    }

    /** A storage that fails, when told to, with the SPI's own exception. */
    static final class FailingStorage implements BillingStorage {
        final BillingStorage delegate = InMemoryStorage.create();
        volatile boolean failing;

        @Override
        public <T> T inTransaction(StorageWork<T> work) {
            if (failing) {
                throw new StorageException("disk on fire: secret detail");
            }
            return delegate.inTransaction(work);
        }

        @Override
        public String describe() {
            return "failing";
        }

        StorageSnapshot snapshot() {
            return StorageSnapshot.of(delegate);
        }
    }

    @Test
    void storageFailure_is503_withAnErrorId_storesNothing_andIsSafeToRetry() {
        FailingStorage storage = new FailingStorage();
        World w = new World(storage);
        BillingHttpHandler h = BillingHttpHandler.builder(w.engine).defaultCurrency(Monetary.getCurrency("CNY")).build();
        Map<String, String> json = Map.of("Content-Type", "application/json", "Idempotency-Key", "k");
        byte[] recharge = "{\"amount\":1.00,\"namespace\":\"chaizs\"}".getBytes(StandardCharsets.UTF_8);
        byte[] region = "{\"identification\":\"r\",\"region_describe\":\"d\"}".getBytes(StandardCharsets.UTF_8);
        StorageSnapshot before = storage.snapshot();
        storage.failing = true;
        for (HttpResponse r : List.of(
                h.handle(HttpRequest.of("GET", "/payment/v1/regions", Map.of(), new byte[0], OPS)),
                h.handle(HttpRequest.of("POST", "/payment/v1/recharge", json, recharge, OPS)),
                h.handle(HttpRequest.of("POST", "/payment/v1/admin/regions", json, region, OPS)))) {
            assertError(503, "storage_failure", null, r);
            assertTrue(json(r).get("error").get("error_id").asText().matches("[0-9a-f-]{36}"), r.bodyText());
            assertFalse(r.bodyText().contains("secret"), r.bodyText());
        }
        storage.failing = false;
        assertEquals(before, storage.snapshot());
        assertEquals("{\"balance\":1.00,\"status\":\"active\"}",
                h.handle(HttpRequest.of("POST", "/payment/v1/recharge", json, recharge, OPS)).bodyText().strip());
        assertStatus(200, h.handle(HttpRequest.of("POST", "/payment/v1/admin/regions", json, region, OPS)));
    }

    // ------------------------------------------------------------------ idempotency

    @Test
    void retriedPost_withTheSameKey_returnsTheSameResponse_andChangesNothing() {
        HttpResponse first = recharge("chaizs", "100.00", "r-1");
        post(OPS, "/payment/v1/checkout", "{\"plan_id\":\"plan-small\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-1");
        StorageSnapshot before = world.snapshot();
        HttpResponse again = recharge("chaizs", "100.00", "r-1");
        assertEquals(first, again);
        assertArrayEquals(first.body(), again.body());
        HttpResponse checkoutAgain = post(OPS, "/payment/v1/checkout",
                "{\"plan_id\":\"plan-small\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-1");
        assertEquals("{\"balance\":80.00,\"status\":\"active\"}", checkoutAgain.bodyText().strip());
        assertEquals(before, world.snapshot());

        assertError(409, "idempotency_conflict", "Idempotency-Key", recharge("chaizs", "5", "r-1"));
        assertError(409, "idempotency_conflict", "Idempotency-Key", post(OPS, "/payment/v1/checkout",
                "{\"plan_id\":\"plan-medium\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-1"));
        assertEquals(before, world.snapshot());
    }

    @Test
    void concurrentRetries_withOneKey_allGetTheFirstResponse_andMoveMoneyOnce() throws Exception {
        recharge("chaizs", "1.00", "open");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<HttpResponse>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return recharge("chaizs", "100.00", "same-key");
                }));
            }
            start.countDown();
            HttpResponse first = futures.get(0).get();
            assertEquals("{\"balance\":101.00,\"status\":\"active\"}", first.bodyText().strip());
            for (java.util.concurrent.Future<HttpResponse> f : futures) {
                assertEquals(first, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, json(get(OPS, "/payment/v1/amounts?namespace=chaizs")).size());
    }

    @Test
    void refund_retried_returnsTheSameRefund() {
        recharge("chaizs", "100", "r-1");
        post(OPS, "/payment/v1/checkout", "{\"plan_id\":\"plan-small\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-1");
        String id = json(get(OPS, "/payment/v1/amounts?namespace=chaizs")).get(0).get("trans_id").asText();
        String body = "{\"namespace\":\"chaizs\",\"trans_id\":\"" + id + "\"}";
        HttpResponse first = post(OPS, "/payment/v1/refund", body, "f-1");
        StorageSnapshot before = world.snapshot();
        assertEquals(first, post(OPS, "/payment/v1/refund", body, "f-1"));
        assertEquals(before, world.snapshot());
    }

    @Test
    void moneyMovingPost_withoutIdempotencyKey_is400() {
        StorageSnapshot before = world.snapshot();
        assertError(400, "invalid_request", "Idempotency-Key", recharge("chaizs", "1", null));
        assertError(400, "invalid_request", "Idempotency-Key", recharge("chaizs", "1", "x".repeat(129)));
        assertError(400, "invalid_request", "Idempotency-Key", post(OPS, "/payment/v1/checkout",
                "{\"plan_id\":\"plan-small\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", null));
        assertError(400, "invalid_request", "Idempotency-Key",
                post(OPS, "/payment/v1/refund", "{\"namespace\":\"chaizs\",\"trans_id\":\"x\"}", null));
        assertEquals(before, world.snapshot());
    }

    // ------------------------------------------------------------------ http-level errors

    @Test
    void noCaller_is401() {
        HttpResponse r = handler.handle(HttpRequest.of("GET", "/payment/v1/regions", Map.of(), new byte[0], null));
        assertError(401, "unauthorized", null, r);
    }

    @Test
    void unknownRoute_is404_andWrongMethod_is405WithAllow() {
        assertError(404, "not_found", null, get(OPS, "/payment/v1/nothing"));
        assertError(404, "not_found", null, get(OPS, "/payment/v1/regions/"));
        assertError(404, "not_found", null, get(OPS, "/payment/v1/amount/?namespace=x"));
        HttpResponse r = handler.handle(HttpRequest.of("DELETE", "/payment/v1/regions", Map.of(), new byte[0], OPS));
        assertError(405, "method_not_allowed", null, r);
        assertEquals("GET, HEAD", r.header("Allow"));
        r = get(OPS, "/payment/v1/checkout");
        assertError(405, "method_not_allowed", null, r);
        assertEquals("POST", r.header("allow"));
    }

    @Test
    void aPostRouteThatForgetsToRememberItsAnswer_isCaughtAsA500() {
        BillingHttpHandler h = BillingHttpHandler.builder(world.engine).build();
        h.routes().post("/forgetful", Routes.Access.ADMIN, call -> Call.ok(Json.object()));
        HttpResponse r = h.handle(HttpRequest.of("POST", "/forgetful", Map.of("Idempotency-Key", "k"), new byte[0], OPS));
        assertError(500, "internal_error", null, r);
    }

    @Test
    void head_isGetWithoutTheBody() {
        recharge("chaizs", "1", "r-1");
        HttpResponse get = get(WATCHER, "/payment/v1/balance?namespace=chaizs");
        HttpResponse head = handler.handle(HttpRequest.of("HEAD", "/payment/v1/balance?namespace=chaizs", Map.of(),
                new byte[0], WATCHER));
        assertEquals(200, head.status());
        Map<String, String> expected = new java.util.LinkedHashMap<>(get.headers());
        expected.put("Content-Length", Integer.toString(get.body().length));
        assertEquals(expected, head.headers(), "the GET's headers, with the length of its body");
        assertEquals(0, head.body().length);
        HttpResponse missing = handler.handle(HttpRequest.of("HEAD", "/payment/v1/nothing", Map.of(), new byte[0], OPS));
        assertEquals(404, missing.status());
        assertEquals(0, missing.body().length);
        HttpResponse post = handler.handle(HttpRequest.of("HEAD", "/payment/v1/checkout", Map.of(), new byte[0], OPS));
        assertEquals(405, post.status());
        assertEquals("POST", post.header("Allow"));
        assertEquals(0, post.body().length);
    }

    @Test
    void malformedPercentEscapesInThePath_are400NamingThePath() {
        assertError(400, "invalid_request", "path", get(OPS, "/payment/v1/%ZZ"));
        assertError(400, "invalid_request", "path", get(OPS, "/payment/v1/amount/%E4%ZZ?namespace=chaizs"));
        assertError(400, "invalid_request", "path", get(OPS, "/payment/v1/amount/%FF?namespace=chaizs"));
        assertError(400, "invalid_request", "path", get(OPS, "/payment/v1/amount/%4?namespace=chaizs"));
    }

    static Stream<Arguments> acceptHeaders() {
        return Stream.of(
                Arguments.of(null, 200),
                Arguments.of("", 200),
                Arguments.of("  ", 200),
                Arguments.of(" , ", 200),
                Arguments.of("*/*", 200),
                Arguments.of("application/*", 200),
                Arguments.of("application/json", 200),
                Arguments.of("APPLICATION/JSON", 200),
                Arguments.of("application/json; charset=utf-8", 200),
                Arguments.of("text/html, application/json;q=0.5", 200),
                Arguments.of("text/html;q=1, */*;q=0.1", 200),
                Arguments.of("application/json;q=0, */*", 406),
                Arguments.of("*/*;q=0", 406),
                Arguments.of("application/xml", 406),
                Arguments.of("text/html", 406),
                Arguments.of("application/json; charset=iso-8859-1", 406),
                Arguments.of("application/json;q=2", 406));
    }

    @ParameterizedTest
    @MethodSource("acceptHeaders")
    void accept_isNegotiated(String accept, int status) {
        Map<String, String> headers = accept == null ? Map.of() : Map.of("Accept", accept);
        HttpResponse r = handler.handle(HttpRequest.of("GET", "/payment/v1/regions", headers, new byte[0], OPS));
        assertEquals(status, r.status(), r::bodyText);
        if (status == 406) {
            assertError(406, "not_acceptable", null, r);
        }
    }

    @Test
    void post_whoseBodyIsNotJson_is415() {
        StorageSnapshot before = world.snapshot();
        byte[] body = "{\"amount\":1,\"namespace\":\"chaizs\"}".getBytes(StandardCharsets.UTF_8);
        for (String type : Arrays.asList(null, "text/plain", "application/x-www-form-urlencoded",
                "application/json; charset=latin1")) {
            Map<String, String> headers = new HashMap<>(Map.of("Idempotency-Key", "k"));
            if (type != null) {
                headers.put("Content-Type", type);
            }
            assertError(415, "unsupported_media_type", null,
                    handler.handle(HttpRequest.of("POST", "/payment/v1/recharge", headers, body, OPS)));
        }
        HttpResponse ok = handler.handle(HttpRequest.of("POST", "/payment/v1/recharge",
                Map.of("Content-Type", "application/json;charset=UTF-8", "Idempotency-Key", "k"), body, OPS));
        assertEquals(200, ok.status(), ok::bodyText);
        assertFalse(before.equals(world.snapshot()));
    }

    @Test
    void post_withNoBody_needsNoContentType_andIsCheckedLikeAnyBody() {
        recharge("chaizs", "1", "seed");
        StorageSnapshot before = world.snapshot();
        assertError(400, "invalid_request", "body", handler.handle(HttpRequest.of("POST", "/payment/v1/recharge",
                Map.of("Idempotency-Key", "k"), new byte[0], OPS)));
        assertError(400, "invalid_request", "body", handler.handle(HttpRequest.of("POST", "/payment/v1/admin/regions",
                Map.of(), new byte[0], OPS)));
        assertEquals(before, world.snapshot());
    }

    @Test
    void unexpectedFailure_is500_withAnErrorId_andNoStackTrace() {
        BillingStorage broken = new BillingStorage() {
            @Override
            public <T> T inTransaction(StorageWork<T> work) {
                throw new IllegalStateException("boom: secret detail");
            }

            @Override
            public String describe() {
                return "broken";
            }

            @Override
            public void close() {
            }
        };
        BillingHttpHandler h = BillingHttpHandler.builder(BillingEngine.builder().storage(broken).build()).build();
        HttpResponse r = h.handle(HttpRequest.of("GET", "/payment/v1/regions", Map.of(), new byte[0], OPS));
        assertError(500, "internal_error", null, r);
        String id = json(r).get("error").get("error_id").asText();
        assertTrue(id.matches("[0-9a-f-]{36}"), id);
        assertFalse(r.bodyText().contains("boom"), r.bodyText().strip());
        assertFalse(r.bodyText().contains("at dev.billing"), r.bodyText().strip());
    }

    // ------------------------------------------------------------------ roles and namespaces

    enum Kind { READ, WRITE, ADMIN, OPERATOR, READ_ALL }

    /** Whether {@code role} may call a route of {@code kind}, on a namespace in its scope or on none. */
    static boolean allowed(Role role, Kind kind, boolean everyNamespace) {
        return switch (kind) {
            case READ -> true;
            case WRITE -> role != Role.OBSERVER && role != Role.BILLING_OBSERVER;
            case ADMIN -> role == Role.ADMIN || role == Role.BILLING_ADMIN;
            case OPERATOR -> everyNamespace && (role == Role.ADMIN || role == Role.BILLING_ADMIN);
            case READ_ALL -> everyNamespace;
        };
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void roleMatrix(Role role) {
        recharge("chaizs", "100", "seed");
        Caller c = Caller.of("u", Set.of(role), Set.of("chaizs"));
        Map<Kind, HttpResponse> results = Map.of(
                Kind.READ, get(c, "/payment/v1/balance?namespace=chaizs"),
                Kind.WRITE, post(c, "/payment/v1/recharge", "{\"amount\":1,\"namespace\":\"chaizs\"}", "k-" + role),
                Kind.ADMIN, post(c, "/v2/accounts/chaizs/commitments", "{\"id\":\"c-" + role.ordinal()
                        + "\",\"percentOff\":10,\"threshold\":\"1.00\",\"endDate\":\"2030-01-01T00:00:00Z\"}", null),
                Kind.OPERATOR, post(c, "/payment/v1/admin/regions",
                        "{\"identification\":\"r-" + role.ordinal() + "\",\"region_describe\":\"x\"}", null),
                Kind.READ_ALL, get(c, "/v2/events"));
        for (Kind kind : Kind.values()) {
            HttpResponse r = results.get(kind);
            if (allowed(role, kind, false)) {
                assertEquals(200, r.status(), role + " " + kind + ": " + r.bodyText().strip());
            } else {
                assertError(403, "forbidden", null, r);
            }
        }
        assertError(403, "forbidden", null, post(Caller.of("u", Set.of(), Set.of("chaizs")),
                "/payment/v1/recharge", "{\"amount\":1,\"namespace\":\"chaizs\"}", "k"));
        assertError(403, "forbidden", null, get(Caller.of("u", Set.of(), Set.of("chaizs")), "/payment/v1/regions"));
    }

    /**
     * Who may call what, written out by hand from the issues (the estimated-charges API's roles), never
     * read from the routes' own registration: reads to every role, writes (checkout, recharge, refund,
     * usage) to identity:user-admin, admin and billing:admin, one account's administration (commitments,
     * profile) to admin and billing:admin, and what changes or runs something for everyone (catalog, rate
     * card, due) to operators only: admin or billing:admin on every namespace.
     */
    static final Map<Kind, Set<String>> MAY_CALL = Map.of(
            Kind.READ, Set.of("identity:user-admin", "admin", "billing:admin", "observer", "billing:observer"),
            Kind.WRITE, Set.of("identity:user-admin", "admin", "billing:admin"),
            Kind.ADMIN, Set.of("admin", "billing:admin"),
            Kind.OPERATOR, Set.of("admin", "billing:admin"),
            Kind.READ_ALL, Set.of("identity:user-admin", "admin", "billing:admin", "observer", "billing:observer"));

    static final Map<String, Kind> EVERY_ROUTE = Map.ofEntries(
            Map.entry("GET /payment/v1/account", Kind.READ),
            Map.entry("GET /payment/v1/market", Kind.READ),
            Map.entry("GET /payment/v1/regions", Kind.READ),
            Map.entry("GET /payment/v1/balance", Kind.READ),
            Map.entry("GET /payment/v1/amounts", Kind.READ),
            Map.entry("GET /payment/v1/amount/{trans_id}", Kind.READ),
            Map.entry("POST /payment/v1/checkout", Kind.WRITE),
            Map.entry("POST /payment/v1/recharge", Kind.WRITE),
            Map.entry("POST /payment/v1/refund", Kind.WRITE),
            Map.entry("POST /payment/v1/admin/regions", Kind.OPERATOR),
            Map.entry("POST /payment/v1/admin/plans", Kind.OPERATOR),
            Map.entry("POST /payment/v1/admin/plans/retire", Kind.OPERATOR),
            Map.entry("GET /v2/accounts/{ran}/estimated_charges", Kind.READ),
            Map.entry("GET /v2/accounts/{ran}/estimated-charges", Kind.READ),
            Map.entry("POST /v2/accounts/{ran}/usage", Kind.WRITE),
            Map.entry("GET /v2/accounts/{ran}/statements", Kind.READ),
            Map.entry("GET /v2/accounts/{ran}/commitments", Kind.READ),
            Map.entry("POST /v2/accounts/{ran}/commitments", Kind.ADMIN),
            Map.entry("GET /v2/accounts/{ran}/profile", Kind.READ),
            Map.entry("POST /v2/accounts/{ran}/profile", Kind.ADMIN),
            Map.entry("GET /v2/rates", Kind.READ),
            Map.entry("POST /v2/rates", Kind.OPERATOR),
            Map.entry("POST /v2/due", Kind.OPERATOR),
            Map.entry("GET /v2/events", Kind.READ_ALL),
            Map.entry("GET /v2/accounts/{ran}/events", Kind.READ),
            Map.entry("POST /v2/accounts/{ran}/payments", Kind.WRITE),
            Map.entry("GET /v2/accounts/{ran}/payments", Kind.READ),
            Map.entry("GET /v2/payments/{provider}/{providerReference}", Kind.READ),
            Map.entry("POST /v2/payments/{provider}/{providerReference}/confirm", Kind.OPERATOR),
            Map.entry("POST /v2/payments/{provider}/{providerReference}/fail", Kind.OPERATOR),
            Map.entry("POST /v2/coupons", Kind.OPERATOR),
            Map.entry("GET /v2/coupons", Kind.OPERATOR),
            Map.entry("GET /v2/coupons/{code}", Kind.OPERATOR),
            Map.entry("POST /v2/coupons/{code}/revoke", Kind.OPERATOR),
            Map.entry("POST /v2/accounts/{ran}/coupons", Kind.WRITE),
            Map.entry("GET /v2/accounts/{ran}/subscriptions", Kind.READ),
            Map.entry("GET /v2/accounts/{ran}/subscriptions/{id}", Kind.READ),
            Map.entry("GET /v2/accounts/{ran}/subscriptions/{id}/switch", Kind.READ),
            Map.entry("POST /v2/accounts/{ran}/subscriptions/{id}/switch", Kind.WRITE),
            Map.entry("POST /v2/accounts/{ran}/subscriptions/{id}/cancel", Kind.WRITE),
            Map.entry("POST /v2/accounts/{ran}/subscriptions/{id}/resume", Kind.WRITE),
            Map.entry("POST /v2/accounts/{ran}/low-balance-threshold", Kind.ADMIN),
            Map.entry("GET /v2/accounts/{ran}/low-balance-threshold", Kind.READ),
            Map.entry("GET /v2/plans/{planId}", Kind.READ),
            Map.entry("GET /v2/plans/{planId}/versions/{version}", Kind.READ));

    @Test
    void everyRegisteredRoute_isInTheHandWrittenTable_andEveryEntryIsRegistered() {
        Set<String> registered = new TreeSet<>();
        handler.routes().all().forEach(r -> registered.add(r.method() + " " + r.pattern()));
        assertEquals(new TreeSet<>(EVERY_ROUTE.keySet()), registered);
    }

    @ParameterizedTest
    @EnumSource(Role.class)
    void everyRoute_answersEachRoleAsTheTableSays(Role role) {
        Caller c = Caller.operator("u", Set.of(role));
        for (Map.Entry<String, Kind> route : EVERY_ROUTE.entrySet()) {
            String method = route.getKey().substring(0, route.getKey().indexOf(' '));
            String target = route.getKey().substring(method.length() + 1).replace("{trans_id}", "x")
                    .replace("{ran}", "chaizs") + (route.getKey().contains("/payment/") ? "?namespace=chaizs" : "");
            Map<String, String> headers = Map.of("Content-Type", "application/json", "Idempotency-Key", "k");
            HttpResponse r = handler.handle(HttpRequest.of(method, target, headers,
                    "{}".getBytes(StandardCharsets.UTF_8), c));
            if (MAY_CALL.get(route.getValue()).contains(role.wireName())) {
                assertTrue(r.status() != 403 && r.status() != 401, role.wireName() + " " + route.getKey() + ": "
                        + r.bodyText());
            } else {
                assertError(403, "forbidden", null, r);
            }
        }
    }

    /** A caller's namespaces: every one (an operator), its own ({@code chaizs}), or another one ({@code bob}). */
    enum Scope { ALL, OWN, OTHER }

    /** A request that passes every check but authorization on each route, acting on {@code chaizs} where it names a namespace. */
    static final Map<String, String[]> REQUESTS = Map.ofEntries(
            Map.entry("GET /payment/v1/account", new String[] {"/payment/v1/account?namespace=chaizs", null}),
            Map.entry("GET /payment/v1/market", new String[] {"/payment/v1/market?region=aws&type=c", null}),
            Map.entry("GET /payment/v1/regions", new String[] {"/payment/v1/regions", null}),
            Map.entry("GET /payment/v1/balance", new String[] {"/payment/v1/balance?namespace=chaizs", null}),
            Map.entry("GET /payment/v1/amounts", new String[] {"/payment/v1/amounts?namespace=chaizs", null}),
            Map.entry("GET /payment/v1/amount/{trans_id}", new String[] {"/payment/v1/amount/x?namespace=chaizs", null}),
            Map.entry("POST /payment/v1/checkout", new String[] {"/payment/v1/checkout",
                    "{\"plan_id\":\"plan-small\",\"namespace\":\"chaizs\",\"region\":\"aws\"}"}),
            Map.entry("POST /payment/v1/recharge", new String[] {"/payment/v1/recharge",
                    "{\"amount\":1,\"namespace\":\"chaizs\"}"}),
            Map.entry("POST /payment/v1/refund", new String[] {"/payment/v1/refund",
                    "{\"namespace\":\"chaizs\",\"trans_id\":\"x\"}"}),
            Map.entry("POST /payment/v1/admin/regions", new String[] {"/payment/v1/admin/regions",
                    "{\"identification\":\"r-new\",\"region_describe\":\"x\"}"}),
            Map.entry("POST /payment/v1/admin/plans", new String[] {"/payment/v1/admin/plans",
                    "{\"plan_id\":\"p-new\",\"type\":\"C\",\"price\":1,\"currency\":\"CNY\",\"bill_period\":\"M\","
                    + "\"description\":\"d\",\"region\":\"aws\"}"}),
            Map.entry("POST /payment/v1/admin/plans/retire", new String[] {"/payment/v1/admin/plans/retire",
                    "{\"plan_id\":\"plan-large\"}"}),
            Map.entry("GET /v2/accounts/{ran}/estimated_charges", new String[] {"/v2/accounts/chaizs/estimated_charges", null}),
            Map.entry("GET /v2/accounts/{ran}/estimated-charges", new String[] {"/v2/accounts/chaizs/estimated-charges", null}),
            Map.entry("POST /v2/accounts/{ran}/usage", new String[] {"/v2/accounts/chaizs/usage", "{\"usage\":[]}"}),
            Map.entry("GET /v2/accounts/{ran}/statements", new String[] {"/v2/accounts/chaizs/statements", null}),
            Map.entry("GET /v2/accounts/{ran}/commitments", new String[] {"/v2/accounts/chaizs/commitments", null}),
            Map.entry("POST /v2/accounts/{ran}/commitments", new String[] {"/v2/accounts/chaizs/commitments",
                    "{\"id\":\"c\",\"percentOff\":10,\"threshold\":\"1.00\",\"endDate\":\"2030-01-01T00:00:00Z\"}"}),
            Map.entry("GET /v2/accounts/{ran}/profile", new String[] {"/v2/accounts/chaizs/profile", null}),
            Map.entry("POST /v2/accounts/{ran}/profile", new String[] {"/v2/accounts/chaizs/profile", "{\"kind\":\"cloud\"}"}),
            Map.entry("GET /v2/rates", new String[] {"/v2/rates", null}),
            Map.entry("POST /v2/rates", new String[] {"/v2/rates", "{\"offeringCode\":\"X\",\"chargeType\":\"Y\","
                    + "\"unitOfMeasure\":\"HRS\",\"currency\":\"CNY\",\"rate\":\"0.10\",\"effectiveFrom\":\"2016-01-01\"}"}),
            Map.entry("POST /v2/due", new String[] {"/v2/due", null}),
            Map.entry("GET /v2/events", new String[] {"/v2/events", null}),
            Map.entry("GET /v2/accounts/{ran}/events", new String[] {"/v2/accounts/chaizs/events", null}),
            Map.entry("POST /v2/accounts/{ran}/payments", new String[] {"/v2/accounts/chaizs/payments",
                    "{\"amount\":\"1.00\",\"currency\":\"CNY\",\"provider\":\"alipay\",\"providerReference\":\"ref-m\"}"}),
            Map.entry("GET /v2/accounts/{ran}/payments", new String[] {"/v2/accounts/chaizs/payments", null}),
            Map.entry("GET /v2/payments/{provider}/{providerReference}", new String[] {"/v2/payments/alipay/ref-m", null}),
            Map.entry("POST /v2/payments/{provider}/{providerReference}/confirm", new String[] {
                    "/v2/payments/alipay/ref-m/confirm", null}),
            Map.entry("POST /v2/payments/{provider}/{providerReference}/fail", new String[] {
                    "/v2/payments/alipay/ref-m/fail", "{\"reason\":\"declined\"}"}),
            Map.entry("POST /v2/coupons", new String[] {"/v2/coupons", "{\"batchId\":\"b\",\"amount\":\"1.00\","
                    + "\"currency\":\"CNY\",\"count\":1,\"expiresAt\":\"2099-01-01T00:00:00Z\"}"}),
            Map.entry("GET /v2/coupons", new String[] {"/v2/coupons?batchId=b", null}),
            Map.entry("GET /v2/coupons/{code}", new String[] {"/v2/coupons/0000-0000-0000-0000", null}),
            Map.entry("POST /v2/coupons/{code}/revoke", new String[] {"/v2/coupons/0000-0000-0000-0000/revoke", null}),
            Map.entry("POST /v2/accounts/{ran}/coupons", new String[] {"/v2/accounts/chaizs/coupons",
                    "{\"code\":\"0000-0000-0000-0000\"}"}),
            Map.entry("GET /v2/accounts/{ran}/subscriptions", new String[] {"/v2/accounts/chaizs/subscriptions", null}),
            Map.entry("GET /v2/accounts/{ran}/subscriptions/{id}", new String[] {"/v2/accounts/chaizs/subscriptions/x", null}),
            Map.entry("GET /v2/accounts/{ran}/subscriptions/{id}/switch", new String[] {
                    "/v2/accounts/chaizs/subscriptions/x/switch?planId=plan-large", null}),
            Map.entry("POST /v2/accounts/{ran}/subscriptions/{id}/switch", new String[] {
                    "/v2/accounts/chaizs/subscriptions/x/switch", "{\"planId\":\"plan-large\"}"}),
            Map.entry("POST /v2/accounts/{ran}/subscriptions/{id}/cancel", new String[] {
                    "/v2/accounts/chaizs/subscriptions/x/cancel", "{\"mode\":\"immediately\"}"}),
            Map.entry("POST /v2/accounts/{ran}/subscriptions/{id}/resume", new String[] {
                    "/v2/accounts/chaizs/subscriptions/x/resume", "{}"}),
            Map.entry("POST /v2/accounts/{ran}/low-balance-threshold", new String[] {
                    "/v2/accounts/chaizs/low-balance-threshold", "{\"threshold\":\"10.00\"}"}),
            Map.entry("GET /v2/plans/{planId}", new String[] {"/v2/plans/plan-small", null}),
            Map.entry("GET /v2/accounts/{ran}/low-balance-threshold", new String[] {"/v2/accounts/chaizs/low-balance-threshold", null}),
            Map.entry("GET /v2/plans/{planId}/versions/{version}", new String[] {"/v2/plans/plan-small/versions/1", null}));

    /**
     * The whole matrix, role × namespace scope × route: a refused request is 403 and changes nothing; an
     * allowed one gets past authorization (whatever the engine then says). Routes on one namespace also
     * refuse a caller scoped to another; routes on everyone (catalog, rates, due) refuse every scoped caller.
     */
    @Test
    void everyRoleScopeAndRoute_isAllowedOrRefusedAsTheTablesSay() {
        recharge("chaizs", "100", "seed");
        assertEquals(new TreeSet<>(EVERY_ROUTE.keySet()), new TreeSet<>(REQUESTS.keySet()));
        int refused = 0;
        for (Role role : Role.values()) {
            for (Scope scope : Scope.values()) {
                Caller c = switch (scope) {
                    case ALL -> Caller.operator("u", Set.of(role));
                    case OWN -> Caller.of("u", Set.of(role), Set.of("chaizs"));
                    case OTHER -> Caller.of("u", Set.of(role), Set.of("bob"));
                };
                for (Map.Entry<String, Kind> route : EVERY_ROUTE.entrySet()) {
                    String method = route.getKey().substring(0, route.getKey().indexOf(' '));
                    String[] request = REQUESTS.get(route.getKey());
                    boolean namespaced = request[0].contains("chaizs") || request[1] != null && request[1].contains("chaizs");
                    boolean expected = MAY_CALL.get(route.getValue()).contains(role.wireName())
                            && (route.getValue() != Kind.OPERATOR && route.getValue() != Kind.READ_ALL || scope == Scope.ALL)
                            && (!namespaced || scope != Scope.OTHER);
                    String what = role.wireName() + " " + scope + " " + route.getKey();
                    StorageSnapshot before = world.snapshot();
                    Map<String, String> headers = request[1] == null ? Map.of("Idempotency-Key", "k-" + what.hashCode())
                            : Map.of("Content-Type", "application/json", "Idempotency-Key", "k-" + what.hashCode());
                    HttpResponse r = handler.handle(HttpRequest.of(method, request[0], headers,
                            request[1] == null ? new byte[0] : request[1].getBytes(StandardCharsets.UTF_8), c));
                    if (expected) {
                        assertTrue(r.status() != 403 && r.status() != 401, what + ": " + r.bodyText().strip());
                    } else {
                        assertEquals(403, r.status(), what + ": " + r.bodyText().strip());
                        assertEquals("forbidden", json(r).get("error").get("code").asText(), what);
                        assertEquals(before, world.snapshot(), what + " changed something");
                        refused++;
                    }
                }
            }
        }
        assertTrue(refused > 100, "the matrix refused " + refused + " requests");
    }

    @Test
    void postWithAQueryString_is400NamingTheParameter_andChangesNothing() {
        recharge("chaizs", "100", "seed");
        StorageSnapshot before = world.snapshot();
        HttpResponse r = post(CHAIZS, "/payment/v1/checkout?namespace=bob&namespace=x",
                "{\"plan_id\":\"plan-small\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-q");
        assertError(400, "invalid_request", "namespace", r);
        assertError(400, "invalid_request", "x", post(OPS, "/payment/v1/recharge?x=1",
                "{\"amount\":1,\"namespace\":\"chaizs\"}", "r-q"));
        assertError(400, "invalid_request", "dryRun", post(OPS, "/v2/due?dryRun=true", "", null));
        assertError(400, "invalid_request", "a", post(OPS, "/v2/accounts/chaizs/usage?a", "{\"usage\":[]}", null));
        assertEquals(before, world.snapshot());
        assertEquals(200, post(CHAIZS, "/payment/v1/checkout",
                "{\"plan_id\":\"plan-small\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-q").status(),
                "the same request without the query, under the same key, is served: the refused one was not remembered");
    }

    @Test
    void idempotencyKeys_areScopedToTheCaller() {
        recharge("chaizs", "100", "seed");
        String body = "{\"amount\":1,\"namespace\":\"chaizs\"}";
        assertEquals(200, post(CHAIZS, "/payment/v1/recharge", body, "same-key").status());
        // the operator's own recharge under the same key is another request, not the tenant's replay
        assertEquals(200, post(OPS, "/payment/v1/recharge", body, "same-key").status());
        assertEquals(0, new BigDecimal("102.00").compareTo(world.engine.wallet().balance("chaizs").amount().getNumber()
                .numberValueExact(BigDecimal.class)));
        // each caller's retry replays its own
        StorageSnapshot before = world.snapshot();
        assertEquals(200, post(CHAIZS, "/payment/v1/recharge", body, "same-key").status());
        assertEquals(before, world.snapshot());
        // a key reused for another request is 409, naming the key as sent
        HttpResponse r = post(CHAIZS, "/payment/v1/recharge", "{\"amount\":2,\"namespace\":\"chaizs\"}", "same-key");
        assertError(409, "idempotency_conflict", "Idempotency-Key", r);
        assertTrue(json(r).get("error").get("message").asText().contains("same-key"), r.bodyText().strip());
        assertEquals(before, world.snapshot());
        assertError(400, "invalid_request", "Idempotency-Key", post(CHAIZS, "/payment/v1/recharge", body, " padded"));
    }

    @Test
    void aBodyNestedTooDeeply_isTold400InTheApisWords_notTheParsersInternals() {
        String deep = "{\"amount\":" + "[".repeat(2000) + "1" + "]".repeat(2000) + ",\"namespace\":\"chaizs\"}";
        HttpResponse r = post(OPS, "/payment/v1/recharge", deep, "deep");
        assertError(400, "invalid_request", "body", r);
        String message = json(r).get("error").get("message").asText();
        assertTrue(message.contains("nested too deeply"), message);
        for (String internal : List.of("StreamReadConstraints", "getMax", "jackson", "com.fasterxml")) {
            assertFalse(message.toLowerCase(java.util.Locale.ROOT).contains(internal.toLowerCase(java.util.Locale.ROOT)),
                    message);
        }
    }

    @Test
    void aNamespaceScopedAdmin_changesNothingGlobal_andIsToldWhy() {
        Caller scopedAdmin = Caller.of("alice-admin", Set.of(Role.ADMIN), Set.of("chaizs"));
        StorageSnapshot before = world.snapshot();
        HttpResponse r = post(scopedAdmin, "/payment/v1/admin/plans/retire", "{\"plan_id\":\"plan-small\"}", null);
        assertError(403, "forbidden", null, r);
        assertTrue(json(r).get("error").get("message").asText().contains("only as an operator"), r.bodyText().strip());
        assertError(403, "forbidden", null, post(scopedAdmin, "/v2/due", "", null));
        assertError(403, "forbidden", null, post(scopedAdmin, "/v2/rates", "{\"offeringCode\":\"DBAAS\",\"chargeType\":"
                + "\"UPTIME\",\"unitOfMeasure\":\"HRS\",\"currency\":\"USD\",\"rate\":\"2.00\",\"effectiveFrom\":\"2016-01-01\"}",
                null));
        assertEquals(before, world.snapshot());
        assertEquals(200, post(OPS, "/payment/v1/admin/plans/retire", "{\"plan_id\":\"plan-small\"}", null).status(),
                "an operator may");
    }

    @Test
    void observers_areRefusedEveryWrite_andUserAdmins_everyAdministration() {
        recharge("chaizs", "100", "seed");
        post(OPS, "/payment/v1/checkout", "{\"plan_id\":\"plan-small\",\"namespace\":\"chaizs\",\"region\":\"aws\"}",
                "c-0");
        String purchase = json(get(OPS, "/payment/v1/amounts?namespace=chaizs")).get(0).get("trans_id").asText();
        StorageSnapshot before = world.snapshot();
        for (Role observer : List.of(Role.OBSERVER, Role.BILLING_OBSERVER)) {
            Caller c = Caller.of("w", Set.of(observer), Set.of("chaizs"));
            assertError(403, "forbidden", null, post(c, "/payment/v1/checkout",
                    "{\"plan_id\":\"plan-small\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-1"));
            assertError(403, "forbidden", null, post(c, "/payment/v1/refund",
                    "{\"namespace\":\"chaizs\",\"trans_id\":\"" + purchase + "\"}", "f-1"));
            assertError(403, "forbidden", null, post(c, "/payment/v1/recharge",
                    "{\"amount\":1,\"namespace\":\"chaizs\"}", "r-1"));
        }
        Caller userAdmin = Caller.of("ua", Set.of(Role.IDENTITY_USER_ADMIN), Set.of("chaizs"));
        assertError(403, "forbidden", null, post(userAdmin, "/payment/v1/admin/plans/retire",
                "{\"plan_id\":\"plan-small\"}", null));
        assertError(403, "forbidden", null, post(userAdmin, "/v2/rates", "{}", null));
        assertEquals(before, world.snapshot());
    }

    @Test
    void namespaceIsolation_otherNamespacesAre403_andOtherNamespacesTransactionsAre404() {
        recharge("chaizs", "100", "r-1");
        recharge("other", "100", "r-1");
        String otherTx = json(get(OPS, "/payment/v1/amounts?namespace=other")).get(0).get("trans_id").asText();
        StorageSnapshot before = world.snapshot();
        assertError(403, "forbidden", "namespace", get(CHAIZS, "/payment/v1/account?namespace=other"));
        assertError(403, "forbidden", "namespace", get(CHAIZS, "/payment/v1/balance?namespace=nobody"));
        assertError(403, "forbidden", "namespace", get(WATCHER, "/payment/v1/amounts?namespace=other"));
        assertError(403, "forbidden", "namespace", get(CHAIZS, "/payment/v1/amount/" + otherTx + "?namespace=other"));
        assertError(403, "forbidden", "namespace", post(CHAIZS, "/payment/v1/recharge",
                "{\"amount\":1,\"namespace\":\"other\"}", "k"));
        assertError(403, "forbidden", "namespace", post(CHAIZS, "/payment/v1/refund",
                "{\"namespace\":\"other\",\"trans_id\":\"" + otherTx + "\"}", "k"));
        HttpResponse leak = get(CHAIZS, "/payment/v1/amount/" + otherTx + "?namespace=chaizs");
        assertError(404, "transaction_not_found", "trans_id", leak);
        assertError(404, "transaction_not_found", null, post(CHAIZS, "/payment/v1/refund",
                "{\"namespace\":\"chaizs\",\"trans_id\":\"" + otherTx + "\"}", "k"));
        assertEquals(before, world.snapshot());
    }

    // ------------------------------------------------------------------ malformed bodies

    static Stream<Arguments> malformedRecharges() {
        return Stream.of(
                Arguments.of("{\"amount\":1,\"namespace\":\"chaizs\"", "body"),
                Arguments.of("", "body"),
                Arguments.of("[1]", "body"),
                Arguments.of("{\"amount\":1,\"namespace\":\"chaizs\"} {}", "body"),
                Arguments.of("{\"amount\":1,\"amount\":2,\"namespace\":\"chaizs\"}", "body"),
                Arguments.of("{\"amount\":1e400,\"namespace\":\"chaizs\"}", "amount"),
                Arguments.of("{\"amount\":-1e400,\"namespace\":\"chaizs\"}", "amount"),
                Arguments.of("{\"amount\":1e-400,\"namespace\":\"chaizs\"}", "amount"),
                // exponents no BigDecimal holds: Jackson throws NumberFormatException, not a JacksonException
                Arguments.of("{\"amount\":1e99999999999,\"namespace\":\"x\"}", "amount"),
                Arguments.of("{\"amount\":1e-2147483648,\"namespace\":\"x\"}", "amount"),
                Arguments.of("{\"amount\":1e2147483648,\"namespace\":\"chaizs\"}", "amount"),
                Arguments.of("{\"amount\":1E+2147483647,\"namespace\":\"chaizs\"}", "amount"),
                Arguments.of("{\"amount\":1e-2147483647,\"namespace\":\"chaizs\"}", "amount"),
                Arguments.of("{\"amount\":0e-100000000,\"namespace\":\"chaizs\"}", "amount"),
                Arguments.of("{\"amount\":1,\"namespace\":\"chaizs\",\"currency\":1e99999999999}", "currency"),
                Arguments.of("{\"amount\":" + "9".repeat(2000) + ",\"namespace\":\"chaizs\"}", "body"),
                Arguments.of("{\"amount\":1000000000000000,\"namespace\":\"chaizs\"}", "amount"),
                Arguments.of("{\"amount\":NaN,\"namespace\":\"chaizs\"}", "body"),
                Arguments.of("{\"amount\":Infinity,\"namespace\":\"chaizs\"}", "body"),
                Arguments.of("{\"amount\":\"12.34\",\"namespace\":\"chaizs\"}", "amount"),
                Arguments.of("{\"amount\":true,\"namespace\":\"chaizs\"}", "amount"),
                Arguments.of("{\"amount\":null,\"namespace\":\"chaizs\"}", "amount"),
                Arguments.of("{\"amount\":12.345,\"namespace\":\"chaizs\"}", "amount"),
                Arguments.of("{\"amount\":0,\"namespace\":\"chaizs\"}", "amount"),
                Arguments.of("{\"amount\":-5,\"namespace\":\"chaizs\"}", "amount"),
                Arguments.of("{\"namespace\":\"chaizs\"}", "amount"),
                Arguments.of("{\"amount\":1}", "namespace"),
                Arguments.of("{\"amount\":1,\"namespace\":42}", "namespace"),
                Arguments.of("{\"amount\":1,\"namespace\":\"\"}", "namespace"),
                Arguments.of("{\"amount\":1,\"namespace\":\"chaizs\",\"extra\":1}", "extra"),
                Arguments.of("{\"amount\":1,\"namespace\":\"chaizs\",\"currency\":\"XYZ\"}", "currency"),
                Arguments.of("{\"amount\":1,\"namespace\":\"chaizs\",\"currency\":\"cny\"}", "currency"),
                Arguments.of("{\"amount\":1,\"namespace\":\"chaizs\\ud800\"}", "namespace"),
                Arguments.of("{amount:1,namespace:\"chaizs\"}", "body"),
                // with the currency given, the recharge goes to the engine first: the same errors
                Arguments.of("{\"amount\":12.345,\"namespace\":\"chaizs\",\"currency\":\"CNY\"}", "amount"),
                Arguments.of("{\"amount\":1e-400,\"namespace\":\"chaizs\",\"currency\":\"CNY\"}", "amount"),
                Arguments.of("{\"amount\":0." + "0".repeat(300) + "1,\"namespace\":\"chaizs\",\"currency\":\"CNY\"}",
                        "amount"),
                Arguments.of("{\"amount\":0,\"namespace\":\"chaizs\",\"currency\":\"CNY\"}", "amount"),
                Arguments.of("{\"amount\":-5,\"namespace\":\"chaizs\",\"currency\":\"CNY\"}", "amount"),
                Arguments.of("{\"amount\":1000000000000000,\"namespace\":\"chaizs\",\"currency\":\"CNY\"}", "amount"),
                Arguments.of("{\"amount\":1,\"namespace\":\"chaizs\",\"currency\":\"USD\"}", "amount"),
                Arguments.of("{\"amount\":1.5,\"namespace\":\"chaizs\",\"currency\":\"JPY\"}", "amount"));
    }

    @ParameterizedTest
    @MethodSource("malformedRecharges")
    void malformedRecharge_is400NamingTheField_andStoresNothing(String body, String field) {
        recharge("chaizs", "1", "seed");
        StorageSnapshot before = world.snapshot();
        HttpResponse r = post(OPS, "/payment/v1/recharge", body, "k");
        assertEquals(400, r.status(), r::bodyText);
        assertEquals(field, json(r).get("error").get("field").asText(), r.bodyText().strip());
        assertEquals(before, world.snapshot());
    }

    @Test
    void nonUtf8Body_is400_andStoresNothing() {
        StorageSnapshot before = world.snapshot();
        byte[] body = {'{', '"', 'a', 'm', 'o', 'u', 'n', 't', '"', ':', '1', ',', '"', 'n', 'a', 'm', 'e', 's', 'p', 'a',
            'c', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertError(400, "invalid_request", "body", post(OPS, "/payment/v1/recharge", body, "k"));
        byte[] utf16 = "{\"amount\":1,\"namespace\":\"x\"}".getBytes(StandardCharsets.UTF_16);
        assertError(400, "invalid_request", "body", post(OPS, "/payment/v1/recharge", utf16, "k"));
        assertEquals(before, world.snapshot());
    }

    @Test
    void aBodyOverTheLimit_is413_andStoresNothing() {
        StorageSnapshot before = world.snapshot();
        String big = "{\"amount\":1,\"namespace\":\"chaizs\",\"pad\":\"" + "x".repeat(BillingHttpHandler.DEFAULT_MAX_BODY_BYTES) + "\"}";
        assertError(413, "payload_too_large", "body", post(OPS, "/payment/v1/recharge", big, "k"));
        assertEquals(before, world.snapshot());
    }

    // ------------------------------------------------------------------ catalog administration

    @Test
    void admin_definesRegionsAndPlans_andRetiresThem() {
        HttpResponse r = post(OPS, "/payment/v1/admin/regions",
                "{\"identification\":\"cn-north-3\",\"region_describe\":\"铸造三区\"}", null);
        assertStatus(200, r);
        assertEquals("{\"identification\":\"cn-north-3\",\"region_describe\":\"铸造三区\",\"status\":\"available\"}",
                r.bodyText().strip());
        r = post(OPS, "/payment/v1/admin/plans", "{\"plan_id\":\"p3\",\"type\":\"C\",\"price\":12.5,\"level\":\"S\","
                + "\"bill_period\":\"monthly\",\"description\":\"1 core\",\"region\":\"cn-north-3\"}", null);
        assertStatus(200, r);
        assertTrue(r.bodyText().contains("\"price\":12.50,\"currency\":\"CNY\""), r.bodyText().strip());
        String created = json(r).get("creation_time").asText();
        assertEquals(1, json(get(OPS, "/payment/v1/market?region=cn-north-3")).get("plans").size());

        world.clock.advance(java.time.Duration.ofDays(1));
        r = post(OPS, "/payment/v1/admin/plans", "{\"plan_id\":\"p3\",\"type\":\"C\",\"price\":13,\"currency\":\"CNY\","
                + "\"bill_period\":\"M\",\"description\":\"1 core\",\"region\":\"cn-north-3\"}", null);
        assertEquals(created, json(r).get("creation_time").asText(), "redefining keeps the creation time");

        r = post(OPS, "/payment/v1/admin/plans/retire", "{\"plan_id\":\"p3\"}", null);
        assertStatus(200, r);
        assertEquals("retired", json(r).get("status").asText());
        assertEquals(0, json(get(OPS, "/payment/v1/market?region=cn-north-3")).get("plans").size());

        StorageSnapshot before = world.snapshot();
        assertError(404, "plan_not_found", "plan_id", post(OPS, "/payment/v1/admin/plans/retire", "{\"plan_id\":\"nope\"}", null));
        assertError(404, "region_not_found", "region", post(OPS, "/payment/v1/admin/plans", "{\"plan_id\":\"p4\",\"type\":\"C\","
                + "\"price\":1,\"bill_period\":\"M\",\"description\":\"d\",\"region\":\"mars\"}", null));
        assertError(400, "invalid_request", "bill_period", post(OPS, "/payment/v1/admin/plans", "{\"plan_id\":\"p4\","
                + "\"type\":\"C\",\"price\":1,\"bill_period\":\"fortnightly\",\"description\":\"d\",\"region\":\"aws\"}", null));
        assertError(400, "invalid_request", "price", post(OPS, "/payment/v1/admin/plans", "{\"plan_id\":\"p4\","
                + "\"type\":\"C\",\"price\":\"1\",\"bill_period\":\"M\",\"description\":\"d\",\"region\":\"aws\"}", null));
        assertError(400, "invalid_request", "status", post(OPS, "/payment/v1/admin/regions",
                "{\"identification\":\"x\",\"region_describe\":\"x\",\"status\":\"open\"}", null));
        assertEquals(before, world.snapshot());
    }

    // ------------------------------------------------------------------ unit pieces

    @Test
    void responses_areUtf8_withSecurityHeaders() {
        HttpResponse r = get(OPS, "/payment/v1/regions");
        assertEquals("no-store", r.header("Cache-Control"));
        assertEquals("nosniff", r.header("X-Content-Type-Options"));
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).contains("铸造二区"));
    }

    @Test
    void request_headersAreCaseInsensitive_andBodiesCopied() {
        byte[] body = {1, 2};
        HttpRequest req = new HttpRequest("GET", "/", Map.of("X-A", List.of("1"), "x-a", List.of("2")), body, null);
        assertEquals(List.of("1", "2").size(), req.headers("X-a").size());
        body[0] = 9;
        assertEquals(1, req.body()[0]);
    }
}
