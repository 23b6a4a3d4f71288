package dev.billing.http;

import static dev.billing.http.Routes.Access.READ;
import static dev.billing.http.Routes.Access.READ_EVERY_NAMESPACE;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billing.core.BillingEngine;
import dev.billing.core.events.Event;
import dev.billing.core.events.EventPage;
import dev.billing.core.events.Events;

/**
 * Polling the outbox of events ({@code /v2/events}, {@code /v2/accounts/{ran}/events}): what happened,
 * in order, after a cursor the host keeps. JSON is camelCase, as the other {@code /v2} routes.
 */
final class EventRoutes {

    static final int DEFAULT_LIMIT = 100;

    private final BillingEngine engine;
    private final Views views;

    EventRoutes(BillingEngine engine, Views views) {
        this.engine = engine;
        this.views = views;
    }

    void register(Routes routes) {
        routes.get(ChargesRoutes.PREFIX + "/events", READ_EVERY_NAMESPACE, call -> poll(call, null))
                .get(ChargesRoutes.PREFIX + "/accounts/{ran}/events", READ,
                        call -> poll(call, call.namespace(call.param("ran"))));
    }

    private HttpResponse poll(Call call, String namespace) {
        Call.Query q = call.query("after", "limit");
        long after = q.whole("after", 0);
        int limit = q.integer("limit", DEFAULT_LIMIT, 1, Events.MAX_POLL);
        EventPage page = engine.events().poll(namespace, after, limit);
        ArrayNode events = Json.array();
        page.events().forEach(e -> events.add(event(e)));
        ObjectNode body = Json.object();
        body.set("events", events);
        body.put("cursor", page.cursor());
        return Call.ok(body);
    }

    private ObjectNode event(Event e) {
        ObjectNode n = Json.object();
        n.put("position", e.position());
        n.put("id", e.id());
        n.put("type", e.type().code());
        n.put("namespace", e.namespace());
        n.put("subject", e.subject());
        n.put("occurredAt", views.time(e.occurredAt()));
        ObjectNode data = Json.object();
        new java.util.TreeMap<>(e.data()).forEach(data::put);
        n.set("data", data);
        return n;
    }
}
