package dev.billing.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Metered usage events. {@code (namespace, eventId)} is unique: a store throws
 * {@link DuplicateKeyException} for a second event with the same id, even from a concurrent unit of
 * work in another process. Usage is summed in the store, never loaded.
 *
 * <p>Valid only inside the unit of work whose {@link StorageSession} handed it out; not to be shared
 * between threads.
 */
public interface UsageStore {

    /**
     * Stores a usage event.
     *
     * @throws DuplicateKeyException when {@code (namespace, eventId)} exists
     */
    void insertUsage(UsageRecord usage);

    /** @return the usage event with this id in this namespace */
    Optional<UsageRecord> findUsage(String namespace, String eventId);

    /**
     * Sums a namespace's usage whose {@code occurredAt} lies in {@code [from, to)}, per
     * (offering code, charge type), in the store (never by loading the events).
     *
     * @return the sums, by offering code, then charge type
     */
    List<UsageSum> sumUsage(String namespace, Instant from, Instant to);

    /**
     * @param offeringCode the product
     * @param chargeType the charge type
     * @param from the earliest {@code occurredAt} that counts
     * @return whether any namespace has usage of (offering code, charge type) at or after {@code from}
     */
    boolean anyUsageSince(String offeringCode, String chargeType, Instant from);
}
