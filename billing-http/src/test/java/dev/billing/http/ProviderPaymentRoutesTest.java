package dev.billing.http;

import static dev.billing.http.BillingHttpHandlerTest.OPS;
import static dev.billing.http.BillingHttpHandlerTest.assertError;
import static dev.billing.http.BillingHttpHandlerTest.assertStatus;
import static dev.billing.http.BillingHttpHandlerTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

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
import org.junit.jupiter.api.Test;

/** Recharges through a payment provider over HTTP: begun by the tenant, confirmed or failed by the operator. */
class ProviderPaymentRoutesTest {

    private static final Caller ACME = Caller.of("acme", Set.of(Role.IDENTITY_USER_ADMIN), Set.of("acme"));
    private static final Caller BETA = Caller.of("beta", Set.of(Role.IDENTITY_USER_ADMIN), Set.of("beta"));
    private static final String BEGIN = "{\"amount\":\"100.00\",\"currency\":\"CNY\",\"provider\":\"alipay\","
            + "\"providerReference\":\"2026120722001\"}";

    private final BillingStorage storage = InMemoryStorage.create();
    private final TestClock clock = TestClock.at(Instant.parse("2026-12-07T09:00:00Z"), ZoneOffset.UTC);
    private final BillingEngine engine = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC).build();
    private final BillingHttpHandler handler = BillingHttpHandler.builder(engine).zone(ZoneOffset.UTC)
            .defaultCurrency(Monetary.getCurrency("CNY")).build();

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

    private StorageSnapshot snapshot() {
        return StorageSnapshot.of(storage);
    }

    @Test
    void begun_thenConfirmedOnce_howeverOftenTheCallbackComes() {
        HttpResponse begun = post(ACME, "/v2/accounts/acme/payments", BEGIN);
        assertStatus(200, begun);
        JsonNode p = json(begun);
        assertEquals("pending", p.get("status").asText());
        assertEquals("100.00", p.get("amount").asText());
        assertEquals("2026-12-08T09:00:00+00:00", p.get("expiresAt").asText());
        assertFalse(p.has("transId"));
        assertEquals(begun.bodyText(), post(ACME, "/v2/accounts/acme/payments", BEGIN).bodyText(), "begun again: the same");
        assertEquals(0, json(get(ACME, "/payment/v1/balance?namespace=acme")).get("balance").decimalValue().signum(),
                "begun: nothing credited");

        HttpResponse confirmed = post(OPS, "/v2/payments/alipay/2026120722001/confirm", null);
        assertStatus(200, confirmed);
        JsonNode c = json(confirmed);
        assertEquals("succeeded", c.get("status").asText());
        String transId = c.get("transId").asText();
        for (int i = 0; i < 3; i++) {
            assertEquals(confirmed.bodyText(), post(OPS, "/v2/payments/alipay/2026120722001/confirm", null).bodyText());
        }
        JsonNode balance = json(get(ACME, "/payment/v1/balance?namespace=acme"));
        assertEquals("100.00", balance.get("balance").decimalValue().toPlainString());
        assertEquals("alipay", json(get(ACME, "/payment/v1/amount/" + transId + "?namespace=acme"))
                .get("payment_method").asText());
        assertEquals(confirmed.bodyText().strip(), json(get(ACME, "/v2/accounts/acme/payments")).get("payments").get(0)
                .toString());
        assertEquals(confirmed.bodyText().strip(), get(ACME, "/v2/payments/alipay/2026120722001").bodyText().strip());

        StorageSnapshot before = snapshot();
        assertError(409, "payment_not_pending", null, post(OPS, "/v2/payments/alipay/2026120722001/fail",
                "{\"reason\":\"declined\"}"));
        assertEquals(before, snapshot());
    }

    @Test
    void aFailedPayment_isNeverCredited_andAConfirmationAfterIsRefused() {
        assertStatus(200, post(ACME, "/v2/accounts/acme/payments", BEGIN));
        JsonNode failed = json(post(OPS, "/v2/payments/alipay/2026120722001/fail", "{\"reason\":\"card declined\"}"));
        assertEquals("failed", failed.get("status").asText());
        assertEquals("card declined", failed.get("reason").asText());
        StorageSnapshot before = snapshot();
        assertError(409, "payment_not_pending", null, post(OPS, "/v2/payments/alipay/2026120722001/confirm",
                null));
        assertEquals(before, snapshot());
    }

    @Test
    void badRequests_areRefused_andChangeNothing() {
        assertStatus(200, post(ACME, "/v2/accounts/acme/payments", BEGIN));
        StorageSnapshot before = snapshot();
        assertError(403, "forbidden", "namespace", post(BETA, "/v2/accounts/acme/payments", BEGIN));
        assertError(404, "payment_not_found", "providerReference", get(BETA, "/v2/payments/alipay/2026120722001"));
        assertError(403, "forbidden", null, post(ACME, "/v2/payments/alipay/2026120722001/confirm", null));
        assertError(404, "payment_not_found", "providerReference", post(OPS, "/v2/payments/alipay/nope/confirm", null));
        assertError(409, "payment_exists", null, post(ACME, "/v2/accounts/acme/payments",
                BEGIN.replace("100.00", "99.00")));
        assertError(400, "invalid_request", "amount", post(ACME, "/v2/accounts/acme/payments",
                BEGIN.replace("100.00", "1.001")));
        assertError(400, "invalid_request", "amount", post(ACME, "/v2/accounts/acme/payments",
                BEGIN.replace("100.00", "0")));
        assertError(400, "invalid_request", "currency", post(ACME, "/v2/accounts/acme/payments",
                BEGIN.replace(",\"currency\":\"CNY\"", "")));
        assertError(400, "invalid_request", "extra", post(ACME, "/v2/accounts/acme/payments",
                BEGIN.replace("{", "{\"extra\":1,")));
        assertError(400, "invalid_request", "reason", post(OPS, "/v2/payments/alipay/2026120722001/fail", "{}"));
        assertError(400, "invalid_request", "x", post(OPS, "/v2/payments/alipay/2026120722001/confirm", "{\"x\":1}"));
        assertEquals(before, snapshot());
    }
}
