package dev.billing.spi;

/**
 * A unit of work could not be serialized with concurrent ones (deadlock, lock time-out,
 * serialization failure). Nothing was committed; running the same work again may succeed.
 */
public final class TransientStorageException extends StorageException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened
     * @param cause the underlying failure, or {@code null}
     */
    public TransientStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
