package dev.billing.http;

import static dev.billing.http.BillingHttpHandlerTest.assertError;
import static dev.billing.http.BillingHttpHandlerTest.assertStatus;
import static dev.billing.http.BillingHttpHandlerTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billing.core.BillingEngine;
import dev.billing.core.catalog.Region;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageSnapshot;
import dev.billing.test.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import javax.money.Monetary;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A plan's versions over HTTP: a price change through the admin route is a new version that renewals pay,
 * while the subscription that bought the old one shows it until its renewal.
 */
class PlanRoutesTest {

    private static final Caller OPS = Caller.operator("ops", Set.of(Role.BILLING_ADMIN));
    private static final Caller ACME = Caller.of("acme", Set.of(Role.OBSERVER), Set.of("acme"));

    private final BillingStorage storage = InMemoryStorage.create();
    private final TestClock clock = TestClock.at(Instant.parse("2026-01-05T09:00:00Z"), ZoneOffset.UTC);
    private final BillingEngine engine = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC).build();
    private final BillingHttpHandler handler = BillingHttpHandler.builder(engine).zone(ZoneOffset.UTC)
            .defaultCurrency(Monetary.getCurrency("CNY")).build();

    private HttpResponse get(Caller caller, String target) {
        return handler.handle(HttpRequest.of("GET", target, Map.of(), new byte[0], caller));
    }

    private HttpResponse definePlan(String price) {
        String body = "{\"plan_id\":\"small\",\"type\":\"C\",\"price\":" + price + ",\"currency\":\"CNY\","
                + "\"bill_period\":\"monthly\",\"description\":\"1 CPU\",\"region\":\"r\"}";
        return handler.handle(HttpRequest.of("POST", "/payment/v1/admin/plans", Map.of("Content-Type", "application/json"),
                body.getBytes(StandardCharsets.UTF_8), OPS));
    }

    @BeforeEach
    void aPlan() {
        engine.catalog().defineRegion(Region.available("r", "R"));
        assertStatus(200, definePlan("20.00"));
    }

    @Test
    void aPriceChange_isANewVersion_showingBothVersions_andTheSubscriptionKeepsItsOwnUntilItsRenewal() {
        engine.wallet().recharge("acme", Money.of(100, "CNY"), "r1");
        engine.subscriptions().checkout("acme", "small", "r", "c1");
        clock.advance(Duration.ofDays(3));
        assertStatus(200, definePlan("25.00"));

        HttpResponse current = get(ACME, "/v2/plans/small");
        assertStatus(200, current);
        JsonNode now = json(current);
        assertEquals(2, now.get("version").asInt());
        assertEquals("25.00", now.get("price").asText());
        assertEquals("CNY", now.get("currency").asText());
        assertEquals("available", now.get("status").asText());
        assertEquals("2026-01-05T09:00:00+00:00", now.get("createdAt").asText(), "the plan keeps its creation time");

        JsonNode first = json(get(ACME, "/v2/plans/small/versions/1"));
        assertEquals(1, first.get("version").asInt());
        assertEquals("20.00", first.get("price").asText());
        assertEquals("small", first.get("planId").asText());

        JsonNode sub = json(get(ACME, "/v2/accounts/acme/subscriptions")).get("subscriptions").get(0);
        assertEquals(1, sub.get("planVersion").asInt(), "bought at version 1");
        assertEquals("20.00", sub.get("price").asText());
        clock.advanceTo(Instant.parse("2026-02-05T09:00:00Z"));
        engine.runDue();
        sub = json(get(ACME, "/v2/accounts/acme/subscriptions")).get("subscriptions").get(0);
        assertEquals(2, sub.get("planVersion").asInt(), "renewed at the current version");
        assertEquals("25.00", sub.get("price").asText());
        assertEquals("55.00", json(get(ACME, "/payment/v1/balance?namespace=acme")).get("balance").asText(),
                "100 - 20 - 25");
    }

    @Test
    void aNewVersionInAnotherTermOrCurrency_isRefused_namingTheField_andChangesNothing() {
        StorageSnapshot before = StorageSnapshot.of(storage);
        String yearly = "{\"plan_id\":\"small\",\"type\":\"C\",\"price\":200,\"currency\":\"CNY\","
                + "\"bill_period\":\"yearly\",\"description\":\"1 CPU\",\"region\":\"r\"}";
        assertError(400, "invalid_request", "bill_period", handler.handle(HttpRequest.of("POST", "/payment/v1/admin/plans",
                Map.of("Content-Type", "application/json"), yearly.getBytes(StandardCharsets.UTF_8), OPS)));
        String dollars = yearly.replace("yearly", "monthly").replace("CNY", "USD");
        assertError(400, "currency_mismatch", "price", handler.handle(HttpRequest.of("POST", "/payment/v1/admin/plans",
                Map.of("Content-Type", "application/json"), dollars.getBytes(StandardCharsets.UTF_8), OPS)));
        assertEquals(before, StorageSnapshot.of(storage));
        assertEquals(1, json(get(ACME, "/v2/plans/small")).get("version").asInt());
    }

    @Test
    void aRetiredPlan_showsRetiredInItsCurrentVersion_whileAnEarlierVersionShowsAsStored() {
        assertStatus(200, definePlan("25.00"));
        HttpResponse retired = handler.handle(HttpRequest.of("POST", "/payment/v1/admin/plans/retire",
                Map.of("Content-Type", "application/json"), "{\"plan_id\":\"small\"}".getBytes(StandardCharsets.UTF_8), OPS));
        assertStatus(200, retired);
        JsonNode now = json(get(ACME, "/v2/plans/small"));
        assertEquals("retired", now.get("status").asText());
        assertEquals(2, now.get("version").asInt(), "retiring makes no version");
        assertEquals(now, json(get(ACME, "/v2/plans/small/versions/2")), "the current version is the plan as it stands");
        assertEquals("available", json(get(ACME, "/v2/plans/small/versions/1")).get("status").asText());
    }

    @Test
    void anUnknownPlanOrVersion_is404_andAMalformedVersion400_changingNothing() {
        StorageSnapshot before = StorageSnapshot.of(storage);
        assertError(404, "plan_not_found", "planId", get(ACME, "/v2/plans/nope"));
        assertError(404, "plan_not_found", "planId", get(ACME, "/v2/plans/small/versions/2"));
        assertError(400, "invalid_request", "version", get(ACME, "/v2/plans/small/versions/0"));
        assertError(400, "invalid_request", "version", get(ACME, "/v2/plans/small/versions/x"));
        assertEquals(before, StorageSnapshot.of(storage));
    }
}
