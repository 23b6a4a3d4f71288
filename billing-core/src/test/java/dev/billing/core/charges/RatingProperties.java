package dev.billing.core.charges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.charges.ChargeLine;
import dev.billing.core.charges.Commitment;
import dev.billing.core.charges.Rate;
import dev.billing.core.charges.Rating;
import dev.billing.core.charges.Tier;
import dev.billing.core.internal.Amounts;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.javamoney.moneta.Money;

class RatingProperties {

    private static final CurrencyUnit USD = Monetary.getCurrency("USD");
    private static final Instant START = Instant.parse("2016-10-16T21:32:52Z");

    @Provide
    Arbitrary<BigDecimal> quantities() {
        return Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("1000000")).ofScale(3);
    }

    @Provide
    Arbitrary<BigDecimal> rates() {
        return Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("100")).ofScale(5);
    }

    @Provide
    Arbitrary<Commitment> commitments() {
        return Combinators.combine(Arbitraries.strings().alpha().ofLength(4),
                Arbitraries.bigDecimals().between(new BigDecimal("0.5"), new BigDecimal("100")).ofScale(1),
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("5000")).ofScale(2),
                Arbitraries.of(START.minusSeconds(1), START.plusSeconds(86400 * 400L)))
                .as((id, pct, threshold, end) -> new Commitment(id, pct, Money.of(threshold, "USD"), end));
    }

    @Property
    void flatRate_amountIsRoundOfQuantityTimesRate(@ForAll("quantities") BigDecimal q, @ForAll("rates") BigDecimal r) {
        Rate rate = Rate.flat("O", "C", "HRS", r, USD, LocalDate.EPOCH);
        ChargeLine line = Rating.charge(new Rating.Sum("O", "C", q), rate, USD, RoundingMode.HALF_EVEN);
        assertEquals(0, q.multiply(r).setScale(2, RoundingMode.HALF_EVEN).compareTo(Amounts.exact(line.amount())));
    }

    /** Graduated tiers with increasing bounds and an allowance, as lists: bounds, unit rates (one more). */
    @Provide
    Arbitrary<Rate> tieredRates() {
        Arbitrary<List<BigDecimal>> steps = Arbitraries.bigDecimals().between(new BigDecimal("0.5"), new BigDecimal("5000"))
                .ofScale(2).list().ofMinSize(0).ofMaxSize(4);
        return Combinators.combine(steps, rates().list().ofSize(5),
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("100")).ofScale(1))
                .as((st, unitRates, included) -> {
                    List<Tier> tiers = new ArrayList<>();
                    BigDecimal bound = BigDecimal.ZERO;
                    for (int i = 0; i < st.size(); i++) {
                        bound = bound.add(st.get(i));
                        tiers.add(new Tier(bound, unitRates.get(i)));
                    }
                    tiers.add(Tier.flat(unitRates.get(st.size())));
                    return new Rate("O", "C", "GB", USD, included, tiers, LocalDate.EPOCH);
                });
    }

    /**
     * The oracle for a tiered line: the billable quantity (above the allowance) is cut at every bound,
     * and each slice {@code max(0, min(billable, upper) - lower)} is priced at its tier's rate.
     */
    private static BigDecimal tieredOracle(Rate rate, BigDecimal q) {
        BigDecimal billable = q.subtract(rate.includedQuantity()).max(BigDecimal.ZERO);
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal lower = BigDecimal.ZERO;
        for (Tier t : rate.tiers()) {
            BigDecimal upper = t.upTo() == null ? billable.max(lower) : t.upTo();
            BigDecimal slice = billable.min(upper).subtract(lower).max(BigDecimal.ZERO);
            total = total.add(slice.multiply(t.unitRate()));
            lower = upper;
        }
        return total;
    }

    @Property
    void tieredLine_amountIsRoundOfTheSlicedPrice(@ForAll("quantities") BigDecimal q, @ForAll("tieredRates") Rate rate) {
        ChargeLine line = Rating.charge(new Rating.Sum("O", "C", q), rate, USD, RoundingMode.HALF_EVEN);
        assertEquals(0, tieredOracle(rate, q).setScale(2, RoundingMode.HALF_EVEN).compareTo(Amounts.exact(line.amount())),
                "amount of " + q + " under " + rate);
    }

    @Property
    void tieredPrice_isMonotoneInQuantity(@ForAll("quantities") BigDecimal a, @ForAll("quantities") BigDecimal b,
            @ForAll("rates") BigDecimal r1, @ForAll("rates") BigDecimal r2) {
        Rate rate = new Rate("O", "C", "GB", USD, new BigDecimal("10"),
                List.of(new Tier(new BigDecimal("100"), r1), Tier.flat(r2)), LocalDate.EPOCH);
        BigDecimal lo = a.min(b);
        BigDecimal hi = a.max(b);
        assertTrue(rate.price(lo).compareTo(rate.price(hi)) <= 0);
    }

    @Property
    void discounts_neverExceedCharges_andTotalsAddUp(
            @ForAll @Size(max = 6) List<@net.jqwik.api.From("quantities") BigDecimal> quantities,
            @ForAll("rates") BigDecimal r, @ForAll @Size(max = 3) List<@net.jqwik.api.From("commitments") Commitment> cs) {
        Rate rate = Rate.flat("O", "C", "HRS", r, USD, LocalDate.EPOCH);
        List<ChargeLine> charges = new ArrayList<>();
        for (int i = 0; i < quantities.size(); i++) {
            charges.add(Rating.charge(new Rating.Sum("O" + i, "C", quantities.get(i)), rate, USD, RoundingMode.HALF_EVEN));
        }
        BigDecimal subTotal = Rating.sum(charges);
        List<ChargeLine> discounts = Rating.discounts(subTotal, cs, START, USD, RoundingMode.HALF_EVEN);
        BigDecimal discountTotal = Rating.sum(discounts);
        assertTrue(discountTotal.signum() <= 0);
        assertTrue(subTotal.add(discountTotal).signum() >= 0, "discount above charges");
        discounts.forEach(l -> {
            assertEquals(0, l.rate().compareTo(Amounts.exact(l.amount()).negate()));
            assertTrue(Amounts.exact(l.amount()).stripTrailingZeros().scale() <= 2);
        });
    }

    @Property
    void totalAfterDiscounts_neverDecreases_asTheSubtotalGrows(
            @ForAll("cents") BigDecimal a, @ForAll("cents") BigDecimal b,
            @ForAll @Size(max = 4) List<@net.jqwik.api.From("commitments") Commitment> cs) {
        BigDecimal lo = a.min(b);
        BigDecimal hi = a.max(b);
        BigDecimal totalLo = lo.add(Rating.sum(Rating.discounts(lo, cs, START, USD, RoundingMode.HALF_EVEN)));
        BigDecimal totalHi = hi.add(Rating.sum(Rating.discounts(hi, cs, START, USD, RoundingMode.HALF_EVEN)));
        assertTrue(totalLo.compareTo(totalHi) <= 0, lo + " -> " + totalLo + ", " + hi + " -> " + totalHi);
    }

    @Provide
    Arbitrary<BigDecimal> cents() {
        return Arbitraries.oneOf(Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("10000")).ofScale(2),
                Arbitraries.integers().between(0, 300).map(i -> BigDecimal.valueOf(i, 2)));
    }
}
