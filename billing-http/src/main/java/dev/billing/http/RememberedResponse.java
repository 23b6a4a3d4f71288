package dev.billing.http;

import java.time.Instant;
import java.util.Objects;

/**
 * A response remembered under an idempotency key, so that a retried request gets the same answer.
 * Used for requests whose effect is idempotent by nature (usage by event id, catalog definitions), where
 * only the answer would otherwise differ. Immutable, thread-safe.
 *
 * @param scope who the key belongs to, such as {@code http:ops}; {@code (scope, key)} is unique
 * @param key the caller's idempotency key
 * @param fingerprint a digest of the request the key was first used for
 * @param status the response's status code
 * @param body the response's body, as text
 * @param createdAt when it was remembered
 */
public record RememberedResponse(String scope, String key, String fingerprint, int status, String body, Instant createdAt) {

    /** Rejects null fields. */
    public RememberedResponse {
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
