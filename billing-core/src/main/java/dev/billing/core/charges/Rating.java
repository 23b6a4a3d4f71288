package dev.billing.core.charges;

import dev.billing.core.internal.Amounts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.money.CurrencyUnit;

/**
 * Pure pricing: charge lines from per-(offering, charge type) sums, discount lines from commitments,
 * and the totals. Each line is rounded once, to the currency's digits; totals are sums of rounded
 * lines, so they always add up.
 */
final class Rating {

    static final String COMMIT_DISCOUNT = "Commit Discount";
    static final Comparator<ChargeLine> ORDER = Comparator.comparing(ChargeLine::category)
            .thenComparing(ChargeLine::offeringCode, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(ChargeLine::chargeType);

    private Rating() {
    }

    /** A summed quantity of one (offering code, charge type), as the store computes it. */
    record Sum(String offeringCode, String chargeType, BigDecimal quantity) {
    }

    static BigDecimal round(BigDecimal exact, CurrencyUnit currency, RoundingMode mode) {
        return exact.setScale(currency.getDefaultFractionDigits(), mode);
    }

    static ChargeLine charge(Sum sum, Rate rate, CurrencyUnit currency, RoundingMode mode) {
        BigDecimal amount = round(rate.price(sum.quantity()), currency, mode);
        String details = details(sum.quantity(), rate, amount);
        return new ChargeLine(sum.offeringCode(), sum.chargeType(), ChargeCategory.CHARGE, sum.quantity(),
                rate.unitOfMeasure(), rate.unitRate(), Amounts.of(amount, currency), null, details, null);
    }

    /**
     * How a line with an allowance or tiers adds up, such as
     * {@code 100 GB x 0.12 + 12.5 GB x 0.08 = 13.00} or {@code 10 COUNT included; 2 COUNT x 0.12 = 0.24};
     * {@code null} for a flat rate without allowance, whose quantity times rate is the amount.
     */
    static String details(BigDecimal quantity, Rate rate, BigDecimal amount) {
        if (rate.includedQuantity().signum() == 0 && rate.tiers().size() == 1) {
            return null;
        }
        String unit = " " + rate.unitOfMeasure();
        StringBuilder out = new StringBuilder();
        BigDecimal included = quantity.min(rate.includedQuantity());
        if (rate.includedQuantity().signum() > 0) {
            out.append(plain(included)).append(unit).append(" included");
        }
        BigDecimal billable = quantity.subtract(rate.includedQuantity()).max(BigDecimal.ZERO);
        BigDecimal lower = BigDecimal.ZERO;
        List<String> parts = new ArrayList<>();
        for (var t : rate.tiers()) {
            if (billable.compareTo(lower) <= 0) {
                break;
            }
            BigDecimal upper = t.upTo() == null ? billable : t.upTo().min(billable);
            parts.add(plain(upper.subtract(lower)) + unit + " x " + plain(t.unitRate()));
            lower = upper;
        }
        if (!parts.isEmpty()) {
            out.append(out.length() > 0 ? "; " : "").append(String.join(" + ", parts));
        } else if (out.length() == 0) {
            out.append("0").append(unit);
        }
        return out.append(" = ").append(amount.toPlainString()).toString();
    }

    private static String plain(BigDecimal n) {
        return Amounts.plain(n).toPlainString();
    }

    /**
     * Discount lines for the commitments in force during a period that starts at {@code periodStart}.
     * They apply one after another, in id order, each to the spending left after the previous ones:
     * {@code discount = round(percent% × (left − threshold))} when {@code left} is above the threshold
     * (rounded once, to the currency's digits, with the engine's rounding mode), else nothing.
     * A discount line has no offering code.
     * So the discounts never exceed {@code subTotal}, and the total after discounts never decreases
     * as the subtotal grows (each step maps a larger amount left to a larger or equal one).
     */
    static List<ChargeLine> discounts(BigDecimal subTotal, List<Commitment> commitments, Instant periodStart,
            CurrencyUnit currency, RoundingMode mode) {
        List<ChargeLine> lines = new ArrayList<>();
        BigDecimal left = subTotal;
        List<Commitment> ordered = new ArrayList<>(commitments);
        ordered.sort(Comparator.comparing(Commitment::id));
        for (Commitment c : ordered) {
            if (!periodStart.isBefore(c.endDate())) {
                continue;
            }
            BigDecimal over = left.subtract(c.threshold().getNumber().numberValueExact(BigDecimal.class))
                    .max(BigDecimal.ZERO);
            BigDecimal discount = round(over.multiply(c.percentOff()).movePointLeft(2), currency, mode).min(left);
            if (discount.signum() <= 0) {
                continue;
            }
            left = left.subtract(discount);
            String terms = c.description();
            lines.add(new ChargeLine(null, COMMIT_DISCOUNT, ChargeCategory.DISCOUNT, BigDecimal.ONE, "COUNT",
                    Amounts.plain(discount), Amounts.of(discount.negate(), currency), c.endDate(), terms, terms));
        }
        return lines;
    }

    static BigDecimal sum(List<ChargeLine> lines) {
        return lines.stream().map(l -> Amounts.exact(l.amount())).reduce(BigDecimal.ZERO, BigDecimal::add);
    }
}
