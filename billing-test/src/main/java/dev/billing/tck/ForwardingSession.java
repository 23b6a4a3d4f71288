package dev.billing.tck;

import dev.billing.spi.AccountRecord;
import dev.billing.spi.AccountStore;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.CatalogStore;
import dev.billing.spi.CommitmentRecord;
import dev.billing.spi.CouponRecord;
import dev.billing.spi.CouponStore;
import dev.billing.spi.EventRecord;
import dev.billing.spi.EventStore;
import dev.billing.spi.IdempotencyRecord;
import dev.billing.spi.IdempotencyStore;
import dev.billing.spi.LedgerStore;
import dev.billing.spi.PaymentRecord;
import dev.billing.spi.PaymentStore;
import dev.billing.spi.PlanAndProfile;
import dev.billing.spi.PlanAndRegion;
import dev.billing.spi.PlanRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.ProfileStore;
import dev.billing.spi.RateRecord;
import dev.billing.spi.RatingStore;
import dev.billing.spi.RegionRecord;
import dev.billing.spi.StatementLineRecord;
import dev.billing.spi.StatementRecord;
import dev.billing.spi.StatementStore;
import dev.billing.spi.StorageSession;
import dev.billing.spi.SubscriptionRecord;
import dev.billing.spi.SubscriptionStore;
import dev.billing.spi.TransactionRecord;
import dev.billing.spi.UsageRecord;
import dev.billing.spi.UsageStore;
import dev.billing.spi.UsageSum;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link StorageSession} that forwards every call to another session, telling an {@link Interceptor}
 * of each call first: the base of the test doubles that fail, pause or watch a storage (such as
 * {@link FaultyStorage}). A double that needs a call's arguments subclasses the area's forwarding class
 * and hands it out from an overridden accessor. Every SPI method is implemented here, so a new one does
 * not compile until it is forwarded and given its {@link StorageCall}.
 *
 * <p>{@link #applyBalanceDeltaAndAppend} and {@link #findPlanAndProfile} are forwarded as one call each
 * ({@link StorageCall#APPLY_BALANCE_DELTA_AND_APPEND}, {@link StorageCall#FIND_PLAN_AND_PROFILE}) to the
 * wrapped session, so that a storage that makes them one step is tested as it runs; a subclass that
 * overrides an area's accessor does not see the calls they make.
 *
 * <p>Used like the session it wraps: by one thread, within its unit of work. Longer than most files on
 * purpose: one forwarding class per SPI area, all in one place, so that an SPI method added anywhere is
 * forwarded here before anything compiles.
 */
public class ForwardingSession implements StorageSession {

    /** Told of every call before it reaches the delegate; it may throw to fail the call, or block. */
    @FunctionalInterface
    public interface Interceptor {
        /** @param call the call about to be forwarded */
        void before(StorageCall call);
    }

    private final StorageSession delegate;
    private final Interceptor calls;
    private final CatalogStore catalog;
    private final AccountStore accounts;
    private final ProfileStore profiles;
    private final LedgerStore ledger;
    private final SubscriptionStore subscriptions;
    private final UsageStore usage;
    private final RatingStore rating;
    private final StatementStore statements;
    private final IdempotencyStore idempotency;
    private final EventStore events;
    private final PaymentStore payments;
    private final CouponStore coupons;

    /**
     * @param delegate the session every call is forwarded to
     * @param calls told of every call first
     */
    public ForwardingSession(StorageSession delegate, Interceptor calls) {
        this.delegate = delegate;
        this.calls = calls;
        this.catalog = new ForwardingCatalogStore(delegate.catalog(), calls);
        this.accounts = new ForwardingAccountStore(delegate.accounts(), calls);
        this.profiles = new ForwardingProfileStore(delegate.profiles(), calls);
        this.ledger = new ForwardingLedgerStore(delegate.ledger(), calls);
        this.subscriptions = new ForwardingSubscriptionStore(delegate.subscriptions(), calls);
        this.usage = new ForwardingUsageStore(delegate.usage(), calls);
        this.rating = new ForwardingRatingStore(delegate.rating(), calls);
        this.statements = new ForwardingStatementStore(delegate.statements(), calls);
        this.idempotency = new ForwardingIdempotencyStore(delegate.idempotency(), calls);
        this.events = new ForwardingEventStore(delegate.events(), calls);
        this.payments = new ForwardingPaymentStore(delegate.payments(), calls);
        this.coupons = new ForwardingCouponStore(delegate.coupons(), calls);
    }

    @Override
    public CatalogStore catalog() {
        return catalog;
    }

    @Override
    public AccountStore accounts() {
        return accounts;
    }

    @Override
    public ProfileStore profiles() {
        return profiles;
    }

    @Override
    public LedgerStore ledger() {
        return ledger;
    }

    @Override
    public SubscriptionStore subscriptions() {
        return subscriptions;
    }

    @Override
    public UsageStore usage() {
        return usage;
    }

    @Override
    public RatingStore rating() {
        return rating;
    }

    @Override
    public StatementStore statements() {
        return statements;
    }

    @Override
    public IdempotencyStore idempotency() {
        return idempotency;
    }

    @Override
    public EventStore events() {
        return events;
    }

    @Override
    public PaymentStore payments() {
        return payments;
    }

    @Override
    public CouponStore coupons() {
        return coupons;
    }

    @Override
    public PlanAndProfile findPlanAndProfile(String planId, String regionId, String namespace) {
        calls.before(StorageCall.FIND_PLAN_AND_PROFILE);
        return delegate.findPlanAndProfile(planId, regionId, namespace);
    }

    @Override
    public Optional<AccountRecord> applyBalanceDeltaAndAppend(String namespace, BigDecimal delta, BigDecimal floor,
            TransactionRecord transaction, List<PostingRecord> postings) {
        calls.before(StorageCall.APPLY_BALANCE_DELTA_AND_APPEND);
        return delegate.applyBalanceDeltaAndAppend(namespace, delta, floor, transaction, postings);
    }

    /** Forwards every CatalogStore call to the delegate, telling the interceptor first. */
    public static class ForwardingCatalogStore implements CatalogStore {

        /** The store calls are forwarded to. */
        protected final CatalogStore delegate;
        private final Interceptor calls;

        /**
         * @param delegate the store calls are forwarded to
         * @param calls told of every call before it is forwarded
         */
        public ForwardingCatalogStore(CatalogStore delegate, Interceptor calls) {
            this.delegate = delegate;
            this.calls = calls;
        }

        @Override
        public void putRegion(RegionRecord region) {
            calls.before(StorageCall.PUT_REGION);
            delegate.putRegion(region);
        }

        @Override
        public Optional<RegionRecord> findRegion(String id) {
            calls.before(StorageCall.FIND_REGION);
            return delegate.findRegion(id);
        }

        @Override
        public List<RegionRecord> listRegions() {
            calls.before(StorageCall.LIST_REGIONS);
            return delegate.listRegions();
        }

        @Override
        public void putPlan(PlanRecord plan) {
            calls.before(StorageCall.PUT_PLAN);
            delegate.putPlan(plan);
        }

        @Override
        public Optional<PlanRecord> findPlan(String id) {
            calls.before(StorageCall.FIND_PLAN);
            return delegate.findPlan(id);
        }

        @Override
        public void insertPlanVersion(PlanRecord plan) {
            calls.before(StorageCall.INSERT_PLAN_VERSION);
            delegate.insertPlanVersion(plan);
        }

        @Override
        public Optional<PlanRecord> findPlanVersion(String id, int version) {
            calls.before(StorageCall.FIND_PLAN_VERSION);
            return delegate.findPlanVersion(id, version);
        }

        @Override
        public PlanAndRegion findPlanAndRegion(String planId, String regionId) {
            calls.before(StorageCall.FIND_PLAN_AND_REGION);
            return delegate.findPlanAndRegion(planId, regionId);
        }

        @Override
        public List<PlanRecord> listPlans(String region, String type, String status) {
            calls.before(StorageCall.LIST_PLANS);
            return delegate.listPlans(region, type, status);
        }
    }

    /** Forwards every AccountStore call to the delegate, telling the interceptor first. */
    public static class ForwardingAccountStore implements AccountStore {

        /** The store calls are forwarded to. */
        protected final AccountStore delegate;
        private final Interceptor calls;

        /**
         * @param delegate the store calls are forwarded to
         * @param calls told of every call before it is forwarded
         */
        public ForwardingAccountStore(AccountStore delegate, Interceptor calls) {
            this.delegate = delegate;
            this.calls = calls;
        }

        @Override
        public void insertAccount(AccountRecord account) {
            calls.before(StorageCall.INSERT_ACCOUNT);
            delegate.insertAccount(account);
        }

        @Override
        public Optional<AccountRecord> findAccount(String namespace) {
            calls.before(StorageCall.FIND_ACCOUNT);
            return delegate.findAccount(namespace);
        }

        @Override
        public void setLowBalanceThreshold(String namespace, BigDecimal threshold) {
            calls.before(StorageCall.SET_LOW_BALANCE_THRESHOLD);
            delegate.setLowBalanceThreshold(namespace, threshold);
        }

        @Override
        public void updateAccountState(String namespace, String status, boolean notification) {
            calls.before(StorageCall.UPDATE_ACCOUNT_STATE);
            delegate.updateAccountState(namespace, status, notification);
        }

        @Override
        public void updateDunning(String namespace, boolean pastDue, java.time.Instant notifiedAt) {
            calls.before(StorageCall.UPDATE_DUNNING);
            delegate.updateDunning(namespace, pastDue, notifiedAt);
        }

        @Override
        public Optional<AccountRecord> applyBalanceDelta(String namespace, BigDecimal delta, BigDecimal floor) {
            calls.before(StorageCall.APPLY_BALANCE_DELTA);
            return delegate.applyBalanceDelta(namespace, delta, floor);
        }

        @Override
        public Optional<AccountRecord> applyDebtDelta(String namespace, BigDecimal delta) {
            calls.before(StorageCall.APPLY_DEBT_DELTA);
            return delegate.applyDebtDelta(namespace, delta);
        }
    }

    /** Forwards every ProfileStore call to the delegate, telling the interceptor first. */
    public static class ForwardingProfileStore implements ProfileStore {

        /** The store calls are forwarded to. */
        protected final ProfileStore delegate;
        private final Interceptor calls;

        /**
         * @param delegate the store calls are forwarded to
         * @param calls told of every call before it is forwarded
         */
        public ForwardingProfileStore(ProfileStore delegate, Interceptor calls) {
            this.delegate = delegate;
            this.calls = calls;
        }

        @Override
        public void insertBillingProfile(BillingProfileRecord profile) {
            calls.before(StorageCall.INSERT_BILLING_PROFILE);
            delegate.insertBillingProfile(profile);
        }

        @Override
        public Optional<BillingProfileRecord> findBillingProfile(String namespace) {
            calls.before(StorageCall.FIND_BILLING_PROFILE);
            return delegate.findBillingProfile(namespace);
        }

        @Override
        public Optional<BillingProfileRecord> lockBillingProfile(String namespace) {
            calls.before(StorageCall.LOCK_BILLING_PROFILE);
            return delegate.lockBillingProfile(namespace);
        }

        @Override
        public boolean replaceBillingProfile(BillingProfileRecord next, Instant expectedPeriodStart) {
            calls.before(StorageCall.REPLACE_BILLING_PROFILE);
            return delegate.replaceBillingProfile(next, expectedPeriodStart);
        }

        @Override
        public List<BillingProfileRecord> listChildren(String parent) {
            calls.before(StorageCall.LIST_CHILDREN);
            return delegate.listChildren(parent);
        }

        @Override
        public List<BillingProfileRecord> listPeriodsDue(Instant now, int limit) {
            calls.before(StorageCall.LIST_PERIODS_DUE);
            return delegate.listPeriodsDue(now, limit);
        }
    }

    /** Forwards every LedgerStore call to the delegate, telling the interceptor first. */
    public static class ForwardingLedgerStore implements LedgerStore {

        /** The store calls are forwarded to. */
        protected final LedgerStore delegate;
        private final Interceptor calls;

        /**
         * @param delegate the store calls are forwarded to
         * @param calls told of every call before it is forwarded
         */
        public ForwardingLedgerStore(LedgerStore delegate, Interceptor calls) {
            this.delegate = delegate;
            this.calls = calls;
        }

        @Override
        public long appendTransaction(TransactionRecord transaction, List<PostingRecord> postings) {
            calls.before(StorageCall.APPEND_TRANSACTION);
            return delegate.appendTransaction(transaction, postings);
        }

        @Override
        public Optional<TransactionRecord> findTransaction(String id) {
            calls.before(StorageCall.FIND_TRANSACTION);
            return delegate.findTransaction(id);
        }

        @Override
        public List<TransactionRecord> listTransactions(String namespace, long beforeSeq, int limit) {
            calls.before(StorageCall.LIST_TRANSACTIONS);
            return delegate.listTransactions(namespace, beforeSeq, limit);
        }

        @Override
        public BigDecimal sumPostings(String ledgerAccount) {
            calls.before(StorageCall.SUM_POSTINGS);
            return delegate.sumPostings(ledgerAccount);
        }

        @Override
        public Map<String, BigDecimal> sumPostingsByCurrency() {
            calls.before(StorageCall.SUM_POSTINGS_BY_CURRENCY);
            return delegate.sumPostingsByCurrency();
        }
    }

    /** Forwards every SubscriptionStore call to the delegate, telling the interceptor first. */
    public static class ForwardingSubscriptionStore implements SubscriptionStore {

        /** The store calls are forwarded to. */
        protected final SubscriptionStore delegate;
        private final Interceptor calls;

        /**
         * @param delegate the store calls are forwarded to
         * @param calls told of every call before it is forwarded
         */
        public ForwardingSubscriptionStore(SubscriptionStore delegate, Interceptor calls) {
            this.delegate = delegate;
            this.calls = calls;
        }

        @Override
        public void insertSubscription(SubscriptionRecord subscription) {
            calls.before(StorageCall.INSERT_SUBSCRIPTION);
            delegate.insertSubscription(subscription);
        }

        @Override
        public List<SubscriptionRecord> listSubscriptions(String namespace) {
            calls.before(StorageCall.LIST_SUBSCRIPTIONS);
            return delegate.listSubscriptions(namespace);
        }

        @Override
        public Optional<SubscriptionRecord> findSubscriptionByTransaction(String transactionId) {
            calls.before(StorageCall.FIND_SUBSCRIPTION_BY_TRANSACTION);
            return delegate.findSubscriptionByTransaction(transactionId);
        }

        @Override
        public void updateSubscriptionStatus(String id, String status) {
            calls.before(StorageCall.UPDATE_SUBSCRIPTION_STATUS);
            delegate.updateSubscriptionStatus(id, status);
        }

        @Override
        public boolean replaceSubscription(SubscriptionRecord next, long expectedRevision) {
            calls.before(StorageCall.REPLACE_SUBSCRIPTION);
            return delegate.replaceSubscription(next, expectedRevision);
        }

        @Override
        public List<SubscriptionRecord> listSubscriptionsDue(Instant horizon, Instant afterPeriodEnd, String afterId,
                int limit) {
            calls.before(StorageCall.LIST_SUBSCRIPTIONS_DUE);
            return delegate.listSubscriptionsDue(horizon, afterPeriodEnd, afterId, limit);
        }

        @Override
        public Optional<SubscriptionRecord> findSubscription(String id) {
            calls.before(StorageCall.FIND_SUBSCRIPTION);
            return delegate.findSubscription(id);
        }
    }

    /** Forwards every UsageStore call to the delegate, telling the interceptor first. */
    public static class ForwardingUsageStore implements UsageStore {

        /** The store calls are forwarded to. */
        protected final UsageStore delegate;
        private final Interceptor calls;

        /**
         * @param delegate the store calls are forwarded to
         * @param calls told of every call before it is forwarded
         */
        public ForwardingUsageStore(UsageStore delegate, Interceptor calls) {
            this.delegate = delegate;
            this.calls = calls;
        }

        @Override
        public void insertUsage(UsageRecord usage) {
            calls.before(StorageCall.INSERT_USAGE);
            delegate.insertUsage(usage);
        }

        @Override
        public Optional<UsageRecord> findUsage(String namespace, String eventId) {
            calls.before(StorageCall.FIND_USAGE);
            return delegate.findUsage(namespace, eventId);
        }

        @Override
        public void insertUsages(List<UsageRecord> usages) {
            calls.before(StorageCall.INSERT_USAGES);
            delegate.insertUsages(usages);
        }

        @Override
        public Set<String> findUsageIds(String namespace, Collection<String> eventIds) {
            calls.before(StorageCall.FIND_USAGE_IDS);
            return delegate.findUsageIds(namespace, eventIds);
        }

        @Override
        public List<UsageSum> sumUsage(String namespace, Instant from, Instant to) {
            calls.before(StorageCall.SUM_USAGE);
            return delegate.sumUsage(namespace, from, to);
        }

        @Override
        public List<UsageSum> findUsageTotals(String namespace, Instant start, Instant end) {
            calls.before(StorageCall.FIND_USAGE_TOTALS);
            return delegate.findUsageTotals(namespace, start, end);
        }

        @Override
        public void putUsageTotals(String namespace, Instant start, Instant end, List<UsageSum> totals) {
            calls.before(StorageCall.PUT_USAGE_TOTALS);
            delegate.putUsageTotals(namespace, start, end, totals);
        }

        @Override
        public boolean anyUsageSince(String offeringCode, String chargeType, Instant from) {
            calls.before(StorageCall.ANY_USAGE_SINCE);
            return delegate.anyUsageSince(offeringCode, chargeType, from);
        }
    }

    /** Forwards every RatingStore call to the delegate, telling the interceptor first. */
    public static class ForwardingRatingStore implements RatingStore {

        /** The store calls are forwarded to. */
        protected final RatingStore delegate;
        private final Interceptor calls;

        /**
         * @param delegate the store calls are forwarded to
         * @param calls told of every call before it is forwarded
         */
        public ForwardingRatingStore(RatingStore delegate, Interceptor calls) {
            this.delegate = delegate;
            this.calls = calls;
        }

        @Override
        public void putRate(RateRecord rate) {
            calls.before(StorageCall.PUT_RATE);
            delegate.putRate(rate);
        }

        @Override
        public List<RateRecord> listRates(String offeringCode, String chargeType) {
            calls.before(StorageCall.LIST_RATES);
            return delegate.listRates(offeringCode, chargeType);
        }

        @Override
        public void putCommitment(CommitmentRecord commitment) {
            calls.before(StorageCall.PUT_COMMITMENT);
            delegate.putCommitment(commitment);
        }

        @Override
        public List<CommitmentRecord> listCommitments(String namespace) {
            calls.before(StorageCall.LIST_COMMITMENTS);
            return delegate.listCommitments(namespace);
        }
    }

    /** Forwards every StatementStore call to the delegate, telling the interceptor first. */
    public static class ForwardingStatementStore implements StatementStore {

        /** The store calls are forwarded to. */
        protected final StatementStore delegate;
        private final Interceptor calls;

        /**
         * @param delegate the store calls are forwarded to
         * @param calls told of every call before it is forwarded
         */
        public ForwardingStatementStore(StatementStore delegate, Interceptor calls) {
            this.delegate = delegate;
            this.calls = calls;
        }

        @Override
        public void insertStatement(StatementRecord statement, List<StatementLineRecord> lines, List<String> ancestors) {
            calls.before(StorageCall.INSERT_STATEMENT);
            delegate.insertStatement(statement, lines, ancestors);
        }

        @Override
        public BigDecimal sumAncestorShares(String ancestor, Instant endAfter, Instant endUpTo) {
            calls.before(StorageCall.SUM_ANCESTOR_SHARES);
            return delegate.sumAncestorShares(ancestor, endAfter, endUpTo);
        }

        @Override
        public List<StatementRecord> listStatements(String namespace) {
            calls.before(StorageCall.LIST_STATEMENTS);
            return delegate.listStatements(namespace);
        }

        @Override
        public List<StatementLineRecord> listStatementLines(String statementId) {
            calls.before(StorageCall.LIST_STATEMENT_LINES);
            return delegate.listStatementLines(statementId);
        }
    }

    /** Forwards every IdempotencyStore call to the delegate, telling the interceptor first. */
    public static class ForwardingIdempotencyStore implements IdempotencyStore {

        /** The store calls are forwarded to. */
        protected final IdempotencyStore delegate;
        private final Interceptor calls;

        /**
         * @param delegate the store calls are forwarded to
         * @param calls told of every call before it is forwarded
         */
        public ForwardingIdempotencyStore(IdempotencyStore delegate, Interceptor calls) {
            this.delegate = delegate;
            this.calls = calls;
        }

        @Override
        public Optional<IdempotencyRecord> findIdempotency(String namespace, String key) {
            calls.before(StorageCall.FIND_IDEMPOTENCY);
            return delegate.findIdempotency(namespace, key);
        }

        @Override
        public void insertIdempotency(IdempotencyRecord record) {
            calls.before(StorageCall.INSERT_IDEMPOTENCY);
            delegate.insertIdempotency(record);
        }
    }

    /** Forwards every EventStore call to the delegate, telling the interceptor first. */
    public static class ForwardingEventStore implements EventStore {

        /** The store calls are forwarded to. */
        protected final EventStore delegate;
        private final Interceptor calls;

        /**
         * @param delegate the store calls are forwarded to
         * @param calls told of every call before it is forwarded
         */
        public ForwardingEventStore(EventStore delegate, Interceptor calls) {
            this.delegate = delegate;
            this.calls = calls;
        }

        @Override
        public void appendEvent(EventRecord event) {
            calls.before(StorageCall.APPEND_EVENT);
            delegate.appendEvent(event);
        }

        @Override
        public int sequenceEvents(int limit) {
            calls.before(StorageCall.SEQUENCE_EVENTS);
            return delegate.sequenceEvents(limit);
        }

        @Override
        public List<EventRecord> listEvents(String namespace, long afterPosition, int limit) {
            calls.before(StorageCall.LIST_EVENTS);
            return delegate.listEvents(namespace, afterPosition, limit);
        }

        @Override
        public long findCursor(String consumer) {
            calls.before(StorageCall.FIND_CURSOR);
            return delegate.findCursor(consumer);
        }

        @Override
        public boolean moveCursor(String consumer, long expected, long next) {
            calls.before(StorageCall.MOVE_CURSOR);
            return delegate.moveCursor(consumer, expected, next);
        }

        @Override
        public int deleteEvents(long upToPosition, java.time.Instant occurredBefore, int limit) {
            calls.before(StorageCall.DELETE_EVENTS);
            return delegate.deleteEvents(upToPosition, occurredBefore, limit);
        }

        @Override
        public boolean insertCursor(String consumer) {
            calls.before(StorageCall.INSERT_CURSOR);
            return delegate.insertCursor(consumer);
        }

        @Override
        public Map<String, Long> listCursors() {
            calls.before(StorageCall.LIST_CURSORS);
            return delegate.listCursors();
        }

        @Override
        public boolean deleteCursor(String consumer) {
            calls.before(StorageCall.DELETE_CURSOR);
            return delegate.deleteCursor(consumer);
        }
    }

    /** Forwards every PaymentStore call to the delegate, telling the interceptor first. */
    public static class ForwardingPaymentStore implements PaymentStore {

        /** The store calls are forwarded to. */
        protected final PaymentStore delegate;
        private final Interceptor calls;

        /**
         * @param delegate the store calls are forwarded to
         * @param calls told of every call before it is forwarded
         */
        public ForwardingPaymentStore(PaymentStore delegate, Interceptor calls) {
            this.delegate = delegate;
            this.calls = calls;
        }

        @Override
        public void insertPayment(PaymentRecord payment) {
            calls.before(StorageCall.INSERT_PAYMENT);
            delegate.insertPayment(payment);
        }

        @Override
        public Optional<PaymentRecord> findPayment(String provider, String providerRef) {
            calls.before(StorageCall.FIND_PAYMENT);
            return delegate.findPayment(provider, providerRef);
        }

        @Override
        public boolean settlePayment(PaymentRecord settled) {
            calls.before(StorageCall.SETTLE_PAYMENT);
            return delegate.settlePayment(settled);
        }

        @Override
        public List<PaymentRecord> listPayments(String namespace) {
            calls.before(StorageCall.LIST_PAYMENTS);
            return delegate.listPayments(namespace);
        }

        @Override
        public List<PaymentRecord> listPaymentsExpired(Instant now, int limit) {
            calls.before(StorageCall.LIST_PAYMENTS_EXPIRED);
            return delegate.listPaymentsExpired(now, limit);
        }
    }

    /** Forwards every CouponStore call to the delegate, telling the interceptor first. */
    public static class ForwardingCouponStore implements CouponStore {

        /** The store calls are forwarded to. */
        protected final CouponStore delegate;
        private final Interceptor calls;

        /**
         * @param delegate the store calls are forwarded to
         * @param calls told of every call before it is forwarded
         */
        public ForwardingCouponStore(CouponStore delegate, Interceptor calls) {
            this.delegate = delegate;
            this.calls = calls;
        }

        @Override
        public void insertCoupons(List<CouponRecord> coupons) {
            calls.before(StorageCall.INSERT_COUPONS);
            delegate.insertCoupons(coupons);
        }

        @Override
        public Optional<CouponRecord> findCoupon(String code) {
            calls.before(StorageCall.FIND_COUPON);
            return delegate.findCoupon(code);
        }

        @Override
        public boolean settleCoupon(CouponRecord settled) {
            calls.before(StorageCall.SETTLE_COUPON);
            return delegate.settleCoupon(settled);
        }

        @Override
        public List<CouponRecord> listCoupons(String batchId) {
            calls.before(StorageCall.LIST_COUPONS);
            return delegate.listCoupons(batchId);
        }
    }
}
