package dev.billing.core;

import java.math.BigDecimal;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import javax.money.MonetaryAmount;
import org.javamoney.moneta.Money;

/** Conversions between JSR-354 amounts and the exact decimals of the storage SPI. */
final class Amounts {

    private Amounts() {
    }

    /** @return the amount's number, exactly */
    static BigDecimal exact(MonetaryAmount amount) {
        return amount.getNumber().numberValueExact(BigDecimal.class);
    }

    /** @return {@code number} in {@code currency}, at the currency's scale (the number must fit it exactly) */
    static Money of(BigDecimal number, CurrencyUnit currency) {
        return Money.of(number.setScale(currency.getDefaultFractionDigits()), currency);
    }

    static Money of(BigDecimal number, String currencyCode) {
        return of(number, Monetary.getCurrency(currencyCode));
    }

    /** @return {@code number} at the currency's scale, exactly */
    static BigDecimal scaled(BigDecimal number, CurrencyUnit currency) {
        return number.setScale(currency.getDefaultFractionDigits());
    }
}
