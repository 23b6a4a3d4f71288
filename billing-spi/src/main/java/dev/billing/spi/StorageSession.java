package dev.billing.spi;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

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

    /**
     * Reads the plan and region of a checkout ({@link CatalogStore#findPlanAndRegion}) and the buyer's
     * billing profile ({@link ProfileStore#findBillingProfile}). One call so that a store can make it one
     * read (one round trip on a database server): a checkout's reads before its writes. The default makes
     * the two calls.
     *
     * @param planId the plan's id
     * @param regionId the region's id (not necessarily the plan's own region)
     * @param namespace the buyer's account
     * @return what the two calls return for these ids
     */
    default PlanAndProfile findPlanAndProfile(String planId, String regionId, String namespace) {
        return new PlanAndProfile(catalog().findPlanAndRegion(planId, regionId),
                profiles().findBillingProfile(namespace).orElse(null));
    }

    /**
     * Changes an account's balance and appends the transaction that records the change: what
     * {@link AccountStore#applyBalanceDelta} does, then, when it changed the balance,
     * {@link LedgerStore#appendTransaction} with the new balance as the transaction's {@code balanceAfter}.
     * One call so that a store can make it one step (one statement on PostgreSQL): the account's row is
     * held from this step to the end of the unit of work instead of from a round trip earlier, which is
     * what bounds concurrent units of work on one account. The default makes the two calls.
     *
     * @param namespace the account
     * @param delta the signed change
     * @param floor the lowest balance allowed after the change, or {@code null} for no lower limit
     * @param transaction the transaction; its {@code balanceAfter} is replaced by the account's new balance
     * @param postings its postings, which must sum to zero per currency
     * @return the account with its new balance, or empty when {@link AccountStore#applyBalanceDelta} would
     *     be (then nothing changed and nothing was appended)
     * @throws DuplicateKeyException as {@link LedgerStore#appendTransaction}
     */
    default Optional<AccountRecord> applyBalanceDeltaAndAppend(String namespace, BigDecimal delta, BigDecimal floor,
            TransactionRecord transaction, List<PostingRecord> postings) {
        Optional<AccountRecord> changed = accounts().applyBalanceDelta(namespace, delta, floor);
        changed.ifPresent(a -> ledger().appendTransaction(transaction.withBalanceAfter(a.balance()), postings));
        return changed;
    }
}
