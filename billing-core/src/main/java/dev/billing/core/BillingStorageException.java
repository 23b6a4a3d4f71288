package dev.billing.core;

/** The storage failed, or stayed contended after every retry. Nothing was changed. Immutable and thread-safe. */
public final class BillingStorageException extends BillingException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause the storage's exception
     */
    public BillingStorageException(String message, Throwable cause) {
        super(ErrorCode.STORAGE_FAILURE, null, message, cause);
    }
}
