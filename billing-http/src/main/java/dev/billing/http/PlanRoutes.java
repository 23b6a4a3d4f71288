package dev.billing.http;

import static dev.billing.http.Routes.Access.READ;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billing.core.BillingEngine;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanVersion;

/**
 * A plan's versions ({@code /v2/plans/{planId}}): changing a plan's price or terms through
 * {@code POST /payment/v1/admin/plans} keeps its id and makes a new version, which renewals pay from then
 * on, while a subscription keeps the version it bought until then. The v1 payment API's plan view has no
 * version, so these routes show the current one and any earlier one, camelCase with the amount as a
 * string at the currency's scale, as the other {@code /v2} routes.
 */
final class PlanRoutes {

    private static final String PLAN = ChargesRoutes.PREFIX + "/plans/{planId}";

    private final BillingEngine engine;
    private final Views views;

    PlanRoutes(BillingEngine engine, Views views) {
        this.engine = engine;
        this.views = views;
    }

    void register(Routes routes) {
        routes.get(PLAN, READ, call -> {
            call.query();
            PlanVersion current = engine.catalog().currentVersion(call.param("planId"));
            return Call.ok(plan(current.plan(), current.version()));
        }).get(PLAN + "/versions/{version}", READ, call -> {
            call.query();
            int version = version(call.param("version"));
            String planId = call.param("planId");
            // the current version is the plan as it stands (retiring it makes no version)
            PlanVersion current = engine.catalog().currentVersion(planId);
            return Call.ok(version == current.version() ? plan(current.plan(), version)
                    : plan(engine.catalog().plan(planId, version), version));
        });
    }

    /** @return a path's version: a whole number from 1, else {@code 400 version} */
    private static int version(String text) {
        if (!text.matches("[1-9][0-9]{0,8}")) {
            throw HttpError.invalid("version", "must be a whole number from 1, was " + text);
        }
        return Integer.parseInt(text);
    }

    private ObjectNode plan(Plan p, int version) {
        ObjectNode n = Json.object();
        n.put("planId", p.id());
        n.put("version", version);
        n.put("type", p.type());
        n.put("level", p.level());
        n.put("name", p.name());
        n.put("price", Json.number(p.price()).toPlainString());
        n.put("currency", p.price().getCurrency().getCurrencyCode());
        n.put("billPeriod", p.term().letter());
        n.put("description", p.description());
        n.put("region", p.region());
        n.put("status", Views.lower(p.status()));
        if (p.createdAt() != null) {
            n.put("createdAt", views.time(p.createdAt()));
        }
        return n;
    }
}
