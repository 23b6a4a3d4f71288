package dev.billing.core.charges;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.Test;

class ChargeTotalsTest {

    private static Money usd(String amount) {
        return Money.of(new BigDecimal(amount), "USD");
    }

    @Test
    void of_sumsChargeTotalAndTotal() {
        ChargeTotals t = ChargeTotals.of(usd("17.00"), usd("-1.70"), usd("5.00"));
        assertEquals(usd("15.30"), t.chargeTotal());
        assertEquals(usd("20.30"), t.total());
    }

    @Test
    void figuresThatDoNotAddUp_areRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new ChargeTotals(usd("17.00"), usd("-1.70"), usd("15.31"), usd("0.00"), usd("15.31")));
        assertThrows(IllegalArgumentException.class,
                () -> new ChargeTotals(usd("17.00"), usd("0.00"), usd("17.00"), usd("1.00"), usd("17.00")));
        assertThrows(IllegalArgumentException.class,
                () -> new ChargeTotals(usd("17.00"), usd("1.00"), usd("18.00"), usd("0.00"), usd("18.00")),
                "a positive discount");
        assertThrows(RuntimeException.class,
                () -> new ChargeTotals(usd("17.00"), Money.of(0, "EUR"), usd("17.00"), usd("0.00"), usd("17.00")),
                "several currencies");
    }
}
