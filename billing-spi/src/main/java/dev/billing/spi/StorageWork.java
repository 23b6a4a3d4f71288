package dev.billing.spi;

/**
 * A unit of work run by {@link BillingStorage#inTransaction(StorageWork)}.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface StorageWork<T> {

    /**
     * Does the work.
     *
     * @param session the session, valid only during this call
     * @return the result
     */
    T run(StorageSession session);
}
