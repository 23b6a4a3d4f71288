package dev.billing.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Subscriptions to plans. Subscription ids are unique. Every change is a compare-and-set on the
 * subscription's revision ({@link #replaceSubscription}): of two units of work changing one subscription
 * from the same state (renewing it, switching it, cancelling it, marking it past due), one wins, and a
 * store bumps the revision on every change ({@link #updateSubscriptionStatus} too).
 *
 * <p>Valid only inside the unit of work whose {@link StorageSession} handed it out; not to be shared
 * between threads.
 */
public interface SubscriptionStore {

    /** Inserts a subscription. */
    void insertSubscription(SubscriptionRecord subscription);

    /** @return the namespace's subscriptions, oldest period start first, then by id */
    List<SubscriptionRecord> listSubscriptions(String namespace);

    /** @return the subscription opened or renewed by this purchase */
    Optional<SubscriptionRecord> findSubscriptionByTransaction(String transactionId);

    /** Sets an existing subscription's status, and bumps its revision. */
    void updateSubscriptionStatus(String id, String status);

    /**
     * Replaces a subscription, provided its stored revision is still {@code expectedRevision}
     * (compare-and-set: of two units of work changing it from the state they read, one wins). The stored
     * subscription is {@code next} at revision {@code expectedRevision + 1}, whatever revision {@code next} has.
     *
     * @param next the subscription's new state (same id)
     * @param expectedRevision the revision the caller read
     * @return whether the subscription was replaced
     */
    boolean replaceSubscription(SubscriptionRecord next, long expectedRevision);

    /**
     * @param horizon the moment: subscriptions whose period ends at or before it are due (the engine's
     *     now plus its renewal window)
     * @param limit at most this many
     * @return {@code active} and {@code past_due} subscriptions whose period ends at or before {@code horizon},
     *     by period end, then id
     */
    default List<SubscriptionRecord> listSubscriptionsDue(Instant horizon, int limit) {
        return listSubscriptionsDue(horizon, null, null, limit);
    }

    /**
     * The next page of {@link #listSubscriptionsDue(Instant, int)}: what comes after a subscription
     * already read, in the same order, so that a caller pages through many without reading a page twice.
     *
     * @param horizon the moment: subscriptions whose period ends at or before it are due
     * @param afterPeriodEnd the period end of the last one read, or {@code null} for the first page
     * @param afterId its id ({@code null} with {@code afterPeriodEnd})
     * @param limit at most this many
     * @return the due subscriptions after ({@code afterPeriodEnd}, {@code afterId}), by period end, then id
     */
    List<SubscriptionRecord> listSubscriptionsDue(Instant horizon, Instant afterPeriodEnd, String afterId, int limit);

    /**
     * @param id a subscription id
     * @return the subscription
     */
    Optional<SubscriptionRecord> findSubscription(String id);
}
