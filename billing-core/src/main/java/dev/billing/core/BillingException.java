package dev.billing.core;

import java.util.Objects;

/**
 * The root of every exception the engine throws on purpose. Each carries a stable
 * {@link ErrorCode}, the request field it is about when there is one ({@link #field()}, named as the
 * Java parameter is, or {@code parameter.component} for a component of a value, such as
 * {@code plan.price}), and the {@link #reason()}; the message is {@code field: reason}, or the reason
 * alone. When an operation throws a {@code BillingException}, it changed nothing.
 *
 * <p>Immutable and thread-safe.
 */
public abstract class BillingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String field;
    private final String reason;

    /**
     * @param code the machine-readable code
     * @param field the request field it is about, or {@code null}
     * @param reason what is wrong, without the field's name
     * @param cause the cause, or {@code null}
     */
    protected BillingException(ErrorCode code, String field, String reason, Throwable cause) {
        super(field == null ? reason : field + ": " + reason, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.field = field;
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return the machine-readable code */
    public ErrorCode code() {
        return code;
    }

    /**
     * @return the request field this is about, such as {@code planId}, {@code plan.price} or
     *     {@code event.timestamp}; {@code null} when it is about no one field
     */
    public String field() {
        return field;
    }

    /** @return what is wrong, without the field's name */
    public String reason() {
        return reason;
    }
}
