package dev.billing.core.subscriptions;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * The unused part of a period, pro rata by time: {@code price × (periodEnd − at) / (periodEnd − periodStart)},
 * measured in nanoseconds and rounded once, to the currency's digits, with the engine's rounding mode.
 * Stateless.
 */
final class Proration {

    private Proration() {
    }

    /**
     * @param price what the whole period costs
     * @param start the period's start
     * @param end the period's end
     * @param at a moment within it
     * @param digits the currency's digits
     * @param rounding the engine's rounding mode
     * @return the part of {@code price} for {@code [at, end)}: 0 at the end, {@code price} at the start
     */
    static BigDecimal remaining(BigDecimal price, Instant start, Instant end, Instant at, int digits, RoundingMode rounding) {
        BigDecimal total = nanos(start, end);
        BigDecimal left = nanos(at.isBefore(start) ? start : at.isAfter(end) ? end : at, end);
        if (total.signum() == 0) {
            return BigDecimal.ZERO.setScale(digits);
        }
        return price.multiply(left).divide(total, digits, rounding);
    }

    private static BigDecimal nanos(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return BigDecimal.valueOf(d.getSeconds()).multiply(BigDecimal.valueOf(1_000_000_000L)).add(BigDecimal.valueOf(d.getNano()));
    }
}
