package dev.billing.spi;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads and writes the engine makes inside one unit of work. Valid only during
 * {@link StorageWork#run(StorageSession)}; not to be shared between threads.
 *
 * <p>Uniqueness a store must enforce (throwing {@link DuplicateKeyException}, even against a
 * concurrent unit of work in another process): region id, plan id, account namespace, transaction
 * id, {@link TransactionRecord#refundOf() refundOf} among transactions, subscription id, and
 * {@code (namespace, key)} of idempotency records.
 *
 * <p>Orders are part of the contract: the engine and its users rely on them being stable.
 */
public interface StorageSession {

    // ---- catalog ----

    /** Inserts or replaces the region with this id. */
    void putRegion(RegionRecord region);

    /** @return the region with this id */
    Optional<RegionRecord> findRegion(String id);

    /** @return every region, by id */
    List<RegionRecord> listRegions();

    /** Inserts or replaces the plan with this id. */
    void putPlan(PlanRecord plan);

    /** @return the plan with this id */
    Optional<PlanRecord> findPlan(String id);

    /**
     * Lists plans of a region.
     *
     * @param region the region id
     * @param type a plan type matched case-insensitively (by {@link java.util.Locale#ROOT} lower case), or {@code null} for all
     * @param status a plan status, or {@code null} for all
     * @return the matching plans, by price, then id
     */
    List<PlanRecord> listPlans(String region, String type, String status);

    // ---- accounts ----

    /**
     * Inserts a new account.
     *
     * @throws DuplicateKeyException when an account with this namespace exists
     */
    void insertAccount(AccountRecord account);

    /** @return the account of this namespace */
    Optional<AccountRecord> findAccount(String namespace);

    /** Sets an existing account's status and notification flag. */
    void updateAccountState(String namespace, String status, boolean notification);

    /**
     * Adds {@code delta} to an account's balance as one atomic, conditional step: a concurrent unit of
     * work can neither lose this update nor see a result below {@code floor}.
     *
     * @param namespace the account
     * @param delta the signed change
     * @param floor the lowest balance allowed after the change, or {@code null} for no limit
     * @return the new balance, or empty when the change would take the balance below {@code floor}
     *     (then nothing changed)
     * @throws StorageException when the account does not exist
     */
    Optional<BigDecimal> applyBalanceDelta(String namespace, BigDecimal delta, BigDecimal floor);

    // ---- ledger ----

    /**
     * Appends a transaction and its postings, which must sum to zero per currency.
     *
     * @return the sequence the store assigned to the transaction
     * @throws DuplicateKeyException when the id exists, or another refund names the same {@code refundOf}
     */
    long appendTransaction(TransactionRecord transaction, List<PostingRecord> postings);

    /** @return the transaction with this id, with {@code seq} and {@code refundedBy} filled */
    Optional<TransactionRecord> findTransaction(String id);

    /**
     * Lists a namespace's transactions, newest (highest seq) first.
     *
     * @param namespace the account
     * @param beforeSeq only transactions with a smaller seq; {@link Long#MAX_VALUE} for the newest
     * @param limit at most this many
     * @return the page, with {@code seq} and {@code refundedBy} filled
     */
    List<TransactionRecord> listTransactions(String namespace, long beforeSeq, int limit);

    /** @return the sum of the postings to this ledger account, zero when there are none */
    BigDecimal sumPostings(String ledgerAccount);

    /** @return the sum of all postings per currency code; every value is zero in a sound ledger */
    Map<String, BigDecimal> sumPostingsByCurrency();

    // ---- subscriptions ----

    /** Inserts a subscription. */
    void insertSubscription(SubscriptionRecord subscription);

    /** @return the namespace's subscriptions, oldest period start first, then by id */
    List<SubscriptionRecord> listSubscriptions(String namespace);

    /** @return the subscription opened or renewed by this purchase */
    Optional<SubscriptionRecord> findSubscriptionByTransaction(String transactionId);

    /** Sets an existing subscription's status. */
    void updateSubscriptionStatus(String id, String status);

    // ---- idempotency ----

    /** @return the remembered call with this key */
    Optional<IdempotencyRecord> findIdempotency(String namespace, String key);

    /**
     * Remembers a call.
     *
     * @throws DuplicateKeyException when {@code (namespace, key)} exists
     */
    void insertIdempotency(IdempotencyRecord record);

    // ---- whole state ----

    /** @return everything the store holds; loads every row */
    StorageSnapshot snapshot();
}
