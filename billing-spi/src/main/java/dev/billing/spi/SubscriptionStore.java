package dev.billing.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Subscriptions to plans. Subscription ids are unique. Renewing is a compare-and-set on the period it
 * ends ({@link #replaceSubscription}): of two units of work renewing the same period, one wins.
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

    /** Sets an existing subscription's status. */
    void updateSubscriptionStatus(String id, String status);

    /**
     * Replaces an active subscription, provided its stored period still ends at {@code expectedPeriodEnd}
     * (compare-and-set: of two units of work renewing the same period, one wins).
     *
     * @param next the subscription's new state (same id)
     * @param expectedPeriodEnd the period end the caller read
     * @return whether the subscription was replaced
     */
    boolean replaceSubscription(SubscriptionRecord next, Instant expectedPeriodEnd);

    /**
     * @param now the moment
     * @param limit at most this many
     * @return active subscriptions whose period ends at or before {@code now}, by period end, then id
     */
    List<SubscriptionRecord> listSubscriptionsDue(Instant now, int limit);
}
