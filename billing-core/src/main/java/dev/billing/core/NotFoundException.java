package dev.billing.core;

/**
 * An account, plan, region or transaction does not exist (or belongs to another namespace);
 * {@link #field()} names the request field whose value was not found (such as {@code namespace},
 * {@code planId}, {@code transactionId}). Immutable and thread-safe.
 */
public final class NotFoundException extends BillingException {

    private static final long serialVersionUID = 1L;

    /**
     * @param code the error code, such as {@link ErrorCode#ACCOUNT_NOT_FOUND}
     * @param field the field whose value was not found
     * @param reason what was not found
     */
    public NotFoundException(ErrorCode code, String field, String reason) {
        super(code, field, reason, null);
    }
}
