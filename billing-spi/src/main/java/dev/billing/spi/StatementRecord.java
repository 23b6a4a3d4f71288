package dev.billing.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A closed billing period: the estimate it ended with, frozen. Immutable, thread-safe.
 *
 * @param id the statement id, unique
 * @param namespace the account; {@code (namespace, periodStart)} is unique
 * @param periodStart the period's start, inclusive
 * @param periodEnd the period's end, exclusive
 * @param currency ISO-4217 code
 * @param chargeSubTotal sum of the CHARGE lines
 * @param discountTotal sum of the DISCOUNT lines, at most zero
 * @param chargeTotal {@code chargeSubTotal + discountTotal}, what the account was debited
 * @param chargeHierarchyTotal the descendants' charge totals at closing, for information
 * @param total {@code chargeTotal + chargeHierarchyTotal}
 * @param transactionId the transaction that debited {@code chargeTotal}, or {@code null} when it was zero
 * @param createdAt when the period was closed
 */
public record StatementRecord(
        String id,
        String namespace,
        Instant periodStart,
        Instant periodEnd,
        String currency,
        BigDecimal chargeSubTotal,
        BigDecimal discountTotal,
        BigDecimal chargeTotal,
        BigDecimal chargeHierarchyTotal,
        BigDecimal total,
        String transactionId,
        Instant createdAt) {

    /** Rejects null required fields. */
    public StatementRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(periodEnd, "periodEnd");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(chargeSubTotal, "chargeSubTotal");
        Objects.requireNonNull(discountTotal, "discountTotal");
        Objects.requireNonNull(chargeTotal, "chargeTotal");
        Objects.requireNonNull(chargeHierarchyTotal, "chargeHierarchyTotal");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
