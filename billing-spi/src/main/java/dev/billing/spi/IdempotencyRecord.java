package dev.billing.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * The remembered outcome of a mutating call, by idempotency key. {@code (namespace, key)} is unique
 * in a store. Immutable, thread-safe.
 *
 * @param namespace the namespace the call was for
 * @param key the caller's idempotency key
 * @param fingerprint a digest of the whole request, to tell a retry from a different request
 * @param transactionId the transaction the call created, or {@code null}
 * @param balance the balance the call answered with, or {@code null}
 * @param status the account status the call answered with, or {@code null}
 * @param createdAt when the call was first made
 */
public record IdempotencyRecord(
        String namespace,
        String key,
        String fingerprint,
        String transactionId,
        BigDecimal balance,
        String status,
        Instant createdAt) {

    /** Rejects null required fields. */
    public IdempotencyRecord {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
