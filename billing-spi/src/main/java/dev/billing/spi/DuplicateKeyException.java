package dev.billing.spi;

/**
 * A write broke one of the uniqueness constraints listed on the areas of a {@link StorageSession} (each store interface lists its own): a concurrent
 * unit of work got there first. Nothing of the failing unit of work was committed.
 */
public final class DuplicateKeyException extends StorageException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message which constraint
     * @param cause the underlying failure, or {@code null}
     */
    public DuplicateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
