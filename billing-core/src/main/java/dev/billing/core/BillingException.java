package dev.billing.core;

import java.util.Objects;

/**
 * The root of every exception the engine throws on purpose. Each carries a stable
 * {@link ErrorCode}; its message names the offending field and value. When an operation throws a
 * {@code BillingException}, it changed nothing.
 *
 * <p>Immutable and thread-safe.
 */
public abstract class BillingException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    BillingException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** @return the machine-readable code */
    public ErrorCode code() {
        return code;
    }
}
