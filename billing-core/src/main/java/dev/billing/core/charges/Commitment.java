package dev.billing.core.charges;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Instant;
import java.util.Currency;
import java.util.Locale;
import java.util.Objects;
import javax.money.MonetaryAmount;

/**
 * A commit discount: {@code percentOff}% off the spending of a period above {@code threshold}, for
 * every period that starts before {@code endDate}. Immutable, thread-safe.
 *
 * @param id the commitment's id, unique per namespace
 * @param percentOff the percentage, above 0 and at most 100, such as {@code 10}
 * @param threshold the spending above which the discount applies, at least zero
 * @param endDate when the commitment ends
 */
public record Commitment(String id, BigDecimal percentOff, MonetaryAmount threshold, Instant endDate) {

    /** Rejects nulls and out-of-range values. */
    public Commitment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(percentOff, "percentOff");
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(endDate, "endDate");
        if (percentOff.signum() <= 0 || percentOff.compareTo(BigDecimal.valueOf(100)) > 0) {
            throw new IllegalArgumentException("percentOff: must be above 0 and at most 100, was " + percentOff);
        }
        if (threshold.isNegative()) {
            throw new IllegalArgumentException("threshold: must not be negative, was " + threshold);
        }
    }

    /**
     * The terms in words, with the currency formatted as in US English whatever the default locale:
     * {@code 10% off spending over $1,000.00.}
     *
     * @return the description the discount line carries
     */
    public String description() {
        NumberFormat f = NumberFormat.getCurrencyInstance(Locale.US);
        Currency c = Currency.getInstance(threshold.getCurrency().getCurrencyCode());
        f.setCurrency(c);
        f.setMinimumFractionDigits(c.getDefaultFractionDigits());
        f.setMaximumFractionDigits(Math.max(c.getDefaultFractionDigits(), 0));
        BigDecimal amount = threshold.getNumber().numberValueExact(BigDecimal.class);
        return percentOff.stripTrailingZeros().toPlainString() + "% off spending over " + f.format(amount) + ".";
    }
}
