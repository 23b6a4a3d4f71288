package dev.billing.core.internal;

import java.math.BigDecimal;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import javax.money.MonetaryAmount;
import org.javamoney.moneta.Money;

/** Conversions between JSR-354 amounts and the exact decimals of the storage SPI. Not API. */
public final class Amounts {

    /** Currencies found by code: Moneta's lookup walks its providers on every call, and shows in profiles. */
    private static final ConcurrentMap<String, CurrencyUnit> CURRENCIES = new ConcurrentHashMap<>();

    private Amounts() {
    }

    /**
     * @return the currency with this ISO 4217 code, as {@link Monetary#getCurrency(String, String...)}
     *     finds it, remembered once found
     * @throws javax.money.UnknownCurrencyException when there is none (not remembered)
     */
    public static CurrencyUnit currency(String code) {
        CurrencyUnit c = CURRENCIES.get(code);
        return c != null ? c : CURRENCIES.computeIfAbsent(code, k -> Monetary.getCurrency(k));
    }

    /** @return the amount's number, exactly */
    public static BigDecimal exact(MonetaryAmount amount) {
        return amount.getNumber().numberValueExact(BigDecimal.class);
    }

    /** @return {@code number} in {@code currency}, at the currency's scale (the number must fit it exactly) */
    public static Money of(BigDecimal number, CurrencyUnit currency) {
        return Money.of(number.setScale(currency.getDefaultFractionDigits()), currency);
    }

    /** @return {@code number} in the currency with this ISO 4217 code, at its scale */
    public static Money of(BigDecimal number, String currencyCode) {
        return of(number, currency(currencyCode));
    }

    /** @return {@code number} at the currency's scale, exactly */
    public static BigDecimal scaled(BigDecimal number, CurrencyUnit currency) {
        return number.setScale(currency.getDefaultFractionDigits());
    }

    /**
     * A quantity or rate without trailing zeros (never in exponent form), so that every store gives
     * back the same value whatever scale its columns have.
     */
    public static BigDecimal plain(BigDecimal n) {
        BigDecimal stripped = n.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
