package dev.billing.core;

/**
 * The request conflicts with the state: an idempotency key reused for a different request, an
 * account that exists, a purchase refunded already, an account that is not active.
 *
 * <p>Immutable and thread-safe.
 */
public final class ConflictException extends BillingException {

    private static final long serialVersionUID = 1L;

    /**
     * @param code the error code, such as {@link ErrorCode#IDEMPOTENCY_CONFLICT}
     * @param field the request field the conflict is about, or {@code null}
     * @param reason what conflicts
     */
    public ConflictException(ErrorCode code, String field, String reason) {
        super(code, field, reason, null);
    }
}
