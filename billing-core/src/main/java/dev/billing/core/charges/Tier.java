package dev.billing.core.charges;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One step of a graduated rate: billable units up to {@code upTo} (cumulative, counted after the
 * included quantity) cost {@code unitRate} each. Immutable, thread-safe.
 *
 * @param upTo the cumulative bound of this tier, exclusive of later tiers, or {@code null} for "and above"
 * @param unitRate the price of one unit in this tier, an exact decimal, at least zero
 */
public record Tier(BigDecimal upTo, BigDecimal unitRate) {

    /** Rejects a null or negative rate and a bound that is not positive. */
    public Tier {
        Objects.requireNonNull(unitRate, "unitRate");
        if (unitRate.signum() < 0) {
            throw new IllegalArgumentException("unitRate: must not be negative, was " + unitRate.toPlainString());
        }
        if (upTo != null && upTo.signum() <= 0) {
            throw new IllegalArgumentException("upTo: must be positive, was " + upTo.toPlainString());
        }
    }

    /**
     * @param unitRate the price of every unit
     * @return an unbounded tier
     */
    public static Tier flat(BigDecimal unitRate) {
        return new Tier(null, unitRate);
    }
}
