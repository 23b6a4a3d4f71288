package dev.billing.http;

import static dev.billing.http.Routes.Access.READ;
import static dev.billing.http.Routes.Access.WRITE;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billing.core.BillingEngine;
import dev.billing.core.subscriptions.CancelMode;
import dev.billing.core.subscriptions.Subscription;
import dev.billing.core.subscriptions.SwitchQuote;
import java.util.Locale;

/**
 * The subscription lifecycle ({@code /v2/accounts/{ran}/subscriptions}): listing, switching plans with
 * proration (and its quote), cancelling and taking a cancellation back. Switches and cancellations move
 * money, so they take an {@code Idempotency-Key} the engine keeps, as a checkout does (a resume too, so
 * that a retry replays rather than undoing a later cancellation). JSON is camelCase with amounts as
 * strings at the currency's scale, as the other {@code /v2} routes.
 */
final class SubscriptionRoutes {

    private static final String SUBSCRIPTIONS = ChargesRoutes.PREFIX + "/accounts/{ran}/subscriptions";

    private final BillingEngine engine;
    private final Views views;

    SubscriptionRoutes(BillingEngine engine, Views views) {
        this.engine = engine;
        this.views = views;
    }

    void register(Routes routes) {
        routes.get(SUBSCRIPTIONS, READ, this::list)
                .get(SUBSCRIPTIONS + "/{id}", READ, call -> {
                    call.query();
                    String ns = call.namespace(call.param("ran"));
                    return Call.ok(subscription(engine.subscriptions().subscription(ns, call.param("id"))));
                })
                .get(SUBSCRIPTIONS + "/{id}/switch", READ, this::quote)
                .postKeyedByEngine(SUBSCRIPTIONS + "/{id}/switch", WRITE, this::switchPlan)
                .postKeyedByEngine(SUBSCRIPTIONS + "/{id}/cancel", WRITE, this::cancel)
                .postKeyedByEngine(SUBSCRIPTIONS + "/{id}/resume", WRITE, call -> {
                    call.query();
                    call.noBody();
                    String ns = call.namespace(call.param("ran"));
                    String key = call.idempotencyKey();
                    return Call.ok(subscription(call.keyed(key, k -> engine.subscriptions().resume(ns, call.param("id"), k))));
                });
    }

    private HttpResponse list(Call call) {
        call.query();
        String ns = call.namespace(call.param("ran"));
        ArrayNode a = Json.array();
        engine.subscriptions().subscriptions(ns).forEach(s -> a.add(subscription(s)));
        ObjectNode body = Json.object();
        body.set("subscriptions", a);
        return Call.ok(body);
    }

    private HttpResponse quote(Call call) {
        Call.Query q = call.query("planId");
        String ns = call.namespace(call.param("ran"));
        String planId = q.optional("planId");
        if (planId == null) {
            throw HttpError.invalid("planId", "is required");
        }
        SwitchQuote quote = engine.subscriptions().quoteSwitch(ns, call.param("id"), planId);
        ObjectNode n = Json.object();
        n.put("subscriptionId", quote.subscriptionId());
        n.put("fromPlanId", quote.fromPlanId());
        n.put("toPlanId", quote.toPlanId());
        n.put("credit", Json.number(quote.credit()).toPlainString());
        n.put("charge", Json.number(quote.charge()).toPlainString());
        n.put("net", Json.number(quote.net()).toPlainString());
        n.put("currency", quote.net().getCurrency().getCurrencyCode());
        n.put("at", views.time(quote.at()));
        n.put("periodEnd", views.time(quote.periodEnd()));
        return Call.ok(n);
    }

    private HttpResponse switchPlan(Call call) {
        call.query();
        Json.Body body = call.body("planId");
        String ns = call.namespace(call.param("ran"));
        String planId = body.text("planId");
        String key = call.idempotencyKey();
        return Call.ok(subscription(call.keyed(key, k -> engine.subscriptions().switchPlan(ns, call.param("id"), planId, k))));
    }

    private HttpResponse cancel(Call call) {
        call.query();
        Json.Body body = call.body("mode", "refund");
        String ns = call.namespace(call.param("ran"));
        String modeText = body.text("mode");
        CancelMode mode = switch (modeText) {
            case "at_period_end" -> CancelMode.AT_PERIOD_END;
            case "immediately" -> CancelMode.IMMEDIATELY;
            default -> throw HttpError.invalid("mode", "must be at_period_end or immediately, was " + modeText);
        };
        String refundText = body.optionalText("refund");
        boolean refund;
        if (refundText == null || refundText.equals("none")) {
            refund = false;
        } else if (refundText.equals("prorated")) {
            refund = true;
        } else {
            throw HttpError.invalid("refund", "must be none or prorated, was " + refundText);
        }
        String key = call.idempotencyKey();
        return Call.ok(subscription(call.keyed(key, k -> engine.subscriptions().cancel(ns, call.param("id"), mode, refund,
                k))));
    }

    private ObjectNode subscription(Subscription s) {
        ObjectNode n = Json.object();
        n.put("id", s.id());
        n.put("planId", s.plan().id());
        n.put("planVersion", s.planVersion());
        n.put("price", Json.number(s.plan().price()).toPlainString());
        n.put("currency", s.plan().price().getCurrency().getCurrencyCode());
        n.put("region", s.region());
        n.put("status", s.status().name().toLowerCase(Locale.ROOT));
        n.put("periodStart", views.time(s.periodStart()));
        n.put("periodEnd", views.time(s.periodEnd()));
        n.put("cancelAtPeriodEnd", s.cancelAtPeriodEnd());
        if (s.graceUntil() != null) {
            n.put("graceUntil", views.time(s.graceUntil()));
        }
        n.put("transId", s.transactionId());
        return n;
    }
}
