package dev.billing.core;

/**
 * A request field is missing, malformed, out of range or inconsistent. {@link #field()} names it (as
 * the Java parameter or record component is called, such as {@code planId}) and {@link #reason()}
 * says what is wrong with it; the message is {@code field: reason}. Immutable and thread-safe.
 */
public final class InvalidRequestException extends BillingException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final String reason;

    /**
     * @param code the error code, {@link ErrorCode#INVALID_REQUEST} or a more precise one
     * @param field the offending field
     * @param reason what is wrong with it
     */
    public InvalidRequestException(ErrorCode code, String field, String reason) {
        super(code, field + ": " + reason, null);
        this.field = field;
        this.reason = reason;
    }

    /**
     * @param field the offending field
     * @param reason what is wrong with it
     * @return an {@link ErrorCode#INVALID_REQUEST} exception
     */
    public static InvalidRequestException of(String field, String reason) {
        return new InvalidRequestException(ErrorCode.INVALID_REQUEST, field, reason);
    }

    /** @return the name of the offending field, such as {@code planId} */
    public String field() {
        return field;
    }

    /** @return what is wrong with the field, without its name */
    public String reason() {
        return reason;
    }
}
