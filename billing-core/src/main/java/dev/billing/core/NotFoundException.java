package dev.billing.core;

/**
 * An account, plan, region or transaction does not exist (or belongs to another namespace);
 * {@link #field()} names the request field whose value was not found, when the engine knows it.
 * Immutable and thread-safe.
 */
public final class NotFoundException extends BillingException {

    private static final long serialVersionUID = 1L;

    private final String field;

    NotFoundException(ErrorCode code, String message) {
        super(code, message, null);
        this.field = null;
    }

    NotFoundException(ErrorCode code, String field, String message) {
        super(code, field + ": " + message, null);
        this.field = field;
    }

    /**
     * @return the name of the field whose value was not found, in the seeds' spelling (such as
     *     {@code plan_id}, {@code namespace}, {@code trans_id}), or {@code null} when not known
     */
    public String field() {
        return field;
    }
}
