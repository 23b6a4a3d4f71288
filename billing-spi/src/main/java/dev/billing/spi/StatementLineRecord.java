package dev.billing.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a {@link StatementRecord}. Immutable, thread-safe.
 *
 * @param statementId the statement
 * @param lineNo the line's position, from 0
 * @param offeringCode the product; {@code null} for a discount line (before schema V4, discount lines kept the commitment id here)
 * @param chargeType what was metered (for a discount, {@code Commit Discount})
 * @param category {@code CHARGE} or {@code DISCOUNT}
 * @param quantity the summed quantity
 * @param unitOfMeasure the unit
 * @param rate the unit rate shown
 * @param amount the rounded amount (negative for a discount)
 * @param endDate the discount's end, or {@code null}
 * @param chargeDetails the discount's terms, or {@code null}
 * @param chargeDescription the discount's terms, or {@code null}
 */
public record StatementLineRecord(
        String statementId,
        int lineNo,
        String offeringCode,
        String chargeType,
        String category,
        BigDecimal quantity,
        String unitOfMeasure,
        BigDecimal rate,
        BigDecimal amount,
        Instant endDate,
        String chargeDetails,
        String chargeDescription) {

    /** Rejects null required fields. */
    public StatementLineRecord {
        Objects.requireNonNull(statementId, "statementId");
        Objects.requireNonNull(chargeType, "chargeType");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(unitOfMeasure, "unitOfMeasure");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(amount, "amount");
    }
}
