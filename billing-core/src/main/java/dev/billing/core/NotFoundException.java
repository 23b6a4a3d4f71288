package dev.billing.core;

/** An account, plan, region or transaction does not exist (or belongs to another namespace). Immutable and thread-safe. */
public final class NotFoundException extends BillingException {

    private static final long serialVersionUID = 1L;

    NotFoundException(ErrorCode code, String message) {
        super(code, message, null);
    }
}
