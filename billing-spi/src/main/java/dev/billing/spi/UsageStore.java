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
     * The running totals of a namespace's period {@code [start, end)}, as {@link #putUsageTotals} last kept
     * them: per (offering code, charge type), the summed quantity and the count of the period's stored
     * events. The engine reads them where it would otherwise sum the period's events ({@link #sumUsage})
     * to check, on every ingestion, that the period's figures stay within what the storage holds; so that
     * check costs the same however much usage the period has. An empty list means none are kept, and the
     * engine sums the events instead. Totals never replace {@link #sumUsage} for rating: estimates and
     * closes always sum the events.
     *
     * <p>The default keeps none (returns an empty list), which is correct, only slower.
     *
     * @return the totals kept for exactly this period, by offering code, then charge type; empty when none
     */
    default List<UsageSum> findUsageTotals(String namespace, Instant start, Instant end) {
        return List.of();
    }

    /**
     * Keeps {@code totals} as the running totals of the namespace's period {@code [start, end)},
     * replacing any kept for it, and drops those kept for the namespace's other periods that start before
     * {@code end} (a period laid out differently that overlaps this one, and the periods before it). The
     * engine calls it in the unit of work that stores the period's new events, holding the namespace's
     * billing-profile lock ({@link ProfileStore#lockBillingProfile}), with totals that count every event of
     * the period including the new ones; so whatever is kept always equals the sum of the period's events.
     *
     * <p>The default keeps nothing.
     *
     * @param totals one per (offering code, charge type), each with at least one event
     */
    default void putUsageTotals(String namespace, Instant start, Instant end, List<UsageSum> totals) {
    }

    /**
     * @param offeringCode the product
     * @param chargeType the charge type
     * @param from the earliest {@code occurredAt} that counts
     * @return whether any namespace has usage of (offering code, charge type) at or after {@code from}
     */
    boolean anyUsageSince(String offeringCode, String chargeType, Instant from);
}
