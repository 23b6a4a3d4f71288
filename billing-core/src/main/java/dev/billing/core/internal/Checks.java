package dev.billing.core.internal;

import dev.billing.core.ErrorCode;
import dev.billing.core.InvalidRequestException;
import dev.billing.spi.AccountStore;
import java.math.BigDecimal;
import java.text.Normalizer;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;

/** Validation of request fields, shared by every area; every failure names the field. Not API. */
public final class Checks {

    /** The longest namespace, and of most identifiers, in characters. */
    public static final int MAX_NAMESPACE = 64;
    /** The longest idempotency key and usage event id, in characters. */
    public static final int MAX_KEY = 128;
    /** Quantities and rates keep at most this many decimals, so that every store holds them exactly. */
    public static final int MAX_QUANTITY_SCALE = 6;
    /**
     * Amounts and quantities stay below 10^15 in magnitude, the bound every store keeps exactly
     * (DECIMAL(19,4)): the storage SPI's {@link AccountStore#MAX_BALANCE}, the one place it is defined.
     */
    public static final BigDecimal MAX_AMOUNT = AccountStore.MAX_BALANCE;

    private Checks() {
    }

    /** @return {@code namespace}, when it is a well-formed namespace (field {@code namespace}) */
    public static String namespace(String namespace) {
        return token("namespace", namespace, MAX_NAMESPACE);
    }

    /** @return {@code key}, when it is a well-formed idempotency key (field {@code idempotencyKey}) */
    public static String idempotencyKey(String key) {
        return token("idempotencyKey", key, MAX_KEY);
    }

    /** @return {@code value}, when it is not null */
    public static <T> T required(String field, T value) {
        if (value == null) {
            throw InvalidRequestException.of(field, "is required");
        }
        return value;
    }

    /** An identifier: present, not blank, at most {@code max} characters, no control characters, no edge spaces. */
    public static String token(String field, String value, int max) {
        if (value == null) {
            throw InvalidRequestException.of(field, "is required");
        }
        if (visibleAscii(value) && value.length() <= max) {
            return value; // the usual case, and every check below passes for it
        }
        if (value.isBlank()) {
            throw InvalidRequestException.of(field, "must not be blank");
        }
        if (value.codePointCount(0, value.length()) > max) {
            throw InvalidRequestException.of(field, "is longer than " + max + " characters");
        }
        if (value.codePoints().anyMatch(Checks::invisible)) {
            throw InvalidRequestException.of(field, "contains a control character");
        }
        if (!value.equals(value.strip()) || Character.isSpaceChar(value.codePointAt(0))
                || Character.isSpaceChar(value.codePointBefore(value.length()))) {
            throw InvalidRequestException.of(field, "has leading or trailing white space");
        }
        lookAlike(field, value);
        return value;
    }

    /**
     * Refuses what would make two identifiers that look the same differ: a value not in Unicode NFC (an
     * {@code e} followed by U+0301 where {@code é} is meant) and variation selectors (U+FE00 to U+FE0F,
     * U+E0100 to U+E01EF). So {@code café} is one account, however a client spells it.
     */
    private static void lookAlike(String field, String value) {
        if (!Normalizer.isNormalized(value, Normalizer.Form.NFC)) {
            throw InvalidRequestException.of(field, "is not in Unicode normalization form NFC (write composed "
                    + "characters, such as \u00e9 rather than e followed by U+0301)");
        }
        if (value.codePoints().anyMatch(cp -> cp >= 0xFE00 && cp <= 0xFE0F || cp >= 0xE0100 && cp <= 0xE01EF)) {
            throw InvalidRequestException.of(field, "contains a variation selector");
        }
    }

    /** @return whether {@code value} is not empty and has only ASCII letters, digits and punctuation (no space) */
    private static boolean visibleAscii(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    /** Control and format characters, line and paragraph separators, and unpaired surrogates. */
    private static boolean invisible(int cp) {
        int type = Character.getType(cp);
        return Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE;
    }

    /** Free text: present, at most {@code max} characters, no control characters but none. */
    public static String text(String field, String value, int max) {
        if (value == null) {
            throw InvalidRequestException.of(field, "is required");
        }
        if (value.codePointCount(0, value.length()) > max) {
            throw InvalidRequestException.of(field, "is longer than " + max + " characters");
        }
        if (value.codePoints().anyMatch(Character::isISOControl)) {
            throw InvalidRequestException.of(field, "contains a control character");
        }
        return value;
    }

    /**
     * A positive amount in {@code currency} (when given) with no more decimals than the currency has.
     *
     * @return the exact number
     */
    public static BigDecimal positiveAmount(String field, MonetaryAmount amount, CurrencyUnit currency) {
        if (amount == null) {
            throw InvalidRequestException.of(field, "is required");
        }
        if (currency != null && !currency.equals(amount.getCurrency())) {
            throw new InvalidRequestException(ErrorCode.CURRENCY_MISMATCH, field,
                    "is in " + amount.getCurrency().getCurrencyCode() + ", expected " + currency.getCurrencyCode());
        }
        int digits = amount.getCurrency().getDefaultFractionDigits();
        if (digits < 0) {
            throw InvalidRequestException.of(field, "currency " + amount.getCurrency() + " has no minor unit");
        }
        BigDecimal n = Amounts.exact(amount);
        if (n.signum() <= 0) {
            throw InvalidRequestException.of(field, "must be positive, was " + n.toPlainString());
        }
        if (Math.max(0, n.stripTrailingZeros().scale()) > digits) {
            throw InvalidRequestException.of(field, n.toPlainString() + " has more than " + digits + " decimals for "
                    + amount.getCurrency().getCurrencyCode());
        }
        if (n.compareTo(MAX_AMOUNT) >= 0) {
            throw InvalidRequestException.of(field, n.toPlainString() + " is too large (at most 15 integer digits)");
        }
        return n.setScale(digits);
    }

    /** An exact, non-negative quantity (positive when {@code positive}) with at most 6 decimals, below 10^15. */
    public static BigDecimal quantity(String field, BigDecimal q, boolean positive) {
        if (q == null) {
            throw InvalidRequestException.of(field, "is required");
        }
        if (q.signum() < 0 || positive && q.signum() == 0) {
            throw InvalidRequestException.of(field, "must be " + (positive ? "positive" : "zero or more") + ", was "
                    + q.toPlainString());
        }
        if (Math.max(0, q.stripTrailingZeros().scale()) > MAX_QUANTITY_SCALE) {
            throw InvalidRequestException.of(field, q.toPlainString() + " has more than " + MAX_QUANTITY_SCALE + " decimals");
        }
        if (q.compareTo(MAX_AMOUNT) >= 0) {
            throw InvalidRequestException.of(field, q.toPlainString() + " is too large (at most 15 integer digits)");
        }
        return q;
    }
}
