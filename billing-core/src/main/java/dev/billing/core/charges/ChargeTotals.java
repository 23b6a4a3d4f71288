package dev.billing.core.charges;

import java.util.Objects;
import javax.money.MonetaryAmount;

/**
 * The five totals of a billing period, as an estimate ({@link EstimatedCharges}) and a statement
 * ({@link Statement}) show them. They always add up, and the constructor refuses figures that do not:
 * {@code chargeTotal = chargeSubTotal + discountTotal} and {@code total = chargeTotal + chargeHierarchyTotal},
 * all in one currency. Immutable, thread-safe.
 *
 * @param chargeSubTotal the sum of the CHARGE lines
 * @param discountTotal the sum of the DISCOUNT lines, at most zero
 * @param chargeTotal {@code chargeSubTotal + discountTotal}: what the account itself is charged
 * @param chargeHierarchyTotal the charge totals of the descendant accounts' periods that end within this one
 *     (for information: each descendant is charged by its own statement)
 * @param total {@code chargeTotal + chargeHierarchyTotal}
 */
public record ChargeTotals(
        MonetaryAmount chargeSubTotal,
        MonetaryAmount discountTotal,
        MonetaryAmount chargeTotal,
        MonetaryAmount chargeHierarchyTotal,
        MonetaryAmount total) {

    /** Rejects nulls, several currencies, a positive discount, and figures that do not add up. */
    public ChargeTotals {
        Objects.requireNonNull(chargeSubTotal, "chargeSubTotal");
        Objects.requireNonNull(discountTotal, "discountTotal");
        Objects.requireNonNull(chargeTotal, "chargeTotal");
        Objects.requireNonNull(chargeHierarchyTotal, "chargeHierarchyTotal");
        Objects.requireNonNull(total, "total");
        if (discountTotal.isPositive()) {
            throw new IllegalArgumentException("discountTotal must not be positive, was " + discountTotal);
        }
        if (!chargeSubTotal.add(discountTotal).isEqualTo(chargeTotal)) {
            throw new IllegalArgumentException("chargeTotal " + chargeTotal + " is not chargeSubTotal " + chargeSubTotal
                    + " + discountTotal " + discountTotal);
        }
        if (!chargeTotal.add(chargeHierarchyTotal).isEqualTo(total)) {
            throw new IllegalArgumentException("total " + total + " is not chargeTotal " + chargeTotal
                    + " + chargeHierarchyTotal " + chargeHierarchyTotal);
        }
    }

    /**
     * @param chargeSubTotal the sum of the CHARGE lines
     * @param discountTotal the sum of the DISCOUNT lines, at most zero
     * @param chargeHierarchyTotal the descendants' charge totals
     * @return the totals, with {@code chargeTotal} and {@code total} summed
     */
    public static ChargeTotals of(MonetaryAmount chargeSubTotal, MonetaryAmount discountTotal,
            MonetaryAmount chargeHierarchyTotal) {
        MonetaryAmount chargeTotal = chargeSubTotal.add(discountTotal);
        return new ChargeTotals(chargeSubTotal, discountTotal, chargeTotal, chargeHierarchyTotal,
                chargeTotal.add(chargeHierarchyTotal));
    }
}
