package dev.billing.http;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one table from the engine's field names (Java parameter names, {@code parameter.component} for
 * a value's component) to the names of the fields in the requests of this API: the v1 payment API's
 * snake_case body fields ({@code plan_id}, {@code trans_id}, {@code identification}), the {@code /v2}
 * routes' camelCase ones, and the {@code Idempotency-Key} header. A name missing here is the same on
 * the wire.
 */
final class WireNames {

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("idempotencyKey", BillingHttpHandler.IDEMPOTENCY_KEY),
            // the v1 payment API (planId is the v1 name only: the /v2 routes say planId)
            Map.entry("v1:planId", "plan_id"),
            Map.entry("transactionId", "trans_id"),
            Map.entry("paymentMethod", "payment_method"),
            Map.entry("region.id", "identification"),
            Map.entry("region.description", "region_describe"),
            Map.entry("plan.id", "plan_id"),
            Map.entry("plan.type", "type"),
            Map.entry("plan.level", "level"),
            Map.entry("plan.name", "name"),
            Map.entry("plan.description", "description"),
            Map.entry("plan.region", "region"),
            Map.entry("plan.price", "price"),
            Map.entry("plan.term", "bill_period"),
            // the /v2 routes
            Map.entry("subscriptionId", "id"),
            Map.entry("cycle", "billingCycle"),
            Map.entry("zone", "timeZone"),
            Map.entry("rate.offeringCode", "offeringCode"),
            Map.entry("rate.chargeType", "chargeType"),
            Map.entry("rate.unitOfMeasure", "unitOfMeasure"),
            Map.entry("rate.currency", "currency"),
            Map.entry("rate.includedQuantity", "includedQuantity"),
            Map.entry("rate.effectiveFrom", "effectiveFrom"),
            Map.entry("commitment.id", "id"),
            Map.entry("commitment.percentOff", "percentOff"),
            Map.entry("commitment.threshold", "threshold"),
            Map.entry("event.eventId", "eventId"),
            Map.entry("event.namespace", "namespace"),
            Map.entry("event.offeringCode", "offeringCode"),
            Map.entry("event.chargeType", "chargeType"),
            Map.entry("event.quantity", "quantity"),
            Map.entry("event.timestamp", "timestamp"));

    /** {@code rate.tiers[i].unitRate} and {@code rate.tiers[i].upTo}: the body's {@code tiers[i].rate} and {@code tiers[i].upTo}. */
    private static final Pattern TIER = Pattern.compile("rate\\.tiers\\[(\\d+)]\\.(unitRate|upTo)");

    private WireNames() {
    }

    /** @return the wire name of the engine's field {@code field} on a v1 route; {@code null} for {@code null} */
    static String of(String field) {
        return of(field, false);
    }

    /**
     * @param field the engine's field, or {@code null}
     * @param v2 whether the request is on a {@code /v2} route (camelCase: {@code planId} stays {@code planId})
     * @return its wire name; {@code null} for {@code null}
     */
    static String of(String field, boolean v2) {
        if (field == null) {
            return null;
        }
        if (!v2 && NAMES.containsKey("v1:" + field)) {
            return NAMES.get("v1:" + field);
        }
        Matcher tier = TIER.matcher(field);
        if (tier.matches()) {
            return "tiers[" + tier.group(1) + "]." + (tier.group(2).equals("unitRate") ? "rate" : "upTo");
        }
        return NAMES.getOrDefault(field, field);
    }

    /** @return {@code wire name: reason}, or the reason alone when there is no field */
    static String message(String field, String reason) {
        return message(field, reason, false);
    }

    /** @return {@code wire name: reason} on a v1 or {@code /v2} route, or the reason alone when there is no field */
    static String message(String field, String reason, boolean v2) {
        return field == null ? reason : of(field, v2) + ": " + reason;
    }
}
