package dev.billing.core;

/** A request field is missing, malformed, out of range or inconsistent; {@link #field()} names it. Immutable and thread-safe. */
public final class InvalidRequestException extends BillingException {

    private static final long serialVersionUID = 1L;

    private final String field;

    InvalidRequestException(ErrorCode code, String field, String message) {
        super(code, field + ": " + message, null);
        this.field = field;
    }

    static InvalidRequestException of(String field, String message) {
        return new InvalidRequestException(ErrorCode.INVALID_REQUEST, field, message);
    }

    /** @return the name of the offending field, in the seeds' spelling (such as {@code plan_id}) */
    public String field() {
        return field;
    }
}
