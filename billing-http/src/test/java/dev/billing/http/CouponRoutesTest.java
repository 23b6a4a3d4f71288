package dev.billing.http;

import static dev.billing.http.BillingHttpHandlerTest.OPS;
import static dev.billing.http.BillingHttpHandlerTest.assertError;
import static dev.billing.http.BillingHttpHandlerTest.assertStatus;
import static dev.billing.http.BillingHttpHandlerTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billing.core.BillingEngine;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageSnapshot;
import dev.billing.test.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import javax.money.Monetary;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Coupons over HTTP: batches by operators, redemption by an account. */
class CouponRoutesTest {

    private static final Caller ACME = Caller.of("acme", Set.of(Role.IDENTITY_USER_ADMIN), Set.of("acme"));
    private static final String BATCH = "{\"batchId\":\"welcome\",\"amount\":\"20.00\",\"currency\":\"CNY\",\"count\":3,"
            + "\"expiresAt\":\"2027-01-01T00:00:00Z\"}";

    private final BillingStorage storage = InMemoryStorage.create();
    private final TestClock clock = TestClock.at(Instant.parse("2026-12-07T09:00:00Z"), ZoneOffset.UTC);
    private final BillingEngine engine = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC).build();
    private final BillingHttpHandler handler = BillingHttpHandler.builder(engine).zone(ZoneOffset.UTC)
            .defaultCurrency(Monetary.getCurrency("CNY")).build();
    private JsonNode batch;

    private HttpResponse get(Caller caller, String target) {
        return handler.handle(HttpRequest.of("GET", target, Map.of(), new byte[0], caller));
    }

    private HttpResponse post(Caller caller, String target, String json) {
        Map<String, String> headers = new HashMap<>();
        if (json != null) {
            headers.put("Content-Type", "application/json");
        }
        return handler.handle(HttpRequest.of("POST", target, headers,
                json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8), caller));
    }

    @BeforeEach
    void createBatch() {
        HttpResponse r = post(OPS, "/v2/coupons", BATCH);
        assertStatus(200, r);
        batch = json(r).get("coupons");
        assertEquals(3, batch.size());
        assertEquals(r.bodyText(), post(OPS, "/v2/coupons", BATCH).bodyText(), "the same batch again: the same coupons");
    }

    @Test
    void anAccountRedeemsACode_once_andTheOperatorSeesIt() {
        String code = batch.get(0).get("code").asText();
        assertEquals("available", batch.get(0).get("status").asText());
        assertEquals("20.00", batch.get(0).get("amount").asText());
        HttpResponse r = post(ACME, "/v2/accounts/acme/coupons", "{\"code\":\"" + code.toLowerCase() + "\"}");
        assertStatus(200, r);
        JsonNode c = json(r);
        assertEquals("redeemed", c.get("status").asText());
        assertEquals("acme", c.get("redeemedBy").asText());
        assertEquals("20.00", json(get(ACME, "/payment/v1/balance?namespace=acme")).get("balance").decimalValue()
                .toPlainString());
        assertEquals("coupon", json(get(ACME, "/payment/v1/amount/" + c.get("transId").asText() + "?namespace=acme"))
                .get("payment_method").asText());
        assertEquals(r.bodyText(), post(ACME, "/v2/accounts/acme/coupons", "{\"code\":\"" + code + "\"}").bodyText());
        assertEquals(r.bodyText().strip(), get(OPS, "/v2/coupons/" + code).bodyText().strip());
        assertEquals("redeemed", json(get(OPS, "/v2/coupons?batchId=welcome")).get("coupons").findValuesAsText("status")
                .stream().filter("redeemed"::equals).findFirst().orElseThrow());
    }

    @Test
    void refusals_changeNothing() {
        String code = batch.get(0).get("code").asText();
        assertEquals("revoked", json(post(OPS, "/v2/coupons/" + code + "/revoke", null)).get("status").asText());
        StorageSnapshot before = StorageSnapshot.of(storage);
        assertError(409, "coupon_not_available", null, post(ACME, "/v2/accounts/acme/coupons", "{\"code\":\"" + code + "\"}"));
        assertError(404, "coupon_not_found", "code", post(ACME, "/v2/accounts/acme/coupons",
                "{\"code\":\"0000-0000-0000-0000\"}"));
        assertError(400, "invalid_request", "code", post(ACME, "/v2/accounts/acme/coupons", "{\"code\":\"nope\"}"));
        assertError(403, "forbidden", "namespace", post(ACME, "/v2/accounts/beta/coupons", "{\"code\":\"" + code + "\"}"));
        assertError(403, "forbidden", null, get(ACME, "/v2/coupons?batchId=welcome"));
        assertError(403, "forbidden", null, post(ACME, "/v2/coupons", BATCH));
        assertError(409, "coupon_batch_exists", null, post(OPS, "/v2/coupons", BATCH.replace("\"count\":3", "\"count\":4")));
        assertError(400, "invalid_request", "count", post(OPS, "/v2/coupons", BATCH.replace("\"count\":3", "\"count\":0")
                .replace("welcome", "other")));
        assertError(400, "invalid_request", "count", post(OPS, "/v2/coupons", BATCH.replace("\"count\":3", "\"count\":1.5")
                .replace("welcome", "other")));
        assertError(400, "invalid_request", "expiresAt", post(OPS, "/v2/coupons",
                BATCH.replace("2027-01-01T00:00:00Z", "2020-01-01T00:00:00Z").replace("welcome", "other")));
        assertError(400, "invalid_request", "batchId", get(OPS, "/v2/coupons"));
        assertEquals(before, StorageSnapshot.of(storage));
    }
}
