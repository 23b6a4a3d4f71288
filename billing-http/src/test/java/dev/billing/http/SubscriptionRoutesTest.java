package dev.billing.http;

import static dev.billing.http.BillingHttpHandlerTest.assertError;
import static dev.billing.http.BillingHttpHandlerTest.assertStatus;
import static dev.billing.http.BillingHttpHandlerTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billing.core.BillingEngine;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
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
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The subscription lifecycle over HTTP: list, quote and switch, cancel, resume. */
class SubscriptionRoutesTest {

    private static final Caller ACME = Caller.of("acme", Set.of(Role.IDENTITY_USER_ADMIN), Set.of("acme"));
    private static final Caller WATCH = Caller.of("watch", Set.of(Role.OBSERVER), Set.of("acme"));

    private final BillingStorage storage = InMemoryStorage.create();
    private final TestClock clock = TestClock.at(Instant.parse("2026-01-05T09:00:00Z"), ZoneOffset.UTC);
    private final BillingEngine engine = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC).build();
    private final BillingHttpHandler handler = BillingHttpHandler.builder(engine).zone(ZoneOffset.UTC)
            .defaultCurrency(Monetary.getCurrency("CNY")).build();
    private String id;

    private HttpResponse get(Caller caller, String target) {
        return handler.handle(HttpRequest.of("GET", target, Map.of(), new byte[0], caller));
    }

    private HttpResponse post(Caller caller, String target, String json, String key) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Content-Type", "application/json");
        if (key != null) {
            headers.put("Idempotency-Key", key);
        }
        return handler.handle(HttpRequest.of("POST", target, headers, json.getBytes(StandardCharsets.UTF_8), caller));
    }

    @BeforeEach
    void aSubscription() {
        engine.catalog().defineRegion(Region.available("r", "R"));
        engine.catalog().definePlan(Plan.of("small", "C", Money.of(20, "CNY"), PlanTerm.MONTHLY, "1 CPU", "r"));
        engine.catalog().definePlan(Plan.of("large", "C", Money.of(40, "CNY"), PlanTerm.MONTHLY, "2 CPU", "r"));
        engine.wallet().recharge("acme", Money.of(100, "CNY"), "r1");
        engine.subscriptions().checkout("acme", "small", "r", "c1");
        id = engine.subscriptions().subscriptions("acme").get(0).id();
        clock.set(Instant.parse("2026-01-20T21:00:00Z")); // half of a 31-day period left
    }

    @Test
    void quoteThenSwitch_atTheSameMoment_agree_andTheListShowsTheNewPlan() {
        String base = "/v2/accounts/acme/subscriptions/" + id;
        JsonNode quote = json(get(WATCH, base + "/switch?planId=large"));
        assertEquals("10.00", quote.get("credit").asText());
        assertEquals("20.00", quote.get("charge").asText());
        assertEquals("10.00", quote.get("net").asText());
        HttpResponse switched = post(ACME, base + "/switch", "{\"planId\":\"large\"}", "sw-1");
        assertStatus(200, switched);
        assertEquals("large", json(switched).get("planId").asText());
        assertEquals(switched.bodyText(), post(ACME, base + "/switch", "{\"planId\":\"large\"}", "sw-1").bodyText(),
                "the key replays");
        assertEquals(Money.of(70, "CNY"), Money.from(engine.wallet().balance("acme").amount()));
        JsonNode list = json(get(WATCH, "/v2/accounts/acme/subscriptions"));
        assertEquals("large", list.get("subscriptions").get(0).get("planId").asText());
        assertEquals(switched.bodyText().strip(), get(WATCH, base).bodyText().strip());
    }

    @Test
    void cancelBothWays() {
        String base = "/v2/accounts/acme/subscriptions/" + id;
        JsonNode atEnd = json(post(ACME, base + "/cancel", "{\"mode\":\"at_period_end\"}", "x1"));
        assertEquals(true, atEnd.get("cancelAtPeriodEnd").asBoolean());
        assertEquals("active", atEnd.get("status").asText());
        JsonNode now = json(post(ACME, base + "/cancel", "{\"mode\":\"immediately\",\"refund\":\"prorated\"}", "x2"));
        assertEquals("cancelled", now.get("status").asText());
        assertEquals("2026-01-20T21:00:00+00:00", now.get("periodEnd").asText());
    }

    @Test
    void resume_takesACancellationAtThePeriodEndBack_withOrWithoutAnEmptyBody() {
        String base = "/v2/accounts/acme/subscriptions/" + id;
        post(ACME, base + "/cancel", "{\"mode\":\"at_period_end\"}", "x1");
        HttpResponse resumed = post(ACME, base + "/resume", "", "u1");
        assertStatus(200, resumed);
        assertEquals(false, json(resumed).get("cancelAtPeriodEnd").asBoolean());
        assertEquals("active", json(resumed).get("status").asText());
        assertEquals(resumed.bodyText(), post(ACME, base + "/resume", "", "u1").bodyText(), "the key replays");
        assertStatus(200, post(ACME, base + "/resume", "{}", "u2"));
        clock.set(Instant.parse("2026-02-05T09:00:00Z"));
        engine.runDue();
        assertEquals(Money.of(60, "CNY"), Money.from(engine.wallet().balance("acme").amount()), "renewed");
    }

    @Test
    void refusals_nameTheField_andChangeNothing() {
        String base = "/v2/accounts/acme/subscriptions/" + id;
        StorageSnapshot before = StorageSnapshot.of(storage);
        assertError(400, "invalid_request", "Idempotency-Key", post(ACME, base + "/switch", "{\"planId\":\"large\"}", null));
        assertError(400, "invalid_request", "planId", post(ACME, base + "/switch", "{\"planId\":\"small\"}", "k1"));
        assertError(404, "plan_not_found", "planId", post(ACME, base + "/switch", "{\"planId\":\"nope\"}", "k2"));
        assertError(404, "subscription_not_found", "id", post(ACME, "/v2/accounts/acme/subscriptions/nope/switch",
                "{\"planId\":\"large\"}", "k3"));
        assertError(400, "invalid_request", "planId", get(ACME, base + "/switch"));
        assertError(400, "invalid_request", "mode", post(ACME, base + "/cancel", "{\"mode\":\"later\"}", "k4"));
        assertError(400, "invalid_request", "refund", post(ACME, base + "/cancel",
                "{\"mode\":\"immediately\",\"refund\":\"all\"}", "k5"));
        assertError(400, "invalid_request", "refund", post(ACME, base + "/cancel",
                "{\"mode\":\"at_period_end\",\"refund\":\"prorated\"}", "k6"));
        assertError(403, "forbidden", null, post(WATCH, base + "/cancel", "{\"mode\":\"immediately\"}", "k7"));
        assertError(400, "invalid_request", "Idempotency-Key", post(ACME, base + "/resume", "", null));
        assertError(400, "invalid_request", "refund", post(ACME, base + "/resume", "{\"refund\":\"prorated\"}", "k8"));
        assertError(404, "subscription_not_found", "id", post(ACME, "/v2/accounts/acme/subscriptions/nope/resume", "",
                "k9"));
        assertError(403, "forbidden", null, post(WATCH, base + "/resume", "", "k10"));
        assertError(403, "forbidden", "namespace", get(ACME, "/v2/accounts/beta/subscriptions"));
        assertEquals(before, StorageSnapshot.of(storage));
    }

    @Test
    void aSwitchTheBalanceCannotPay_is402_andOneOnAnEndedSubscription_is409_changingNothing() {
        String base = "/v2/accounts/acme/subscriptions/" + id;
        engine.catalog().definePlan(Plan.of("huge", "C", Money.of(400, "CNY"), PlanTerm.MONTHLY, "64 CPU", "r"));
        StorageSnapshot before = StorageSnapshot.of(storage);
        assertError(402, "insufficient_funds", null, post(ACME, base + "/switch", "{\"planId\":\"huge\"}", "s1"));
        assertEquals(before, StorageSnapshot.of(storage));
        post(ACME, base + "/cancel", "{\"mode\":\"immediately\"}", "x1");
        StorageSnapshot cancelled = StorageSnapshot.of(storage);
        assertError(409, "subscription_not_active", null, get(ACME, base + "/switch?planId=large"));
        assertError(409, "subscription_not_active", null, post(ACME, base + "/switch", "{\"planId\":\"large\"}", "s2"));
        assertError(409, "subscription_not_active", null, post(ACME, base + "/resume", "", "u1"));
        assertEquals(cancelled, StorageSnapshot.of(storage));
    }
}
