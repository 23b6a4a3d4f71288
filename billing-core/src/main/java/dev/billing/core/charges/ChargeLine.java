package dev.billing.core.charges;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import javax.money.MonetaryAmount;

/**
 * One line of estimated charges. Immutable, thread-safe.
 *
 * <p>A {@link ChargeCategory#CHARGE} line sums the usage of one (offering code, charge type):
 * {@code amount} is the rate card's price of {@code quantity}, rounded once. A
 * {@link ChargeCategory#DISCOUNT} line has quantity 1, a rate equal to the discount, a negative amount,
 * an end date and a description of its terms.
 *
 * @param offeringCode the product, such as {@code DBAAS}; {@code null} for a discount, which belongs to no
 *     offering (so an offering-code filter never matches it)
 * @param chargeType such as {@code UPTIME}; for a discount, {@code Commit Discount}
 * @param category charge or discount
 * @param quantity the summed quantity (1 for a discount)
 * @param unitOfMeasure such as {@code HRS}; {@code COUNT} for a discount
 * @param rate the unit rate (the first tier's), or the discount's size
 * @param amount the line's amount, rounded to the currency
 * @param endDate the discount's end, or {@code null}
 * @param chargeDetails the discount's terms; for a charge with an allowance or tiers, how its amount adds
 *     up ({@code 100 GB x 0.12 + 12.5 GB x 0.08 = 13.00}); otherwise {@code null}
 * @param chargeDescription the discount's terms, or {@code null}
 */
public record ChargeLine(
        String offeringCode,
        String chargeType,
        ChargeCategory category,
        BigDecimal quantity,
        String unitOfMeasure,
        BigDecimal rate,
        MonetaryAmount amount,
        Instant endDate,
        String chargeDetails,
        String chargeDescription) {

    /** Rejects null required fields (the offering code is required on charge lines). */
    public ChargeLine {
        if (category == ChargeCategory.CHARGE) {
            Objects.requireNonNull(offeringCode, "offeringCode");
        }
        Objects.requireNonNull(chargeType, "chargeType");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(unitOfMeasure, "unitOfMeasure");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(amount, "amount");
    }
}
