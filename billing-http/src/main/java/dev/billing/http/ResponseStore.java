package dev.billing.http;

import dev.billing.spi.StorageException;
import java.util.Optional;

/**
 * Where the handler remembers the answers of POSTs whose effect is idempotent by nature (usage by
 * event id, definitions), so that a retry with the same {@code Idempotency-Key} gets the same answer.
 * {@code (scope, key)} is unique, enforced by the store even against another process sharing it.
 *
 * <p>Two implementations ship: {@link #inMemory()}, for an engine on in-memory storage (or a single
 * process that may forget answers on restart), and {@code dev.billing.jdbc.JdbiResponseStore}, in the
 * same database as a {@code JdbiStorage}, each call its own unit of work under the storage's rules
 * (durability, retries). Implementations are thread-safe.
 */
public interface ResponseStore {

    /**
     * @param scope who the key belongs to
     * @param key the caller's idempotency key
     * @return the answer remembered under {@code (scope, key)}
     * @throws StorageException when the store failed
     */
    Optional<RememberedResponse> find(String scope, String key);

    /**
     * Remembers an answer, unless one is remembered under its {@code (scope, key)} already.
     *
     * @param response the answer
     * @return whether it was remembered; {@code false} when the key had an answer (nothing changed)
     * @throws StorageException when the store failed
     */
    boolean insert(RememberedResponse response);

    /** @return a new store that keeps its answers in this process's memory */
    static ResponseStore inMemory() {
        return new InMemoryResponseStore();
    }
}
