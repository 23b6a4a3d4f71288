package dev.billing.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reads and writes the engine makes inside one unit of work. Valid only during
 * {@link StorageWork#run(StorageSession)}; not to be shared between threads.
 *
 * <p>Uniqueness a store must enforce (throwing {@link DuplicateKeyException}, even against a
 * concurrent unit of work in another process): region id, plan id, account namespace, transaction
 * id, {@link TransactionRecord#refundOf() refundOf} among transactions, subscription id,
 * {@code (namespace, key)} of idempotency records, billing profile namespace,
 * {@code (namespace, eventId)} of usage, statement id and {@code (namespace, periodStart)} of statements.
 * Rates are keyed by {@code (offeringCode, chargeType, effectiveFrom)} and commitments by
 * {@code (namespace, id)}; putting one with an existing key replaces it.
 *
 * <p>Orders are part of the contract: the engine and its users rely on them being stable.
 */
public interface StorageSession {

    /**
     * Balances stay below this, 10^15, so that every store keeps them exactly (DECIMAL(19,4) in SQL):
     * {@link #applyBalanceDelta} refuses a change that would reach it.
     */
    BigDecimal MAX_BALANCE = BigDecimal.TEN.pow(15);

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
     * work can neither lose this update nor see a result below {@code floor} or at {@link #MAX_BALANCE}.
     *
     * @param namespace the account
     * @param delta the signed change
     * @param floor the lowest balance allowed after the change, or {@code null} for no lower limit
     * @return the new balance, or empty when the change would take the balance below {@code floor}, or
     *     to {@link #MAX_BALANCE} or above (then nothing changed)
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

    // ---- rate card ----

    /** Inserts or replaces the rate of {@code (offeringCode, chargeType, effectiveFrom)}. */
    void putRate(RateRecord rate);

    /**
     * @param offeringCode the product, or {@code null} for every product
     * @param chargeType the charge type, or {@code null} for every charge type
     * @return the matching rates, by offering code, charge type, then effective date
     */
    List<RateRecord> listRates(String offeringCode, String chargeType);

    // ---- billing profiles ----

    /**
     * Inserts an account's billing profile.
     *
     * @throws DuplicateKeyException when the namespace has one
     */
    void insertBillingProfile(BillingProfileRecord profile);

    /** @return the namespace's billing profile */
    Optional<BillingProfileRecord> findBillingProfile(String namespace);

    /**
     * Like {@link #findBillingProfile}, but first takes the profile's row lock for the rest of the unit
     * of work, so that what it returns is the newest committed profile and no concurrent unit of work
     * can change it before this one ends. A read-modify-write of a profile starts here, or a concurrent
     * change between the read and the write would be lost.
     *
     * @param namespace the account
     * @return the profile, or empty when the account has none (then nothing is locked)
     */
    Optional<BillingProfileRecord> lockBillingProfile(String namespace);

    /**
     * Replaces a billing profile, provided its stored period still starts at {@code expectedPeriodStart}
     * (compare-and-set: of two units of work closing the same period, one wins).
     *
     * @return whether the profile was replaced
     */
    boolean replaceBillingProfile(BillingProfileRecord next, Instant expectedPeriodStart);

    /** @return the profiles whose parent is {@code parent}, by namespace */
    List<BillingProfileRecord> listChildren(String parent);

    /**
     * @param now the moment
     * @param limit at most this many
     * @return profiles whose open period ends at or before {@code now}, by period end, then namespace
     */
    List<BillingProfileRecord> listPeriodsDue(Instant now, int limit);

    // ---- usage ----

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

    // ---- commitments ----

    /** Inserts or replaces the commitment {@code (namespace, id)}. */
    void putCommitment(CommitmentRecord commitment);

    /** @return the namespace's commitments, by id */
    List<CommitmentRecord> listCommitments(String namespace);

    // ---- statements ----

    /**
     * Stores a statement and its lines, for an account with no ancestors.
     *
     * @throws DuplicateKeyException when the id, or {@code (namespace, periodStart)}, exists
     */
    default void insertStatement(StatementRecord statement, List<StatementLineRecord> lines) {
        insertStatement(statement, lines, List.of());
    }

    /**
     * Stores a statement and its lines, and records it under its account's ancestors at the time it
     * was made: the hierarchy totals of those ancestors count it ({@link #sumAncestorShares}), whatever
     * the hierarchy becomes later.
     *
     * @param ancestors the parent, the parent's parent, and so on; empty for a root
     * @throws DuplicateKeyException when the id, or {@code (namespace, periodStart)}, exists
     */
    void insertStatement(StatementRecord statement, List<StatementLineRecord> lines, List<String> ancestors);

    /**
     * The hierarchy share of {@code ancestor} in a period: the charge totals of the statements recorded
     * under it whose period ends within {@code (endAfter, endUpTo]}, summed by the store.
     *
     * @return the sum, zero when there are none
     */
    BigDecimal sumAncestorShares(String ancestor, Instant endAfter, Instant endUpTo);

    /** @return the namespace's statements, newest period first */
    List<StatementRecord> listStatements(String namespace);

    /** @return the statement's lines, by line number */
    List<StatementLineRecord> listStatementLines(String statementId);

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
