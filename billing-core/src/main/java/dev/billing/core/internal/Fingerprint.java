package dev.billing.core.internal;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A digest of a whole request, kept with its idempotency key: a retry has the same fingerprint, a
 * different request under the same key does not. Amounts enter without trailing zeros, so
 * {@code 10} and {@code 10.00} are the same request.
 */
public final class Fingerprint {

    private final StringBuilder canonical = new StringBuilder(128);

    private Fingerprint(String operation) {
        canonical.append(operation);
    }

    /** @return a fingerprint of a request to {@code operation}, to which the request's fields are added */
    public static Fingerprint of(String operation) {
        return new Fingerprint(operation);
    }

    /** @return this, with {@code value} (which may be {@code null}) added */
    public Fingerprint with(String value) {
        // Length-prefixed, so that no two different field lists read the same.
        String v = value == null ? "\u0000" : value;
        canonical.append('|').append(v.length()).append(':').append(v);
        return this;
    }

    /** @return this, with {@code value} added without trailing zeros */
    public Fingerprint with(BigDecimal value) {
        return with(value.stripTrailingZeros().toPlainString());
    }

    /** @return the SHA-256 of everything added, in hex */
    public String digest() {
        byte[] hash = SHA_256.get().digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(hash);
    }

    private static final HexFormat HEX = HexFormat.of();

    /**
     * One SHA-256 instance per thread, reset by each {@code digest}: a provider look-up, or a copy of
     * one instance, per request was a tenth of an in-memory recharge's allocations.
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(Fingerprint::newSha256);

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
