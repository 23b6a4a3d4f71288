package dev.billing.tck;

/**
 * Every call of the storage SPI's areas, as {@link ForwardingSession} reports it, and whether it writes.
 */
public enum StorageCall {
    /** {@link dev.billing.spi.CatalogStore#putRegion} */
    PUT_REGION(true),
    /** {@link dev.billing.spi.CatalogStore#findRegion} */
    FIND_REGION(false),
    /** {@link dev.billing.spi.CatalogStore#listRegions} */
    LIST_REGIONS(false),
    /** {@link dev.billing.spi.CatalogStore#putPlan} */
    PUT_PLAN(true),
    /** {@link dev.billing.spi.CatalogStore#findPlan} */
    FIND_PLAN(false),
    /** {@link dev.billing.spi.CatalogStore#insertPlanVersion} */
    INSERT_PLAN_VERSION(true),
    /** {@link dev.billing.spi.CatalogStore#findPlanVersion} */
    FIND_PLAN_VERSION(false),
    /** {@link dev.billing.spi.CatalogStore#findPlanAndRegion} */
    FIND_PLAN_AND_REGION(false),
    /** {@link dev.billing.spi.StorageSession#findPlanAndProfile} */
    FIND_PLAN_AND_PROFILE(false),
    /** {@link dev.billing.spi.CatalogStore#listPlans} */
    LIST_PLANS(false),
    /** {@link dev.billing.spi.AccountStore#insertAccount} */
    INSERT_ACCOUNT(true),
    /** {@link dev.billing.spi.AccountStore#findAccount} */
    FIND_ACCOUNT(false),
    /** {@link dev.billing.spi.AccountStore#setLowBalanceThreshold} */
    SET_LOW_BALANCE_THRESHOLD(true),
    /** {@link dev.billing.spi.AccountStore#updateAccountState} */
    UPDATE_ACCOUNT_STATE(true),
    /** {@link dev.billing.spi.AccountStore#updateDunning} */
    UPDATE_DUNNING(true),
    /** {@link dev.billing.spi.AccountStore#applyBalanceDelta} */
    APPLY_BALANCE_DELTA(true),
    /** {@link dev.billing.spi.StorageSession#applyBalanceDeltaAndAppend} */
    APPLY_BALANCE_DELTA_AND_APPEND(true),
    /** {@link dev.billing.spi.AccountStore#applyDebtDelta} */
    APPLY_DEBT_DELTA(true),
    /** {@link dev.billing.spi.ProfileStore#insertBillingProfile} */
    INSERT_BILLING_PROFILE(true),
    /** {@link dev.billing.spi.ProfileStore#findBillingProfile} */
    FIND_BILLING_PROFILE(false),
    /** {@link dev.billing.spi.ProfileStore#lockBillingProfile} */
    LOCK_BILLING_PROFILE(false),
    /** {@link dev.billing.spi.ProfileStore#replaceBillingProfile} */
    REPLACE_BILLING_PROFILE(true),
    /** {@link dev.billing.spi.ProfileStore#listChildren} */
    LIST_CHILDREN(false),
    /** {@link dev.billing.spi.ProfileStore#listPeriodsDue} */
    LIST_PERIODS_DUE(false),
    /** {@link dev.billing.spi.LedgerStore#appendTransaction} */
    APPEND_TRANSACTION(true),
    /** {@link dev.billing.spi.LedgerStore#findTransaction} */
    FIND_TRANSACTION(false),
    /** {@link dev.billing.spi.LedgerStore#listTransactions} */
    LIST_TRANSACTIONS(false),
    /** {@link dev.billing.spi.LedgerStore#sumPostings} */
    SUM_POSTINGS(false),
    /** {@link dev.billing.spi.LedgerStore#sumPostingsByCurrency} */
    SUM_POSTINGS_BY_CURRENCY(false),
    /** {@link dev.billing.spi.SubscriptionStore#insertSubscription} */
    INSERT_SUBSCRIPTION(true),
    /** {@link dev.billing.spi.SubscriptionStore#listSubscriptions} */
    LIST_SUBSCRIPTIONS(false),
    /** {@link dev.billing.spi.SubscriptionStore#findSubscriptionByTransaction} */
    FIND_SUBSCRIPTION_BY_TRANSACTION(false),
    /** {@link dev.billing.spi.SubscriptionStore#updateSubscriptionStatus} */
    UPDATE_SUBSCRIPTION_STATUS(true),
    /** {@link dev.billing.spi.SubscriptionStore#replaceSubscription} */
    REPLACE_SUBSCRIPTION(true),
    /** {@link dev.billing.spi.SubscriptionStore#findSubscription} */
    FIND_SUBSCRIPTION(false),
    /** {@link dev.billing.spi.SubscriptionStore#listSubscriptionsDue} */
    LIST_SUBSCRIPTIONS_DUE(false),
    /** {@link dev.billing.spi.UsageStore#insertUsage} */
    INSERT_USAGE(true),
    /** {@link dev.billing.spi.UsageStore#findUsage} */
    FIND_USAGE(false),
    /** {@link dev.billing.spi.UsageStore#insertUsages} */
    INSERT_USAGES(true),
    /** {@link dev.billing.spi.UsageStore#findUsageIds} */
    FIND_USAGE_IDS(false),
    /** {@link dev.billing.spi.UsageStore#sumUsage} */
    SUM_USAGE(false),
    /** {@link dev.billing.spi.UsageStore#findUsageTotals} */
    FIND_USAGE_TOTALS(false),
    /** {@link dev.billing.spi.UsageStore#putUsageTotals} */
    PUT_USAGE_TOTALS(true),
    /** {@link dev.billing.spi.UsageStore#anyUsageSince} */
    ANY_USAGE_SINCE(false),
    /** {@link dev.billing.spi.RatingStore#putRate} */
    PUT_RATE(true),
    /** {@link dev.billing.spi.RatingStore#listRates} */
    LIST_RATES(false),
    /** {@link dev.billing.spi.RatingStore#putCommitment} */
    PUT_COMMITMENT(true),
    /** {@link dev.billing.spi.RatingStore#listCommitments} */
    LIST_COMMITMENTS(false),
    /** {@link dev.billing.spi.StatementStore#insertStatement} */
    INSERT_STATEMENT(true),
    /** {@link dev.billing.spi.StatementStore#sumAncestorShares} */
    SUM_ANCESTOR_SHARES(false),
    /** {@link dev.billing.spi.StatementStore#listStatements} */
    LIST_STATEMENTS(false),
    /** {@link dev.billing.spi.StatementStore#listStatementLines} */
    LIST_STATEMENT_LINES(false),
    /** {@link dev.billing.spi.IdempotencyStore#findIdempotency} */
    FIND_IDEMPOTENCY(false),
    /** {@link dev.billing.spi.IdempotencyStore#insertIdempotency} */
    INSERT_IDEMPOTENCY(true),
    /** {@link dev.billing.spi.EventStore#appendEvent} */
    APPEND_EVENT(true),
    /** {@link dev.billing.spi.EventStore#sequenceEvents} */
    SEQUENCE_EVENTS(true),
    /** {@link dev.billing.spi.EventStore#listEvents} */
    LIST_EVENTS(false),
    /** {@link dev.billing.spi.EventStore#findCursor} */
    FIND_CURSOR(false),
    /** {@link dev.billing.spi.EventStore#moveCursor} */
    MOVE_CURSOR(true),
    /** {@link dev.billing.spi.EventStore#deleteEvents} */
    DELETE_EVENTS(true),
    /** {@link dev.billing.spi.EventStore#insertCursor} */
    INSERT_CURSOR(true),
    /** {@link dev.billing.spi.EventStore#listCursors} */
    LIST_CURSORS(false),
    /** {@link dev.billing.spi.EventStore#deleteCursor} */
    DELETE_CURSOR(true),
    /** {@link dev.billing.spi.PaymentStore#insertPayment} */
    INSERT_PAYMENT(true),
    /** {@link dev.billing.spi.PaymentStore#findPayment} */
    FIND_PAYMENT(false),
    /** {@link dev.billing.spi.PaymentStore#settlePayment} */
    SETTLE_PAYMENT(true),
    /** {@link dev.billing.spi.PaymentStore#listPayments} */
    LIST_PAYMENTS(false),
    /** {@link dev.billing.spi.PaymentStore#listPaymentsExpired} */
    LIST_PAYMENTS_EXPIRED(false),
    /** {@link dev.billing.spi.CouponStore#insertCoupons} */
    INSERT_COUPONS(true),
    /** {@link dev.billing.spi.CouponStore#findCoupon} */
    FIND_COUPON(false),
    /** {@link dev.billing.spi.CouponStore#settleCoupon} */
    SETTLE_COUPON(true),
    /** {@link dev.billing.spi.CouponStore#listCoupons} */
    LIST_COUPONS(false);

    private final boolean write;

    StorageCall(boolean write) {
        this.write = write;
    }

    /** @return whether the call writes (puts, inserts, updates, balance changes, appends, replaces) */
    public boolean write() {
        return write;
    }

    /** @return the SPI method's name, such as {@code insertAccount} */
    public String method() {
        String[] words = name().toLowerCase(java.util.Locale.ROOT).split("_");
        StringBuilder b = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            b.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        }
        return b.toString();
    }
}
