package dev.billing.bench;

import dev.billing.core.BillingEngine;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.charges.Rate;
import dev.billing.core.usage.IngestResult;
import dev.billing.core.usage.IngestStatus;
import dev.billing.core.usage.UsageEvent;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import org.javamoney.moneta.Money;

/**
 * What the benchmarks set up through the engine's API: one region with one plan, a flat CNY rate card,
 * usage events on it, and how a baseline prices a summed quantity the way the engine does (once per
 * line, to the currency's two digits, half-even).
 */
final class Fixtures {

    static final CurrencyUnit CNY = Monetary.getCurrency("CNY");
    static final String REGION = "bench-1";
    static final String PLAN = "bench-small";
    static final String PLAN_DESCRIPTION = "1 CPU Core, 512M Memory";
    static final BigDecimal PLAN_PRICE = new BigDecimal("19.99");
    /** Every usage event's quantity. */
    static final BigDecimal QUANTITY = new BigDecimal("1.5");

    /** A flat rate of the card. */
    record Line(String offeringCode, String chargeType, String unitOfMeasure, BigDecimal unitRate) {
    }

    /** The rate card, in force from 2016 on; events go round it. */
    static final List<Line> RATES = List.of(
            new Line("CSITES", "COMPUTE_CYCLE_OVERAGE", "COUNT", new BigDecimal("0.12")),
            new Line("DBAAS", "UPTIME", "HRS", new BigDecimal("0.40")),
            new Line("MAAS", "NUM_CHKS_HRS", "CHKS_HRS", new BigDecimal("0.00103")),
            new Line("RCDN", "BWOUT", "GB", new BigDecimal("0.08")));

    private Fixtures() {
    }

    static Money cny(String amount) {
        return Money.of(new BigDecimal(amount), "CNY");
    }

    /** Defines {@link #REGION} and {@link #PLAN} (monthly, {@link #PLAN_PRICE}). */
    static void defineCatalog(BillingEngine engine) {
        engine.catalog().defineRegion(Region.available(REGION, "Bench region"));
        engine.catalog().definePlan(Plan.of(PLAN, "C", Money.of(PLAN_PRICE, "CNY"), PlanTerm.MONTHLY, PLAN_DESCRIPTION,
                REGION));
    }

    /** Defines {@link #RATES}. */
    static void defineRates(BillingEngine engine) {
        for (Line l : RATES) {
            engine.charges().defineRate(Rate.flat(l.offeringCode(), l.chargeType(), l.unitOfMeasure(), l.unitRate(), CNY,
                    LocalDate.of(2016, 1, 1)));
        }
    }

    /** The {@code i}-th event of a series: {@link #QUANTITY} of the rate {@code i mod 4}, at {@code at}. */
    static UsageEvent event(String eventId, String namespace, int i, Instant at) {
        Line l = RATES.get(Math.floorMod(i, RATES.size()));
        return new UsageEvent(eventId, namespace, l.offeringCode(), l.chargeType(), QUANTITY, at);
    }

    /** @return the rate of (offering code, charge type) */
    static Line rate(String offeringCode, String chargeType) {
        for (Line l : RATES) {
            if (l.offeringCode().equals(offeringCode) && l.chargeType().equals(chargeType)) {
                return l;
            }
        }
        throw new IllegalStateException("no rate for " + offeringCode + "/" + chargeType);
    }

    /** @return the amount of a line: the summed quantity at its flat rate, rounded once, as the engine does */
    static BigDecimal price(String offeringCode, String chargeType, BigDecimal quantity) {
        return quantity.multiply(rate(offeringCode, chargeType).unitRate()).setScale(CNY.getDefaultFractionDigits(),
                RoundingMode.HALF_EVEN);
    }

    /**
     * Ingests events in one batch.
     *
     * @throws IllegalStateException unless every event was accepted
     */
    static int ingest(BillingEngine engine, List<UsageEvent> events) {
        List<IngestResult> results = engine.usage().ingestBatch(events);
        for (IngestResult r : results) {
            if (r.status() != IngestStatus.ACCEPTED) {
                throw new IllegalStateException("event " + r.eventId() + " was " + r.status() + ": " + r.message());
            }
        }
        return results.size();
    }
}
