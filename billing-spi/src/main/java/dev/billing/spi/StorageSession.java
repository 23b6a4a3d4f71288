package dev.billing.spi;

/**
 * One unit of work's access to the storage, by area: each accessor hands out the same view for the
 * whole unit of work, and every view reads and writes within it. Valid only during
 * {@link StorageWork#run(StorageSession)}; not to be shared between threads.
 *
 * <p>Each area's contract (its uniqueness constraints, compare-and-sets and orders) is documented on its
 * interface. Uniqueness is enforced by the store, throwing {@link DuplicateKeyException}, even against a
 * concurrent unit of work in another process. Orders are part of the contract: the engine and its
 * users rely on them being stable. A call that fails with a {@link StorageException} spoils the whole
 * unit of work ({@link BillingStorage#inTransaction}).
 */
public interface StorageSession {

    /** @return regions and plans */
    CatalogStore catalog();

    /** @return accounts and their balances */
    AccountStore accounts();

    /** @return billing profiles: hierarchy, kind, open period, billing cycle */
    ProfileStore profiles();

    /** @return transactions and their postings */
    LedgerStore ledger();

    /** @return subscriptions to plans */
    SubscriptionStore subscriptions();

    /** @return metered usage events */
    UsageStore usage();

    /** @return the rate card and commitments */
    RatingStore rating();

    /** @return statements of closed periods */
    StatementStore statements();

    /** @return remembered calls by idempotency key */
    IdempotencyStore idempotency();

    /** @return the outbox of events for the host */
    EventStore events();

    /** @return recharges through payment providers */
    PaymentStore payments();

    /** @return coupons */
    CouponStore coupons();
}
