package dev.billing.core.memory;

import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.StorageException;
import dev.billing.spi.SubscriptionRecord;
import dev.billing.spi.SubscriptionStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The in-memory {@link SubscriptionStore} of one unit of work. */
final class MemorySubscriptions implements SubscriptionStore {

    private final MemorySession session;
    private final MemoryTables t;

    MemorySubscriptions(MemorySession session, MemoryTables t) {
        this.session = session;
        this.t = t;
    }

    @Override
    public void insertSubscription(SubscriptionRecord subscription) {
        session.check();
        if (t.subscriptions.containsKey(subscription.id())) {
            throw session.spoil(new DuplicateKeyException("subscription " + subscription.id() + " exists", null));
        }
        session.put(t.subscriptions, subscription.id(), subscription);
    }

    @Override
    public List<SubscriptionRecord> listSubscriptions(String namespace) {
        session.check();
        return t.subscriptions.values().stream()
                .filter(s -> s.namespace().equals(namespace))
                .sorted(Comparator.comparing(SubscriptionRecord::periodStart).thenComparing(SubscriptionRecord::id))
                .toList();
    }

    @Override
    public Optional<SubscriptionRecord> findSubscriptionByTransaction(String transactionId) {
        session.check();
        return t.subscriptions.values().stream().filter(s -> s.transactionId().equals(transactionId)).findFirst();
    }

    @Override
    public void updateSubscriptionStatus(String id, String status) {
        session.check();
        SubscriptionRecord s = t.subscriptions.get(id);
        if (s == null) {
            throw session.spoil(new StorageException("no subscription " + id));
        }
        session.put(t.subscriptions, id, s.withStatus(status).atRevision(s.revision() + 1));
    }

    @Override
    public boolean replaceSubscription(SubscriptionRecord next, long expectedRevision) {
        session.check();
        SubscriptionRecord s = t.subscriptions.get(next.id());
        if (s == null || s.revision() != expectedRevision) {
            return false;
        }
        session.put(t.subscriptions, next.id(), next.atRevision(expectedRevision + 1));
        return true;
    }

    @Override
    public Optional<SubscriptionRecord> findSubscription(String id) {
        session.check();
        return Optional.ofNullable(t.subscriptions.get(id));
    }

    @Override
    public List<SubscriptionRecord> listSubscriptionsDue(Instant horizon, Instant afterPeriodEnd, String afterId,
            int limit) {
        session.check();
        return t.subscriptions.values().stream()
                .filter(s -> (s.status().equals("active") || s.status().equals("past_due")) && !s.periodEnd().isAfter(horizon))
                .filter(s -> afterPeriodEnd == null || s.periodEnd().isAfter(afterPeriodEnd)
                        || s.periodEnd().equals(afterPeriodEnd) && s.id().compareTo(afterId) > 0)
                .sorted(Comparator.comparing(SubscriptionRecord::periodEnd).thenComparing(SubscriptionRecord::id))
                .limit(limit)
                .toList();
    }
}
