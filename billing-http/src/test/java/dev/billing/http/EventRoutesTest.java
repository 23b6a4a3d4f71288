package dev.billing.http;

import static dev.billing.http.BillingHttpHandlerTest.OPS;
import static dev.billing.http.BillingHttpHandlerTest.assertError;
import static dev.billing.http.BillingHttpHandlerTest.assertStatus;
import static dev.billing.http.BillingHttpHandlerTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billing.core.BillingEngine;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageSnapshot;
import dev.billing.test.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import javax.money.Monetary;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Polling the outbox over HTTP: {@code GET /v2/events} and {@code GET /v2/accounts/{ran}/events}. */
class EventRoutesTest {

    private static final Caller ACME = Caller.of("acme", Set.of(Role.IDENTITY_USER_ADMIN), Set.of("acme"));

    private final BillingStorage storage = InMemoryStorage.create();
    private final TestClock clock = TestClock.at(Instant.parse("2026-12-07T09:00:00Z"), ZoneOffset.UTC);
    private final BillingEngine engine = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC).build();
    private final BillingHttpHandler handler = BillingHttpHandler.builder(engine).zone(ZoneOffset.UTC)
            .defaultCurrency(Monetary.getCurrency("CNY")).build();

    private HttpResponse get(Caller caller, String target) {
        return handler.handle(HttpRequest.of("GET", target, Map.of(), new byte[0], caller));
    }

    private static List<String> types(JsonNode body) {
        return StreamSupport.stream(body.get("events").spliterator(), false).map(e -> e.get("type").asText()).toList();
    }

    @BeforeEach
    void twoAccountsWithEvents() {
        engine.wallet().recharge("acme", Money.of(10, "CNY"), "r1");
        engine.wallet().recharge("beta", Money.of(10, "CNY"), "r2");
        engine.accounts().setStatus("acme", AccountStatus.SUSPENDED, "s1");
        engine.accounts().setStatus("beta", AccountStatus.SUSPENDED, "s2");
        engine.accounts().setStatus("acme", AccountStatus.ACTIVE, "s3");
    }

    @Test
    void anAccountsEvents_inOrder_withTheirFields_andACursorToPollAfter() {
        HttpResponse r = get(ACME, "/v2/accounts/acme/events");
        assertStatus(200, r);
        JsonNode body = json(r);
        assertEquals(List.of("account.suspended", "account.reactivated"), types(body));
        JsonNode first = body.get("events").get(0);
        assertEquals(1, first.get("position").asLong());
        assertEquals("acme", first.get("namespace").asText());
        assertEquals("acme", first.get("subject").asText());
        assertEquals("2026-12-07T09:00:00+00:00", first.get("occurredAt").asText(), "in the configured zone, as every time");
        assertEquals("operator", first.get("data").get("reason").asText());
        assertEquals(36, first.get("id").asText().length(), "a UUID");
        assertEquals(3, body.get("cursor").asLong());

        JsonNode after = json(get(ACME, "/v2/accounts/acme/events?after=1&limit=5"));
        assertEquals(List.of("account.reactivated"), types(after));
        JsonNode none = json(get(ACME, "/v2/accounts/acme/events?after=3"));
        assertEquals(List.of(), types(none));
        assertEquals(3, none.get("cursor").asLong(), "an empty page keeps the cursor");
    }

    @Test
    void everyAccountsEvents_forACallerOnEveryNamespace() {
        JsonNode body = json(get(OPS, "/v2/events?limit=2"));
        assertEquals(List.of("account.suspended", "account.suspended"), types(body));
        assertEquals(2, body.get("cursor").asLong());
        assertEquals(List.of("account.reactivated"), types(json(get(OPS, "/v2/events?after=2"))));
    }

    @Test
    void aLowBalanceThreshold_setByAnAdmin_makesADebitBelowItAnEvent() {
        HttpResponse set = handler.handle(HttpRequest.of("POST", "/v2/accounts/acme/low-balance-threshold",
                Map.of("Content-Type", "application/json"), "{\"threshold\":\"5.00\"}".getBytes(StandardCharsets.UTF_8),
                OPS));
        assertStatus(200, set);
        assertEquals("5.00", json(set).get("threshold").asText());
        assertEquals(json(set), json(get(ACME, "/v2/accounts/acme/low-balance-threshold")), "read back by the account");
        engine.wallet().adjust("acme", Money.of(-6, "CNY"), "test", "a1");
        JsonNode body = json(get(ACME, "/v2/accounts/acme/events?after=3"));
        assertEquals(List.of("balance.low"), types(body));
        assertEquals("4.00", body.get("events").get(0).get("data").get("balance").asText());
        StorageSnapshot before = StorageSnapshot.of(storage);
        assertError(403, "forbidden", null, handler.handle(HttpRequest.of("POST", "/v2/accounts/acme/low-balance-threshold",
                Map.of("Content-Type", "application/json"), "{\"threshold\":\"1.00\"}".getBytes(StandardCharsets.UTF_8),
                ACME)));
        assertError(400, "invalid_request", "threshold", handler.handle(HttpRequest.of("POST",
                "/v2/accounts/acme/low-balance-threshold", Map.of("Content-Type", "application/json"),
                "{\"threshold\":\"-1.00\"}".getBytes(StandardCharsets.UTF_8), OPS)));
        assertEquals(before, StorageSnapshot.of(storage));
        HttpResponse cleared = handler.handle(HttpRequest.of("POST", "/v2/accounts/acme/low-balance-threshold",
                Map.of("Content-Type", "application/json"), "{\"threshold\":null}".getBytes(StandardCharsets.UTF_8), OPS));
        assertStatus(200, cleared);
        assertTrue(json(get(ACME, "/v2/accounts/acme/low-balance-threshold")).get("threshold").isNull(), "cleared");
        assertError(404, "account_not_found", "namespace", get(OPS, "/v2/accounts/nobody/low-balance-threshold"));
    }

    @Test
    void badRequests_areRefused_andChangeNothing() {
        StorageSnapshot before = StorageSnapshot.of(storage);
        assertError(403, "forbidden", null, get(ACME, "/v2/events"));
        assertError(403, "forbidden", "namespace", get(ACME, "/v2/accounts/beta/events"));
        assertError(400, "invalid_request", "after", get(ACME, "/v2/accounts/acme/events?after=-1"));
        assertError(400, "invalid_request", "after", get(ACME, "/v2/accounts/acme/events?after=x"));
        assertError(400, "invalid_request", "limit", get(ACME, "/v2/accounts/acme/events?limit=0"));
        assertError(400, "invalid_request", "limit", get(ACME, "/v2/accounts/acme/events?limit=1001"));
        assertError(400, "invalid_request", "since", get(ACME, "/v2/accounts/acme/events?since=1"));
        assertError(405, "method_not_allowed", null, handler.handle(HttpRequest.of("POST", "/v2/events",
                Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8), OPS)));
        assertEquals(before, StorageSnapshot.of(storage));
    }
}
