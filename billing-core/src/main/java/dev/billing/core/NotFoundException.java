package dev.billing.core;

/**
 * An account, plan, region or transaction does not exist (or belongs to another namespace).
 * {@link #field()} names the request field whose value was not found (such as {@code namespace},
 * {@code planId}, {@code transactionId}) and {@link #reason()} says what was not found; the message
 * is {@code field: reason}. Immutable and thread-safe.
 */
public final class NotFoundException extends BillingException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;

    /**
     * @param code the error code, such as {@link ErrorCode#ACCOUNT_NOT_FOUND}
     * @param field the field whose value was not found
     * @param reason what was not found
     */
    public NotFoundException(ErrorCode code, String field, String reason) {
        super(code, field + ": " + reason, null);
        this.field = field;
        this.reason = reason;
    }

    /** @return the name of the field whose value was not found, such as {@code planId} */
    public String field() {
        return field;
    }

    /** @return what was not found, without the field's name */
    public String reason() {
        return reason;
    }
}
