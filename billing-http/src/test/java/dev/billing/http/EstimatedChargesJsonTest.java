package dev.billing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billing.core.accounts.BillingPeriod;
import dev.billing.core.charges.ChargeCategory;
import dev.billing.core.charges.ChargeLine;
import dev.billing.core.charges.ChargeTotals;
import dev.billing.core.charges.EstimatedCharges;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.money.Monetary;
import javax.money.MonetaryAmount;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.Test;

class EstimatedChargesJsonTest {

    static MonetaryAmount usd(String n) {
        return Money.of(new BigDecimal(n), "USD");
    }

    static final ChargeLine DBAAS = new ChargeLine("DBAAS", "UPTIME", ChargeCategory.CHARGE, new BigDecimal("10.00"),
            "HRS", new BigDecimal("0.40"), usd("4.00"), null, null, null);
    static final ChargeLine MAAS = new ChargeLine("MAAS", "NUM_CHKS_HRS", ChargeCategory.CHARGE,
            new BigDecimal("3000.00"), "CHKS_HRS", new BigDecimal("0.032"), usd("96.00"), null, null, null);
    static final ChargeLine DISCOUNT = new ChargeLine(null, "Commit Discount", ChargeCategory.DISCOUNT,
            new BigDecimal("1.00"), "COUNT", new BigDecimal("50.00"), usd("-50.00"), Instant.parse("2016-05-30T09:30:10Z"),
            "50% off spending over $10.00.", "50% off spending over $10.00.");

    static EstimatedCharges estimate(boolean dedicated, List<ChargeLine> lines, int marker, int limit, boolean next,
            boolean prev) {
        return new EstimatedCharges("hello", dedicated, Monetary.getCurrency("USD"),
                new BillingPeriod(Instant.parse("2016-10-16T13:32:52Z"), Instant.parse("2016-11-16T13:32:52Z")),
                Period.ofDays(15), lines, new ChargeTotals(usd("100.00"), usd("-50.00"), usd("50.00"), usd("0"), usd("50.00")),
                marker, limit, next, prev);
    }

    final EstimatedChargesJson writer = new EstimatedChargesJson(new Views(ZoneId.of("Asia/Shanghai")));

    static Set<String> fields(JsonNode n) {
        Set<String> out = new TreeSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            out.add(it.next());
        }
        return out;
    }

    @Test
    void cloudAccount_writesTheSeedsFields_amountsAsStringsAtCurrencyScale() throws Exception {
        JsonNode root = Json.MAPPER.readTree(Json.bytes(writer.write(estimate(false, List.of(DBAAS, MAAS, DISCOUNT), 0, 10,
                false, false), "/v2/accounts/hello/estimated_charges", null, null)));
        assertEquals(Set.of("estimatedCharges"), fields(root));
        JsonNode e = root.get("estimatedCharges");
        assertEquals(Set.of("total", "discountTotal", "chargeSubTotal", "chargeTotal", "chargeHierarchyTotal", "currency",
                "currentBillingPeriodStartDate", "currentBillingPeriodEndDate", "durationRemainingInCycle",
                "estimatedCharge", "link"), fields(e));
        assertEquals("50.00", e.get("total").textValue());
        assertEquals("-50.00", e.get("discountTotal").textValue());
        assertEquals("100.00", e.get("chargeSubTotal").textValue());
        assertEquals("50.00", e.get("chargeTotal").textValue());
        assertEquals("0.00", e.get("chargeHierarchyTotal").textValue());
        assertEquals("USD", e.get("currency").textValue());
        assertEquals("2016-10-16T21:32:52+08:00", e.get("currentBillingPeriodStartDate").textValue());
        assertEquals("2016-11-16T21:32:52+08:00", e.get("currentBillingPeriodEndDate").textValue());
        assertEquals("P15D", e.get("durationRemainingInCycle").textValue());
        JsonNode lines = e.get("estimatedCharge");
        assertEquals(3, lines.size());
        assertEquals(Set.of("offeringCode", "chargeType", "category", "quantity", "unitOfMeasure", "rate", "amount"),
                fields(lines.get(0)));
        assertEquals("10.00", lines.get(0).get("quantity").textValue());
        assertEquals("0.40", lines.get(0).get("rate").textValue());
        assertEquals("4.00", lines.get(0).get("amount").textValue());
        assertEquals("CHARGE", lines.get(0).get("category").textValue());
        JsonNode d = lines.get(2);
        assertEquals("DISCOUNT", d.get("category").textValue());
        assertEquals(Set.of("chargeType", "category", "quantity", "unitOfMeasure", "rate", "amount", "endDate",
                "chargeDetails", "chargeDescription"), fields(d), "a discount line has no offeringCode, as in the seed");
        assertEquals("-50.00", d.get("amount").textValue());
        assertEquals("2016-05-30T17:30:10+08:00", d.get("endDate").textValue());
        assertEquals("50% off spending over $10.00.", d.get("chargeDetails").textValue());
        assertEquals("50% off spending over $10.00.", d.get("chargeDescription").textValue());
        assertEquals(0, e.get("link").size());

        // the figures add up
        BigDecimal charges = BigDecimal.ZERO;
        BigDecimal discounts = BigDecimal.ZERO;
        for (JsonNode l : lines) {
            BigDecimal a = new BigDecimal(l.get("amount").textValue());
            if (l.get("category").textValue().equals("CHARGE")) {
                charges = charges.add(a);
            } else {
                discounts = discounts.add(a);
            }
        }
        assertEquals(new BigDecimal(e.get("chargeSubTotal").textValue()), charges);
        assertEquals(new BigDecimal(e.get("discountTotal").textValue()), discounts);
        assertEquals(new BigDecimal(e.get("chargeTotal").textValue()), charges.add(discounts));
        assertEquals(new BigDecimal(e.get("total").textValue()), charges.add(discounts)
                .add(new BigDecimal(e.get("chargeHierarchyTotal").textValue())));
    }

    @Test
    void dedicatedAccount_listsNoLines() throws Exception {
        JsonNode e = Json.MAPPER.readTree(Json.bytes(writer.write(estimate(true, List.of(), 0, 10, false, false),
                "/v2/accounts/hello/estimated_charges", null, null))).get("estimatedCharges");
        assertFalse(e.has("estimatedCharge"));
        assertTrue(e.has("chargeTotal"));
    }

    @Test
    void links_carryMarkerLimitAndFilters() throws Exception {
        JsonNode e = Json.MAPPER.readTree(Json.bytes(writer.write(estimate(false, List.of(MAAS), 1, 1, true, true),
                "/v2/accounts/hello/estimated_charges", "MAAS", "NUM CHKS"))).get("estimatedCharges");
        JsonNode links = e.get("link");
        assertEquals(2, links.size());
        assertEquals("next", links.get(0).get("rel").textValue());
        assertEquals("/v2/accounts/hello/estimated_charges?marker=2&limit=1&offeringCode=MAAS&chargeType=NUM+CHKS",
                links.get(0).get("href").textValue());
        assertEquals("prev", links.get(1).get("rel").textValue());
        assertEquals("/v2/accounts/hello/estimated_charges?marker=0&limit=1&offeringCode=MAAS&chargeType=NUM+CHKS",
                links.get(1).get("href").textValue());
    }
}
