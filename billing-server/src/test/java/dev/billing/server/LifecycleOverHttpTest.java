package dev.billing.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The subscription lifecycle, payments, coupons, plan versions and the event outbox through the real
 * server over loopback, as a host's front end would call them: every step answered over HTTP and the
 * money checked against the account's own history.
 */
class LifecycleOverHttpTest extends ServerTestBase {

    private BigDecimal balance() throws Exception {
        HttpResponse<String> r = get("/payment/v1/balance?namespace=chaizs", CHAIZS);
        assertEquals(200, r.statusCode(), r.body());
        return json(r).get("balance").decimalValue();
    }

    private JsonNode ok(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body().strip());
        return json(r);
    }

    @Test
    void aCustomerSubscribesSwitchesCancelsResumesPaysAndRedeems_overHttp() throws Exception {
        ok(post("/payment/v1/recharge", OPS, "{\"amount\":100.00,\"namespace\":\"chaizs\"}", "r-1"));
        ok(post("/payment/v1/checkout", CHAIZS, "{\"plan_id\":\"c-small\",\"namespace\":\"chaizs\",\"region\":\"aws\"}", "c-1"));
        JsonNode sub = ok(get("/v2/accounts/chaizs/subscriptions", CHAIZS)).get("subscriptions").get(0);
        String id = sub.get("id").asText();
        assertEquals(1, sub.get("planVersion").asInt());
        assertEquals(0, new BigDecimal("80.00").compareTo(balance()));

        // quote, then switch up: one proration credit and one purchase, the period kept
        JsonNode quote = ok(get("/v2/accounts/chaizs/subscriptions/" + id + "/switch?planId=c-medium", CHAIZS));
        JsonNode switched = ok(post("/v2/accounts/chaizs/subscriptions/" + id + "/switch", CHAIZS,
                "{\"planId\":\"c-medium\"}", "sw-1"));
        assertEquals("c-medium", switched.get("planId").asText());
        assertEquals(sub.get("periodEnd").asText(), switched.get("periodEnd").asText(), "the period is kept");
        JsonNode history = ok(get("/payment/v1/amounts?namespace=chaizs", CHAIZS));
        assertEquals("purchase", history.get(0).get("kind").asText());
        assertEquals("proration", history.get(1).get("kind").asText());
        BigDecimal net = history.get(0).get("amount").decimalValue().subtract(history.get(1).get("amount").decimalValue());
        assertEquals(0, new BigDecimal("80.00").subtract(net).compareTo(balance()), "the balance moved by the switch's net");
        assertTrue(net.subtract(new BigDecimal(quote.get("net").asText())).abs().compareTo(new BigDecimal("0.01")) <= 0,
                "the quote, a moment earlier: " + quote.get("net") + " against " + net);
        assertEquals(switched.toString(), ok(post("/v2/accounts/chaizs/subscriptions/" + id + "/switch", CHAIZS,
                "{\"planId\":\"c-medium\"}", "sw-1")).toString(), "the key replays the switch");

        // cancel at the period end, then take it back
        JsonNode cancelled = ok(post("/v2/accounts/chaizs/subscriptions/" + id + "/cancel", CHAIZS,
                "{\"mode\":\"at_period_end\"}", "x-1"));
        assertTrue(cancelled.get("cancelAtPeriodEnd").asBoolean());
        assertEquals("active", cancelled.get("status").asText());
        JsonNode resumed = ok(post("/v2/accounts/chaizs/subscriptions/" + id + "/resume", CHAIZS, "{}", "u-1"));
        assertTrue(!resumed.get("cancelAtPeriodEnd").asBoolean());
        BigDecimal afterSwitch = balance();

        // a provider's payment: pending, then its callback ten times, credited once
        JsonNode pending = ok(post("/v2/accounts/chaizs/payments", CHAIZS,
                "{\"amount\":\"15.00\",\"currency\":\"CNY\",\"provider\":\"alipay\",\"providerReference\":\"T-1\"}", "p-1"));
        assertEquals("pending", pending.get("status").asText());
        assertEquals(0, afterSwitch.compareTo(balance()), "nothing credited while pending");
        for (int i = 0; i < 10; i++) {
            assertEquals("succeeded", ok(post("/v2/payments/alipay/T-1/confirm", OPS, new byte[0], null)).get("status").asText());
        }
        assertEquals(0, afterSwitch.add(new BigDecimal("15.00")).compareTo(balance()), "credited once");

        // a coupon: created by an operator, redeemed by the customer, twice: credited once
        JsonNode batch = ok(post("/v2/coupons", OPS, "{\"batchId\":\"welcome\",\"amount\":\"5.00\",\"currency\":\"CNY\","
                + "\"count\":1,\"expiresAt\":\"2099-01-01T00:00:00Z\"}", null));
        String code = batch.get("coupons").get(0).get("code").asText();
        assertEquals("redeemed", ok(post("/v2/accounts/chaizs/coupons", CHAIZS, "{\"code\":\"" + code + "\"}", null))
                .get("status").asText());
        ok(post("/v2/accounts/chaizs/coupons", CHAIZS, "{\"code\":\"" + code + "\"}", null));
        assertEquals(0, afterSwitch.add(new BigDecimal("20.00")).compareTo(balance()), "the coupon credited once");

        // a price change is a new version; the subscription keeps the one it pays for
        ok(post("/payment/v1/admin/plans", OPS, "{\"plan_id\":\"c-medium\",\"type\":\"C\",\"price\":45.00,\"currency\":\"CNY\","
                + "\"level\":\"M\",\"name\":\"C medium\",\"bill_period\":\"M\",\"description\":\"2 CPU Cores, 1G Memory\","
                + "\"region\":\"aws\"}", null));
        JsonNode plan = ok(get("/v2/plans/c-medium", CHAIZS));
        assertEquals(2, plan.get("version").asInt());
        assertEquals("45.00", plan.get("price").asText());
        assertEquals("40.88", ok(get("/v2/plans/c-medium/versions/1", CHAIZS)).get("price").asText());
        assertEquals(1, ok(get("/v2/accounts/chaizs/subscriptions/" + id, CHAIZS)).get("planVersion").asInt());

        // and the outbox says all of it, in order, polled by the host
        JsonNode events = ok(get("/v2/accounts/chaizs/events?limit=1000", CHAIZS)).get("events");
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.get("type").asText()));
        assertEquals(List.of("subscription.created", "subscription.switched", "subscription.cancelled",
                "subscription.resumed", "recharge.pending", "recharge.confirmed", "coupon.redeemed"), types);
    }
}
