package dev.billing.spi;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The summed quantity of one (offering code, charge type) over a time range, computed by the store.
 * Immutable, thread-safe.
 *
 * @param offeringCode the product
 * @param chargeType what was metered
 * @param quantity the exact sum
 * @param events how many usage records were summed
 */
public record UsageSum(String offeringCode, String chargeType, BigDecimal quantity, long events) {

    /** Rejects null fields. */
    public UsageSum {
        Objects.requireNonNull(offeringCode, "offeringCode");
        Objects.requireNonNull(chargeType, "chargeType");
        Objects.requireNonNull(quantity, "quantity");
    }
}
