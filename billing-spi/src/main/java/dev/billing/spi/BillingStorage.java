package dev.billing.spi;

/**
 * A place where the billing engine keeps its state.
 *
 * <p>Every engine operation is one call to {@link #inTransaction(StorageWork)}. The storage runs the
 * work against a session and commits its writes together when the work returns, or discards all of
 * them when it throws. When the call returns, the writes are durable to the degree the storage
 * documents.
 *
 * <p>Concurrency contract: units of work may run concurrently from many threads (and, for shared
 * databases, many processes). A storage must never lose an update made through
 * {@link AccountStore#applyBalanceDelta}, must enforce the uniqueness constraints documented on
 * {@link StorageSession}, and may fail a unit of work with {@link TransientStorageException} when it
 * could not be serialized (deadlock, lock time-out); the engine then retries it.
 *
 * <p>Implementations are thread-safe.
 */
public interface BillingStorage extends AutoCloseable {

    /**
     * Runs {@code work} atomically.
     *
     * <p>A session call that failed with a {@link StorageException} spoils the unit of work, as an
     * aborted database transaction is spoiled: later calls throw, and the unit is undone and the
     * failure thrown even when the work swallowed it.
     *
     * @param work the unit of work; it must not keep the session after it returns
     * @param <T> what the work returns
     * @return what the work returned, after its writes were committed
     * @throws DuplicateKeyException when a write broke a uniqueness constraint (nothing is committed)
     * @throws TransientStorageException when the work could not be serialized and may be retried
     * @throws StorageException on any other storage failure
     * @throws RuntimeException whatever the work threw (nothing is committed)
     */
    <T> T inTransaction(StorageWork<T> work);

    /** A short, human-readable description of this storage, for logs and demos. */
    String describe();

    /** Releases the storage's resources. The default does nothing. */
    @Override
    default void close() {
    }
}
