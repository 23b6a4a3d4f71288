package dev.billing.spi;

import java.util.Optional;

/**
 * Remembered calls, by idempotency key: {@code (namespace, key)} is unique, so that of two concurrent
 * calls with one key, one commits and the other sees it.
 *
 * <p>Valid only inside the unit of work whose {@link StorageSession} handed it out; not to be shared
 * between threads.
 */
public interface IdempotencyStore {

    /** @return the remembered call with this key */
    Optional<IdempotencyRecord> findIdempotency(String namespace, String key);

    /**
     * Remembers a call.
     *
     * @throws DuplicateKeyException when {@code (namespace, key)} exists
     */
    void insertIdempotency(IdempotencyRecord record);
}
