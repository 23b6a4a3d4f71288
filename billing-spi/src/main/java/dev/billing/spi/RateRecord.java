package dev.billing.spi;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * The price of one (offering code, charge type) from a day on. Immutable, thread-safe.
 *
 * @param offeringCode the product, such as {@code DBAAS}
 * @param chargeType what is metered, such as {@code UPTIME}
 * @param effectiveFrom the first day the rate prices (periods starting on or after it)
 * @param unitOfMeasure such as {@code HRS}
 * @param currency ISO-4217 code
 * @param includedQuantity the free allowance per period
 * @param tiers the graduated tiers in order, the last one unbounded
 */
public record RateRecord(
        String offeringCode,
        String chargeType,
        LocalDate effectiveFrom,
        String unitOfMeasure,
        String currency,
        BigDecimal includedQuantity,
        List<TierRecord> tiers) {

    /** Rejects null fields and copies the tiers. */
    public RateRecord {
        Objects.requireNonNull(offeringCode, "offeringCode");
        Objects.requireNonNull(chargeType, "chargeType");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        Objects.requireNonNull(unitOfMeasure, "unitOfMeasure");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(includedQuantity, "includedQuantity");
        tiers = List.copyOf(tiers);
    }

    /**
     * One tier of a rate. Immutable, thread-safe.
     *
     * @param upTo the cumulative bound of billable units, or {@code null} for the last, unbounded tier
     * @param unitRate the price of one unit in this tier
     */
    public record TierRecord(BigDecimal upTo, BigDecimal unitRate) {

        /** Rejects a null rate. */
        public TierRecord {
            Objects.requireNonNull(unitRate, "unitRate");
        }
    }
}
