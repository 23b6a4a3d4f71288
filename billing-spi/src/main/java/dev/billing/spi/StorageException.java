package dev.billing.spi;

/** A storage failed. The unit of work that saw it committed nothing. */
public class StorageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed
     * @param cause the underlying failure, or {@code null}
     */
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    /** @param message what failed */
    public StorageException(String message) {
        super(message);
    }
}
