package dev.billing.core.charges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.billing.core.charges.ChargeLine;
import dev.billing.core.charges.Commitment;
import dev.billing.core.charges.Rate;
import dev.billing.core.charges.Rating;
import dev.billing.core.charges.Tier;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.Test;

class RatingTest {

    private static final CurrencyUnit USD = Monetary.getCurrency("USD");
    private static final LocalDate FROM = LocalDate.of(2016, 1, 1);

    private static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    @Test
    void seedLines_amountIsQuantityTimesRate_roundedOnce() {
        Rate uptime = Rate.flat("DBAAS", "UPTIME", "HRS", d(".40"), USD, FROM);
        ChargeLine l = Rating.charge(new Rating.Sum("DBAAS", "UPTIME", d("10.00")), uptime, USD, RoundingMode.HALF_EVEN);
        assertEquals(Money.of(d("4.00"), "USD"), l.amount());
        assertEquals(d(".40"), l.rate());
        Rate checks = Rate.flat("MAAS", "NUM_CHKS_HRS", "CHKS_HRS", d("0.00103"), USD, FROM);
        // 3000 x 0.00103 = 3.09
        assertEquals(Money.of(d("3.09"), "USD"),
                Rating.charge(new Rating.Sum("MAAS", "NUM_CHKS_HRS", d("3000")), checks, USD, RoundingMode.HALF_EVEN).amount());
    }

    @Test
    void halfEven_roundsTiesToEven() {
        Rate r = Rate.flat("X", "Y", "COUNT", d("0.005"), USD, FROM);
        assertEquals(d("0.00"), Rating.round(r.price(d("1")), USD, RoundingMode.HALF_EVEN));
        assertEquals(d("0.02"), Rating.round(r.price(d("3")), USD, RoundingMode.HALF_EVEN));
        assertEquals(d("0.01"), Rating.round(r.price(d("1")), USD, RoundingMode.HALF_UP));
    }

    @Test
    void includedQuantity_billsOnlyTheOverage() {
        Rate overage = Rate.flat("CSITES", "COMPUTE_CYCLE_OVERAGE", "COUNT", d(".12"), USD, FROM).withIncluded(d("10000"));
        assertEquals(0, overage.price(d("9999")).signum());
        assertEquals(d("1.44"), Rating.round(overage.price(d("10012")), USD, RoundingMode.HALF_EVEN));
    }

    @Test
    void graduatedTiers_priceEachSliceAtItsRate() {
        Rate bw = new Rate("RCDN", "BWOUT", "GB", USD, BigDecimal.ZERO,
                List.of(new Tier(d("100"), d("0.20")), new Tier(d("1000"), d("0.10")), Tier.flat(d("0.05"))), FROM);
        assertEquals(0, d("10.00").compareTo(bw.price(d("50"))));
        assertEquals(0, d("20.00").compareTo(bw.price(d("100"))));
        assertEquals(0, d("25.00").compareTo(bw.price(d("150"))));
        assertEquals(0, d("110.00").compareTo(bw.price(d("1000"))));
        assertEquals(0, d("110.05").compareTo(bw.price(d("1001"))));
        assertThrows(IllegalArgumentException.class, () -> new Rate("a", "b", "GB", USD, BigDecimal.ZERO,
                List.of(new Tier(d("100"), d("1")), new Tier(d("50"), d("1")), Tier.flat(d("1"))), FROM));
        assertThrows(IllegalArgumentException.class, () -> new Rate("a", "b", "GB", USD, BigDecimal.ZERO,
                List.of(new Tier(d("100"), d("1"))), FROM));
    }

    @Test
    void commitDiscount_seedWording_andNeverAboveCharges() {
        Commitment c = new Commitment("commit-1", d("10"), Money.of(d("1000"), "USD"), Instant.parse("2017-05-30T09:30:10Z"));
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("10% off spending over $1,000.00.", c.description());
        } finally {
            Locale.setDefault(saved);
        }
        Instant start = Instant.parse("2016-10-16T21:32:52Z");
        List<ChargeLine> lines = Rating.discounts(d("2000.00"), List.of(c), start, USD, RoundingMode.HALF_EVEN);
        assertEquals(1, lines.size());
        assertEquals(Money.of(d("-100.00"), "USD"), lines.get(0).amount());
        assertEquals(0, d("100.00").compareTo(lines.get(0).rate()));
        assertEquals("Commit Discount", lines.get(0).chargeType());
        assertEquals(List.of(), Rating.discounts(d("999.99"), List.of(c), start, USD, RoundingMode.HALF_EVEN));
        assertEquals(List.of(), Rating.discounts(d("2000.00"), List.of(c), Instant.parse("2017-05-30T09:30:10Z"), USD,
                RoundingMode.HALF_EVEN));
        Commitment all = new Commitment("commit-2", d("100"), Money.of(d("0"), "USD"), Instant.parse("2017-05-30T09:30:10Z"));
        List<ChargeLine> both = Rating.discounts(d("50.00"), List.of(all, c, all), start, USD, RoundingMode.HALF_EVEN);
        assertEquals(0, d("-50.00").compareTo(Rating.sum(both)));
    }
}
