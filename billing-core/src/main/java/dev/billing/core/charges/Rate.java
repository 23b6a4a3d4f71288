package dev.billing.core.charges;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;
import javax.money.CurrencyUnit;

/**
 * The price of one (offering code, charge type) on the rate card, from a date on. Immutable,
 * thread-safe.
 *
 * <p>The quantity of a period is billed as follows: the first {@code includedQuantity} units are free;
 * the rest (the billable units) go through the tiers in order, each tier taking the units up to its
 * cumulative bound at its own rate; the last tier is unbounded. A flat rate is one unbounded tier.
 * The exact result is rounded once, per line, by the engine.
 *
 * @param offeringCode the product, such as {@code DBAAS}
 * @param chargeType what is metered, such as {@code UPTIME}
 * @param unitOfMeasure such as {@code HRS}, {@code GB}, {@code COUNT}, {@code CHKS_HRS}
 * @param currency the currency of the rates
 * @param includedQuantity the free allowance per period, at least zero
 * @param tiers the graduated tiers, bounds strictly increasing, the last unbounded; at least one
 * @param effectiveFrom the first day (in the engine's zone) of the periods this rate prices: a period
 *     is priced by the rate in force on the day it starts
 */
public record Rate(
        String offeringCode,
        String chargeType,
        String unitOfMeasure,
        CurrencyUnit currency,
        BigDecimal includedQuantity,
        List<Tier> tiers,
        LocalDate effectiveFrom) {

    /** Validates the tiers and copies the list. */
    public Rate {
        Objects.requireNonNull(offeringCode, "offeringCode");
        Objects.requireNonNull(chargeType, "chargeType");
        Objects.requireNonNull(unitOfMeasure, "unitOfMeasure");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(includedQuantity, "includedQuantity");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        tiers = List.copyOf(tiers);
        if (includedQuantity.signum() < 0) {
            throw new IllegalArgumentException("includedQuantity: must not be negative");
        }
        if (tiers.isEmpty()) {
            throw new IllegalArgumentException("tiers: at least one tier is required");
        }
        BigDecimal previous = BigDecimal.ZERO;
        for (int i = 0; i < tiers.size(); i++) {
            BigDecimal upTo = tiers.get(i).upTo();
            boolean last = i == tiers.size() - 1;
            if (last != (upTo == null)) {
                throw new IllegalArgumentException("tiers: only the last tier is unbounded");
            }
            if (upTo != null && upTo.compareTo(previous) <= 0) {
                throw new IllegalArgumentException("tiers: bounds must increase");
            }
            previous = upTo;
        }
    }

    /**
     * A flat rate with no allowance.
     *
     * @param offeringCode the product
     * @param chargeType what is metered
     * @param unitOfMeasure the unit
     * @param unitRate the price of one unit, such as {@code .40}
     * @param currency the currency
     * @param effectiveFrom the first day it prices
     * @return the rate
     */
    public static Rate flat(String offeringCode, String chargeType, String unitOfMeasure, BigDecimal unitRate,
            CurrencyUnit currency, LocalDate effectiveFrom) {
        return new Rate(offeringCode, chargeType, unitOfMeasure, currency, BigDecimal.ZERO, List.of(Tier.flat(unitRate)),
                effectiveFrom);
    }

    /** @return this rate with a free allowance per period */
    public Rate withIncluded(BigDecimal included) {
        return new Rate(offeringCode, chargeType, unitOfMeasure, currency, included, tiers, effectiveFrom);
    }

    /** @return the rate of the first tier, the one a charge line shows */
    public BigDecimal unitRate() {
        return tiers.get(0).unitRate();
    }

    /**
     * The exact, unrounded price of a period's quantity.
     *
     * @param quantity the period's quantity, at least zero
     * @return the sum over the tiers of billable units times their rate
     */
    public BigDecimal price(BigDecimal quantity) {
        BigDecimal billable = quantity.subtract(includedQuantity).max(BigDecimal.ZERO);
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal lower = BigDecimal.ZERO;
        for (Tier t : tiers) {
            if (billable.compareTo(lower) <= 0) {
                break;
            }
            BigDecimal upper = t.upTo() == null ? billable : t.upTo().min(billable);
            total = total.add(upper.subtract(lower).multiply(t.unitRate()));
            lower = upper;
        }
        return total;
    }
}
