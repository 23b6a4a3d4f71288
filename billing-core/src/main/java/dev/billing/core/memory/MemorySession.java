package dev.billing.core.memory;

import dev.billing.spi.AccountStore;
import dev.billing.spi.CatalogStore;
import dev.billing.spi.CouponStore;
import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.EventStore;
import dev.billing.spi.PaymentStore;
import dev.billing.spi.IdempotencyStore;
import dev.billing.spi.LedgerStore;
import dev.billing.spi.ProfileStore;
import dev.billing.spi.RatingStore;
import dev.billing.spi.StatementStore;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageSession;
import dev.billing.spi.SubscriptionStore;
import dev.billing.spi.UsageStore;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * One unit of work on an {@link InMemoryStorage}: its areas, the undo log of every write, and the
 * failure that spoiled it, if any. Used by one thread, under the storage's lock.
 */
final class MemorySession implements StorageSession {

    private final Deque<Runnable> undoLog = new ArrayDeque<>(8);
    private final MemoryTables t;
    // each area is made when first asked for: a unit of work uses two or three of them
    private CatalogStore catalog;
    private AccountStore accounts;
    private ProfileStore profiles;
    private LedgerStore ledger;
    private SubscriptionStore subscriptions;
    private UsageStore usage;
    private RatingStore rating;
    private StatementStore statements;
    private IdempotencyStore idempotency;
    private EventStore events;
    private PaymentStore payments;
    private CouponStore coupons;
    private boolean closed;
    private RuntimeException failure;

    MemorySession(MemoryTables t) {
        this.t = t;
    }

    @Override
    public CatalogStore catalog() {
        if (catalog == null) {
            catalog = new MemoryCatalog(this, t);
        }
        return catalog;
    }

    @Override
    public AccountStore accounts() {
        if (accounts == null) {
            accounts = new MemoryAccounts(this, t);
        }
        return accounts;
    }

    @Override
    public ProfileStore profiles() {
        if (profiles == null) {
            profiles = new MemoryProfiles(this, t);
        }
        return profiles;
    }

    @Override
    public LedgerStore ledger() {
        if (ledger == null) {
            ledger = new MemoryLedger(this, t);
        }
        return ledger;
    }

    @Override
    public SubscriptionStore subscriptions() {
        if (subscriptions == null) {
            subscriptions = new MemorySubscriptions(this, t);
        }
        return subscriptions;
    }

    @Override
    public UsageStore usage() {
        if (usage == null) {
            usage = new MemoryUsage(this, t);
        }
        return usage;
    }

    @Override
    public RatingStore rating() {
        if (rating == null) {
            rating = new MemoryRating(this, t);
        }
        return rating;
    }

    @Override
    public StatementStore statements() {
        if (statements == null) {
            statements = new MemoryStatements(this, t);
        }
        return statements;
    }

    @Override
    public IdempotencyStore idempotency() {
        if (idempotency == null) {
            idempotency = new MemoryIdempotency(this, t);
        }
        return idempotency;
    }

    @Override
    public EventStore events() {
        if (events == null) {
            events = new MemoryEvents(this, t);
        }
        return events;
    }

    @Override
    public PaymentStore payments() {
        if (payments == null) {
            payments = new MemoryPayments(this, t);
        }
        return payments;
    }

    @Override
    public CouponStore coupons() {
        if (coupons == null) {
            coupons = new MemoryCoupons(this, t);
        }
        return coupons;
    }

    /** Refuses a call outside the unit of work, or after one of its calls failed. */
    void check() {
        if (closed) {
            throw new IllegalStateException("the session is used outside its unit of work");
        }
        if (failure != null) {
            // the failure's kind, so that the engine retries what it would have retried
            String message = "refused: an earlier call of this unit of work failed: " + failure.getMessage();
            if (failure instanceof DuplicateKeyException) {
                throw new DuplicateKeyException(message, failure);
            }
            throw new StorageException(message, failure);
        }
    }

    /** Spoils the session, as a database's aborted transaction is: nothing more, and no commit. */
    <E extends RuntimeException> E spoil(E e) {
        failure = e;
        return e;
    }

    /** @return the failure that spoiled the session, or {@code null} */
    RuntimeException failure() {
        return failure;
    }

    /** Writes {@code key -> value} into {@code map}, undoably. */
    <K, V> void put(Map<K, V> map, K key, V value) {
        V old = map.put(key, value);
        undoLog.push(old == null ? () -> map.remove(key) : () -> map.put(key, old));
    }

    /** Registers how to undo a write that {@link #put} does not cover. */
    void onUndo(Runnable undo) {
        undoLog.push(undo);
    }

    void undo() {
        while (!undoLog.isEmpty()) {
            undoLog.pop().run();
        }
    }

    void close() {
        closed = true;
    }
}
