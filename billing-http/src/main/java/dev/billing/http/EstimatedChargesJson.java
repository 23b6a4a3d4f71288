package dev.billing.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billing.core.charges.ChargeLine;
import dev.billing.core.charges.ChargeTotals;
import dev.billing.core.charges.EstimatedCharges;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import javax.money.MonetaryAmount;

/**
 * The estimated-charges API's {@code {"estimatedCharges": {...}}} (camelCase): amounts as strings at the
 * currency's scale ({@code "100.00"}, {@code "-50.00"}), quantities and rates as plain decimal
 * strings, times with the zone's offset, the remaining duration as ISO-8601 ({@code P15D}), and
 * {@code link} entries {@code next}/{@code prev} with {@code marker} and {@code limit}.
 *
 * <p>Ready for the route {@code GET /v2/accounts/{ran}/estimated_charges}: it only needs the engine
 * call and {@code Routes} registration.
 */
final class EstimatedChargesJson {

    private final Views views;

    EstimatedChargesJson(Views views) {
        this.views = views;
    }

    /**
     * @param ec the estimate
     * @param path the path the links point at, such as {@code /v2/accounts/hello/estimated_charges}
     * @param offeringCode the offering filter to keep in the links, or {@code null}
     * @param chargeType the charge-type filter to keep in the links, or {@code null}
     */
    ObjectNode write(EstimatedCharges ec, String path, String offeringCode, String chargeType) {
        ObjectNode e = Json.object();
        totals(e, ec.totals());
        e.put("currency", ec.currency().getCurrencyCode());
        e.put("currentBillingPeriodStartDate", views.time(ec.period().start()));
        e.put("currentBillingPeriodEndDate", views.time(ec.period().end()));
        e.put("durationRemainingInCycle", ec.durationRemaining().toString());
        if (!ec.dedicated()) {
            ArrayNode lines = e.putArray("estimatedCharge");
            ec.lines().forEach(l -> lines.add(line(l)));
        }
        ArrayNode links = e.putArray("link");
        if (ec.hasNext()) {
            links.add(link("next", path, ec.marker() + ec.limit(), ec.limit(), offeringCode, chargeType));
        }
        if (ec.hasPrevious()) {
            links.add(link("prev", path, Math.max(0, ec.marker() - ec.limit()), ec.limit(), offeringCode, chargeType));
        }
        ObjectNode root = Json.object();
        root.set("estimatedCharges", e);
        return root;
    }

    ObjectNode line(ChargeLine l) {
        ObjectNode n = Json.object();
        if (l.offeringCode() != null) {
            n.put("offeringCode", l.offeringCode());
        }
        n.put("chargeType", l.chargeType());
        n.put("category", l.category().name());
        n.put("quantity", decimal(l.quantity()));
        n.put("unitOfMeasure", l.unitOfMeasure());
        n.put("rate", decimal(l.rate()));
        n.put("amount", amount(l.amount()));
        if (l.endDate() != null) {
            n.put("endDate", views.time(l.endDate()));
        }
        if (l.chargeDetails() != null) {
            n.put("chargeDetails", l.chargeDetails());
        }
        if (l.chargeDescription() != null) {
            n.put("chargeDescription", l.chargeDescription());
        }
        return n;
    }

    private static ObjectNode link(String rel, String path, int marker, int limit, String offeringCode,
            String chargeType) {
        StringBuilder href = new StringBuilder(path).append("?marker=").append(marker).append("&limit=").append(limit);
        if (offeringCode != null) {
            href.append("&offeringCode=").append(URLEncoder.encode(offeringCode, StandardCharsets.UTF_8));
        }
        if (chargeType != null) {
            href.append("&chargeType=").append(URLEncoder.encode(chargeType, StandardCharsets.UTF_8));
        }
        ObjectNode n = Json.object();
        n.put("rel", rel);
        n.put("href", href.toString());
        return n;
    }

    /** A quantity or rate as the estimated-charges API writes it: at least two decimals, all significant ones ({@code "10.00"}, {@code "0.00103"}). */
    static String decimal(BigDecimal n) {
        return n.setScale(Math.max(2, n.stripTrailingZeros().scale())).toPlainString();
    }

    /** Writes the five totals, in the order the estimated-charges API lists them: estimates and statements alike. */
    static void totals(ObjectNode n, ChargeTotals t) {
        n.put("total", amount(t.total()));
        n.put("discountTotal", amount(t.discountTotal()));
        n.put("chargeSubTotal", amount(t.chargeSubTotal()));
        n.put("chargeTotal", amount(t.chargeTotal()));
        n.put("chargeHierarchyTotal", amount(t.chargeHierarchyTotal()));
    }

    private static String amount(MonetaryAmount a) {
        return Json.number(a).toPlainString();
    }
}
