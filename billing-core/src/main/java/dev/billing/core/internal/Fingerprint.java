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

    private final StringBuilder canonical = new StringBuilder();

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
        byte[] hash = sha256().digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash);
    }

    /** A copy of one SHA-256 instance: cheaper than a provider look-up per request. */
    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256(); // a provider whose digests cannot be copied
        }
    }

    private static final MessageDigest SHA_256 = newSha256();

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
