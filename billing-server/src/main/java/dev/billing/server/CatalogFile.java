package dev.billing.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billing.core.BillingEngine;
import dev.billing.core.BillingException;
import dev.billing.core.catalog.Plan;
import dev.billing.http.BillingHttpHandler;
import dev.billing.http.Caller;
import dev.billing.http.HttpRequest;
import dev.billing.http.HttpResponse;
import dev.billing.http.Role;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The catalog file: {@code {"regions":[...],"plans":[...]}}, each entry the body of
 * {@code POST /payment/v1/admin/regions} or {@code /admin/plans}, applied through the handler (so the
 * file is checked exactly as the API checks requests). A plan that the file lists without a
 * {@code status} keeps the status it has (a plan retired through the API stays retired) and its
 * creation time. Each entry of {@code rates} is the body of {@code POST /v2/rates} (the rate card).
 */
final class CatalogFile {

    private static final Caller LOADER = Caller.operator("catalog-file", Set.of(Role.ADMIN));

    private CatalogFile() {
    }

    /** @return how many regions and plans were applied, for the log */
    static String apply(JsonNode root, BillingHttpHandler handler, BillingEngine engine) {
        TokenFile.requireFields(root, "catalog", Set.of("regions", "plans", "rates"));
        int regions = 0;
        for (JsonNode region : list(root, "regions")) {
            post(handler, "/payment/v1/admin/regions", region, "regions[" + regions++ + "]");
        }
        int plans = 0;
        for (JsonNode plan : list(root, "plans")) {
            String where = "plans[" + plans++ + "]";
            if (plan.isObject() && !plan.has("status") && plan.path("plan_id").isTextual()) {
                existingStatus(engine, plan.get("plan_id").textValue())
                        .ifPresent(s -> ((ObjectNode) plan).put("status", s));
            }
            post(handler, "/payment/v1/admin/plans", plan, where);
        }
        int rates = 0;
        for (JsonNode rate : list(root, "rates")) {
            post(handler, "/v2/rates", rate, "rates[" + rates++ + "]");
        }
        return regions + " regions, " + plans + " plans, " + rates + " rates";
    }

    private static java.util.Optional<String> existingStatus(BillingEngine engine, String planId) {
        try {
            Plan p = engine.catalog().plan(planId);
            return java.util.Optional.of(p.status().name().toLowerCase(Locale.ROOT));
        } catch (BillingException e) {
            return java.util.Optional.empty();
        }
    }

    private static Iterable<JsonNode> list(JsonNode root, String field) {
        JsonNode v = root.get(field);
        if (v == null) {
            return java.util.List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException("catalog: \"" + field + "\" must be an array");
        }
        return v;
    }

    private static void post(BillingHttpHandler handler, String path, JsonNode entry, String where) {
        byte[] body;
        try {
            body = BillingServer.JSON.writeValueAsBytes(entry);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("catalog: " + where + ": " + e.getOriginalMessage(), e);
        }
        HttpResponse r = handler.handle(HttpRequest.of("POST", path, Map.of("Content-Type", "application/json"), body,
                LOADER));
        if (r.status() != 200) {
            throw new IllegalArgumentException("catalog: " + where + ": " + r.bodyText());
        }
    }
}
