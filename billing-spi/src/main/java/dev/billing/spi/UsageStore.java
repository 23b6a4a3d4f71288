package dev.billing.spi;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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
     * Stores usage events as {@link #insertUsage} would, one after the other, in as few steps as the
     * store can (a database sends one batched {@code INSERT}). The engine stores a whole ingested batch
     * this way. The default calls {@link #insertUsage} for each.
     *
     * @param usages the events, whose {@code (namespace, eventId)} pairs differ
     * @throws DuplicateKeyException when one of them exists
     */
    default void insertUsages(List<UsageRecord> usages) {
        for (UsageRecord u : usages) {
            insertUsage(u);
        }
    }

    /**
     * Finds which of the given event ids are taken in a namespace, in as few steps as the store can (a
     * database sends a few {@code IN} queries instead of one query per id). The default calls
     * {@link #findUsage} for each.
     *
     * @param namespace the namespace
     * @param eventIds the ids to look for
     * @return those of {@code eventIds} that name a stored usage event of {@code namespace}
     */
    default Set<String> findUsageIds(String namespace, Collection<String> eventIds) {
        Set<String> found = new HashSet<>();
        for (String id : eventIds) {
            if (findUsage(namespace, id).isPresent()) {
                found.add(id);
            }
        }
        return found;
    }

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
