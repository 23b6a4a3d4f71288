package dev.billing.core.coupons;

import dev.billing.core.InvalidRequestException;
import java.security.SecureRandom;
import java.util.Locale;

/**
 * Coupon codes: 16 symbols of Crockford's base 32 (80 random bits from a {@link SecureRandom}), printed in
 * groups of four. Read back leniently, as Crockford intends: case, hyphens and spaces do not matter, and
 * {@code O}, {@code I} and {@code L} read as {@code 0}, {@code 1} and {@code 1}. Thread-safe.
 */
final class CouponCodes {

    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    static final int LENGTH = 16;
    private static final SecureRandom RANDOM = new SecureRandom();

    private CouponCodes() {
    }

    /** @return a new code in canonical form (no separators) */
    static String next() {
        StringBuilder b = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /**
     * @param text a code as a person typed it
     * @return its canonical form
     * @throws InvalidRequestException naming {@code code} when it is not a coupon code
     */
    static String canonical(String text) {
        if (text == null) {
            throw InvalidRequestException.of("code", "is required");
        }
        StringBuilder b = new StringBuilder(LENGTH);
        for (char c : text.toUpperCase(Locale.ROOT).toCharArray()) {
            if (c == '-' || c == ' ') {
                continue;
            }
            char read = c == 'O' ? '0' : c == 'I' || c == 'L' ? '1' : c;
            if (ALPHABET.indexOf(read) < 0 || b.length() == LENGTH) {
                throw InvalidRequestException.of("code", "is not a coupon code (" + LENGTH
                        + " letters and digits, such as 7K3M-9QXD-2R8V-HT4N)");
            }
            b.append(read);
        }
        if (b.length() != LENGTH) {
            throw InvalidRequestException.of("code", "is not a coupon code (" + LENGTH
                    + " letters and digits, such as 7K3M-9QXD-2R8V-HT4N)");
        }
        return b.toString();
    }

    /** @return the canonical {@code code} in groups of four */
    static String printed(String code) {
        return code.substring(0, 4) + "-" + code.substring(4, 8) + "-" + code.substring(8, 12) + "-" + code.substring(12);
    }
}
