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
     * @param message what conflicts, naming the field first ({@code field: ...}) where there is one
     */
    public ConflictException(ErrorCode code, String message) {
        super(code, message, null);
    }
}
