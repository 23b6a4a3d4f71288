package dev.billing.core;

/**
 * A request field is missing, malformed, out of range or inconsistent; {@link #field()} names it and
 * {@link #reason()} says what is wrong with it. Immutable and thread-safe.
 */
public final class InvalidRequestException extends BillingException {

    private static final long serialVersionUID = 1L;

    /**
     * @param code the error code, {@link ErrorCode#INVALID_REQUEST} or a more precise one
     * @param field the offending field
     * @param reason what is wrong with it
     */
    public InvalidRequestException(ErrorCode code, String field, String reason) {
        super(code, field, reason, null);
    }

    /**
     * @param field the offending field
     * @param reason what is wrong with it
     * @return an {@link ErrorCode#INVALID_REQUEST} exception
     */
    public static InvalidRequestException of(String field, String reason) {
        return new InvalidRequestException(ErrorCode.INVALID_REQUEST, field, reason);
    }
}
