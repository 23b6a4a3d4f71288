package dev.billing.core.subscriptions;

import dev.billing.core.BillingEngine;
import dev.billing.core.ConflictException;
import dev.billing.core.DueRun;
import dev.billing.core.ErrorCode;
import dev.billing.core.IdGenerator;
import dev.billing.core.InsufficientFundsException;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanStatus;
import dev.billing.core.events.EventType;
import dev.billing.core.internal.Amounts;
import dev.billing.core.internal.BillingCycle;
import dev.billing.core.internal.CatalogMapping;
import dev.billing.core.internal.Checks;
import dev.billing.core.internal.Codes;
import dev.billing.core.internal.EngineContext;
import dev.billing.core.internal.Fingerprint;
import dev.billing.core.internal.Ledger;
import dev.billing.core.internal.Lookups;
import dev.billing.core.internal.LowBalance;
import dev.billing.core.internal.Outbox;
import dev.billing.core.internal.Profiles;
import dev.billing.core.internal.SubscriptionMapping;
import dev.billing.core.internal.UnitOfWork.Keyed;
import dev.billing.core.internal.UnitOfWork;
import dev.billing.core.wallet.Balance;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.PlanAndProfile;
import dev.billing.spi.PlanAndRegion;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.RegionRecord;
import dev.billing.spi.StorageSession;
import dev.billing.spi.SubscriptionRecord;
import dev.billing.spi.TransactionRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.money.CurrencyUnit;

/**
 * Subscriptions to the catalog's plans: buying one from the wallet (checkout), listing them, switching
 * plans with proration (and quoting a switch), cancelling, and renewing those whose period ends, with
 * the engine's {@link SubscriptionPolicy} (renewal window, grace, notifications). Reached through
 * {@link BillingEngine#subscriptions()}. Renewals live in {@code Renewing}, switches and cancellations in
 * {@code Changing} (package-private).
 *
 * <p>A subscription's periods are laid out in its account's billing-cycle zone at checkout, kept with
 * the subscription, and counted from its first start: renewal {@code k} ends at the original start
 * plus {@code k} plan terms, so one bought on Jan 31 renews on Feb 29, Mar 31, Apr 30, ...
 *
 * <p>Thread-safe.
 */
public final class Subscriptions {

    private static final System.Logger LOG = System.getLogger(Subscriptions.class.getName());
    private static final int DUE_BATCH = 100;

    private final UnitOfWork work;
    private final Clock clock;
    private final ZoneId zone;
    private final IdGenerator ids;
    private final Profiles profiles;
    private final Outbox outbox;
    private final RoundingMode rounding;
    private final SubscriptionPolicy policy;
    private final Renewing renewing;
    private final Changing changing;

    /**
     * Made by the engine; hosts reach it through {@link BillingEngine#subscriptions()}.
     *
     * @param context the engine's internals (not API)
     */
    public Subscriptions(EngineContext context) {
        this.work = context.work();
        this.clock = context.clock();
        this.zone = context.zone();
        this.ids = context.ids();
        this.profiles = context.profiles();
        this.outbox = context.outbox();
        this.rounding = context.rounding();
        this.policy = context.subscriptionPolicy();
        this.renewing = new Renewing(ids, outbox, zone, policy);
        this.changing = new Changing(ids, outbox, rounding, policy, zone);
        // a credit (recharge, payment, coupon) renews at once what is past due in its grace period; the
        // renewal that puts a subscription past due marks its account, so a credit to an account not
        // marked has nothing to look for, and the first credit that finds nothing left past due unmarks it
        context.credits().afterCredit((s, account, now) -> {
            if (!account.pastDue()) {
                return false;
            }
            boolean renewed = false;
            boolean left = false;
            for (SubscriptionRecord sub : s.subscriptions().listSubscriptions(account.namespace())) {
                if (sub.status().equals(Codes.code(SubscriptionStatus.PAST_DUE))) {
                    boolean paid = renewing.attempt(s, sub.id(), now, true) == Renewing.Outcome.RENEWED;
                    renewed |= paid;
                    left |= !paid;
                }
            }
            if (!left) {
                s.accounts().updateDunning(account.namespace(), false, account.notifiedAt());
            }
            return renewed;
        });
    }

    /**
     * Buys a plan with the wallet: debits its price and opens a subscription whose first period is
     * {@code [now, now + plan term)} in the account's billing-cycle zone.
     *
     * @param namespace the account's namespace
     * @param planId the plan
     * @param region the region to buy it in; it must offer the plan
     * @param idempotencyKey the caller's key for this call
     * @return the new balance and the account status
     * @throws InvalidRequestException when a field is malformed, or the plan is priced in another
     *     currency than the account's ({@link ErrorCode#CURRENCY_MISMATCH})
     * @throws NotFoundException when the account, plan or region does not exist
     * @throws InvalidRequestException with {@link ErrorCode#PLAN_NOT_AVAILABLE} or
     *     {@link ErrorCode#REGION_NOT_AVAILABLE} when the plan is retired, not offered in the region, or
     *     the region is unavailable
     * @throws InsufficientFundsException when the balance does not cover the price
     * @throws ConflictException when the account is not active, or the key was used for another request
     */
    public Balance checkout(String namespace, String planId, String region, String idempotencyKey) {
        Checks.namespace(namespace);
        Checks.token("planId", planId, Checks.MAX_NAMESPACE);
        Checks.token("region", region, Checks.MAX_NAMESPACE);
        Checks.idempotencyKey(idempotencyKey);
        String fingerprint = Fingerprint.of("checkout").with(namespace).with(planId).with(region).digest();
        return work.keyed(namespace, idempotencyKey, fingerprint, s -> {
            Instant now = clock.instant();
            // no read of the account before its balance change: the checks of the account (it exists, is
            // active, is in the plan's currency) run on the row that change returns, and where a check of the
            // plan, the region or the balance fails, on a read of the account first, so that the errors come
            // in the same order as if the account had been checked first
            PlanAndProfile read = s.findPlanAndProfile(planId, region, namespace);
            PlanAndRegion offer = read.offer();
            Plan plan = offer.plan() == null ? null : CatalogMapping.plan(offer.plan());
            RegionRecord r = offer.region();
            RuntimeException refused = plan == null ? Lookups.planNotFound(planId)
                    : r == null ? Lookups.regionNotFound("region", region)
                    : unavailable(plan, r, planId, region);
            if (refused != null) {
                checkAccount(Lookups.requireAccount(s, namespace), null);
                throw refused;
            }
            CurrencyUnit currency = plan.price().getCurrency();
            BigDecimal price = Amounts.scaled(Amounts.exact(plan.price()), currency);
            String code = currency.getCurrencyCode();
            String txId = ids.next();
            // balanceAfter: the store records the balance its change returns
            TransactionRecord purchase = new TransactionRecord(0, txId, namespace, Codes.code(TransactionKind.PURCHASE),
                    price, code, plan.description(), Ledger.BALANCE_PAYMENT, planId, null, BigDecimal.ZERO, now, null);
            // the subscription and its event before the debit, which locks the account's row: the row is then
            // held for the key's row and the commit alone; a refused debit rolls them back with it
            // (laid out in the account's zone, kept with the subscription: renewals never depend on the engine's)
            ZoneId own = profiles.cycleZone(read.profile());
            Instant end = new BillingCycle(now, own, plan.term().length()).boundaryAfter(now);
            String subscriptionId = ids.next();
            int version = offer.plan().version();
            s.subscriptions().insertSubscription(new SubscriptionRecord(subscriptionId, namespace, planId, region, now, end,
                    Codes.code(SubscriptionStatus.ACTIVE), txId, now, own.getId(), version, price, false, null, null, null, null, null, 0));
            // the plan's currency: a debit of an account in another is refused below
            outbox.record(s, EventType.SUBSCRIPTION_CREATED, namespace, subscriptionId,
                    periodData(planId, version, region, now, end, price, code, txId));
            AccountRecord locked = s.applyBalanceDeltaAndAppend(namespace, price.negate(), BigDecimal.ZERO, purchase,
                    List.of(new PostingRecord(txId, Ledger.wallet(namespace), price.negate(), code),
                            new PostingRecord(txId, Ledger.REVENUE_PLANS, price, code))).orElse(null);
            if (locked == null) {
                AccountRecord account = Lookups.requireAccount(s, namespace);
                checkAccount(account, plan);
                throw new InsufficientFundsException(namespace, Amounts.of(account.balance(), account.currency()),
                        plan.price());
            }
            // suspended or closed meanwhile, or in another currency: rolled back with the purchase
            checkAccount(locked, plan);
            LowBalance.afterDebit(s, outbox, locked, price);
            BigDecimal balance = locked.balance();
            Balance result = new Balance(Amounts.of(balance, currency), Codes.parse(AccountStatus.class, locked.status()));
            return new Keyed<>(result, txId, balance, locked.status());
        }, (s, prior) -> new Balance(Amounts.of(prior.balance(), Lookups.requireAccount(s, namespace).currency()),
                Codes.parse(AccountStatus.class, prior.status())));
    }

    /** @return why the plan cannot be bought in the region, or {@code null} when it can */
    private static InvalidRequestException unavailable(Plan plan, RegionRecord r, String planId, String region) {
        if (plan.status() != PlanStatus.AVAILABLE) {
            return new InvalidRequestException(ErrorCode.PLAN_NOT_AVAILABLE, "planId", "plan " + planId + " is retired");
        }
        if (!CatalogMapping.available(r)) {
            return new InvalidRequestException(ErrorCode.REGION_NOT_AVAILABLE, "region", "region " + region + " is unavailable");
        }
        if (!plan.region().equals(region)) {
            return new InvalidRequestException(ErrorCode.PLAN_NOT_AVAILABLE, "region",
                    "plan " + planId + " is not offered in region " + region);
        }
        return null;
    }

    /**
     * @param plan the plan bought, whose currency the account must have; {@code null} to check the status only
     * @throws ConflictException when the account is not active
     * @throws InvalidRequestException ({@link ErrorCode#CURRENCY_MISMATCH}) when the plan is priced in another currency
     */
    private static void checkAccount(AccountRecord account, Plan plan) {
        if (!account.status().equals(Codes.code(AccountStatus.ACTIVE))) {
            throw Lookups.notActive(account);
        }
        if (plan != null && !plan.price().getCurrency().getCurrencyCode().equals(account.currency())) {
            throw new InvalidRequestException(ErrorCode.CURRENCY_MISMATCH, "planId", "plan " + plan.id()
                    + " is priced in " + plan.price().getCurrency() + ", the account is in " + account.currency());
        }
    }

    /**
     * @param namespace the account's namespace
     * @return every subscription it bought, oldest period start first
     * @throws NotFoundException when no account has this namespace
     */
    public List<Subscription> subscriptions(String namespace) {
        Checks.namespace(namespace);
        return work.transact(s -> {
            Lookups.requireAccount(s, namespace);
            return SubscriptionMapping.subscriptions(s, namespace);
        });
    }

    /**
     * @param namespace the account's namespace
     * @param subscriptionId one of its subscriptions
     * @return the subscription as it stands
     * @throws NotFoundException when the account does not exist, or has no subscription with this id
     *     ({@link ErrorCode#SUBSCRIPTION_NOT_FOUND}; also for another account's)
     */
    public Subscription subscription(String namespace, String subscriptionId) {
        Checks.namespace(namespace);
        Checks.token("subscriptionId", subscriptionId, Checks.MAX_KEY);
        return work.transact(s -> {
            Lookups.requireAccount(s, namespace);
            return view(s, Changing.requireOwn(s, namespace, subscriptionId));
        });
    }

    /**
     * What switching a subscription to another plan now would credit and charge, without changing
     * anything: {@link #switchPlan} at the same moment does exactly this.
     *
     * <p>Proration is by time, to the nanosecond: the unused part of the period,
     * {@code (periodEnd - now) / (periodEnd - periodStart)}, is credited at the price the subscription paid
     * for the period and charged at the new plan's current price, each rounded once to the currency's
     * digits with the engine's rounding mode. The period keeps its start and end; the next renewal pays
     * the new plan.
     *
     * @param namespace the account's namespace
     * @param subscriptionId one of its subscriptions
     * @param planId the plan to switch to: another plan with the same term, available in the subscription's region
     * @return the quote
     * @throws InvalidRequestException when a field is malformed, the plan is the subscription's own, bills
     *     another term, or is priced in another currency ({@link ErrorCode#CURRENCY_MISMATCH}); with
     *     {@link ErrorCode#PLAN_NOT_AVAILABLE} when it is retired or not offered in the region
     * @throws NotFoundException when the account, the subscription or the plan does not exist
     * @throws ConflictException ({@link ErrorCode#SUBSCRIPTION_NOT_ACTIVE}) when the subscription is not active
     */
    public SwitchQuote quoteSwitch(String namespace, String subscriptionId, String planId) {
        checkSwitch(namespace, subscriptionId, planId);
        return work.transact(s -> changing.quote(s, namespace, subscriptionId, planId, clock.instant()).quote());
    }

    /**
     * Switches a subscription to another plan now (an upgrade or a downgrade): in one unit of work, the
     * unused part of the period is credited (a {@link TransactionKind#PRORATION} transaction) and the new
     * plan's price for the rest of the period is charged (a {@link TransactionKind#PURCHASE}), exactly as
     * {@link #quoteSwitch} says; the subscription keeps its period and renews on the new plan.
     *
     * @param namespace the account's namespace
     * @param subscriptionId one of its subscriptions
     * @param planId the plan to switch to
     * @param idempotencyKey the caller's key for this call
     * @return the subscription on its new plan
     * @throws InsufficientFundsException when the balance does not cover the charge less the credit
     * @throws InvalidRequestException as {@link #quoteSwitch}
     * @throws NotFoundException as {@link #quoteSwitch}
     * @throws ConflictException as {@link #quoteSwitch}, or when the account is not active, or the key was
     *     used for another request
     */
    public Subscription switchPlan(String namespace, String subscriptionId, String planId, String idempotencyKey) {
        checkSwitch(namespace, subscriptionId, planId);
        Checks.idempotencyKey(idempotencyKey);
        String fingerprint = Fingerprint.of("switch").with(namespace).with(subscriptionId).with(planId).digest();
        return work.keyed(namespace, idempotencyKey, fingerprint, s -> {
            Instant now = clock.instant();
            SubscriptionRecord next = changing.switchPlan(s, changing.quote(s, namespace, subscriptionId, planId, now), now);
            AccountRecord account = Lookups.requireAccount(s, namespace);
            return new Keyed<>(view(s, next), next.transactionId(), account.balance(), account.status());
        }, (s, prior) -> view(s, Changing.requireOwn(s, namespace, subscriptionId)));
    }

    /**
     * Cancels a subscription: at its period end (it is not renewed; nothing is paid back), or immediately
     * (it ends now), then with or without a pro-rata refund of the unused part of the period (a
     * {@link TransactionKind#PRORATION} transaction), as the engine's {@link SubscriptionPolicy} allows. A
     * subscription past due ends at once, with nothing to refund. Cancelling at the period end again
     * changes nothing. One renewed early, whose renewed period has not begun, is taken back to the period
     * still running: at the period end, the early renewal is paid back whole (whatever the policy says of
     * refunds: that period will not be served) and it ends where the running period ends; at once with a
     * refund, the renewal and the running period's unused part are paid back.
     *
     * @param namespace the account's namespace
     * @param subscriptionId one of its subscriptions
     * @param mode when it ends
     * @param refund whether an immediate cancellation pays back the unused part of the period
     * @param idempotencyKey the caller's key for this call
     * @return the subscription as it stands after
     * @throws InvalidRequestException when a field is malformed, a refund is asked at the period end, or
     *     the policy forbids the choice (field {@code mode} or {@code refund})
     * @throws NotFoundException when the account or the subscription does not exist
     * @throws ConflictException ({@link ErrorCode#SUBSCRIPTION_NOT_ACTIVE}) when it has ended, or when the
     *     key was used for another request
     */
    public Subscription cancel(String namespace, String subscriptionId, CancelMode mode, boolean refund,
            String idempotencyKey) {
        Checks.namespace(namespace);
        Checks.token("subscriptionId", subscriptionId, Checks.MAX_KEY);
        Checks.required("mode", mode);
        Checks.idempotencyKey(idempotencyKey);
        changing.checkPolicy(mode, refund);
        String fingerprint = Fingerprint.of("cancel").with(namespace).with(subscriptionId).with(Codes.code(mode))
                .with(Boolean.toString(refund)).digest();
        return work.keyed(namespace, idempotencyKey, fingerprint, s -> {
            SubscriptionRecord next = changing.cancel(s, namespace, subscriptionId, mode, refund, clock.instant());
            AccountRecord account = Lookups.requireAccount(s, namespace);
            return new Keyed<>(view(s, next), next.transactionId(), account.balance(), account.status());
        }, (s, prior) -> view(s, Changing.requireOwn(s, namespace, subscriptionId)));
    }

    /**
     * Takes back a cancellation at the period end before that end comes: the subscription renews again
     * (as Stripe's {@code cancel_at_period_end = false}). Nothing is charged or paid back (an early renewal
     * the cancellation paid back is made again by the next due run, the subscription being in its renewal
     * window). Resuming one that is not cancelled changes nothing.
     *
     * @param namespace the account's namespace
     * @param subscriptionId one of its subscriptions
     * @param idempotencyKey the caller's key for this call
     * @return the subscription as it stands after
     * @throws InvalidRequestException when a field is malformed; with {@link ErrorCode#PLAN_NOT_AVAILABLE}
     *     when its plan is retired (it ends at its period end regardless)
     * @throws NotFoundException when the account or the subscription does not exist
     * @throws ConflictException ({@link ErrorCode#SUBSCRIPTION_NOT_ACTIVE}) when it has ended or its period
     *     end has passed, or when the key was used for another request
     */
    public Subscription resume(String namespace, String subscriptionId, String idempotencyKey) {
        Checks.namespace(namespace);
        Checks.token("subscriptionId", subscriptionId, Checks.MAX_KEY);
        Checks.idempotencyKey(idempotencyKey);
        String fingerprint = Fingerprint.of("resume").with(namespace).with(subscriptionId).digest();
        return work.keyed(namespace, idempotencyKey, fingerprint, s -> {
            SubscriptionRecord next = changing.resume(s, namespace, subscriptionId, clock.instant());
            AccountRecord account = Lookups.requireAccount(s, namespace);
            return new Keyed<>(view(s, next), next.transactionId(), account.balance(), account.status());
        }, (s, prior) -> view(s, Changing.requireOwn(s, namespace, subscriptionId)));
    }

    private static void checkSwitch(String namespace, String subscriptionId, String planId) {
        Checks.namespace(namespace);
        Checks.token("subscriptionId", subscriptionId, Checks.MAX_KEY);
        Checks.token("planId", planId, Checks.MAX_NAMESPACE);
    }

    private static Subscription view(StorageSession s, SubscriptionRecord sub) {
        return SubscriptionMapping.subscription(sub, CatalogMapping.plan(s.catalog().findPlanVersion(sub.planId(),
                sub.planVersion()).orElseGet(() -> Lookups.requirePlan(s, sub.planId()))));
    }

    /**
     * Renews every subscription whose period ends within the renewal window of the clock's now (at its
     * end, by default), by debiting its plan's current version (a {@link TransactionKind#PURCHASE}
     * "Renewal of ..." transaction) for the next period, which starts where the current one ends. A
     * subscription cancelled at its period end, or whose plan was retired, ends there instead. When the
     * balance does not cover the renewal, or the account is not active, the renewal is retried by every
     * run; from its period end the subscription is {@link SubscriptionStatus#PAST_DUE} for the policy's
     * grace period (a credit to the wallet renews it at once), then it expires; the account is flagged for
     * notification at most once per notification interval, however many of its subscriptions fail.
     * {@link BillingEngine#runDue()} calls it.
     *
     * <p>Each attempt is its own unit of work, guarded by a compare-and-set on the subscription's
     * revision, so running this twice (or on several engines at once) renews nothing twice, and a crash
     * between two subscriptions loses nothing: the next run carries on.
     *
     * @return the renewals and expiries, and one failure message per subscription that could not be
     *     processed (retried by the next run)
     */
    public DueRun renewDue() {
        Instant now = clock.instant();
        Instant horizon = now.plus(policy.renewalWindow());
        int renewals = 0;
        int ended = 0;
        List<String> failures = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        SubscriptionRecord last = null;
        while (true) {
            SubscriptionRecord after = last;
            List<SubscriptionRecord> page = work.transact(s -> s.subscriptions().listSubscriptionsDue(horizon,
                    after == null ? null : after.periodEnd(), after == null ? null : after.id(), DUE_BATCH));
            if (page.isEmpty()) {
                break;
            }
            last = page.get(page.size() - 1);
            for (SubscriptionRecord sub : page) {
                String id = sub.id();
                // once per run (one renewed further back shows up again later in the order), and not at all
                // before its renewal point: no unit of work for what is listed but not yet due
                if (!seen.add(id) || sub.status().equals(Codes.code(SubscriptionStatus.ACTIVE))
                        && policy.renewsAt(sub.periodStart(), sub.periodEnd()).isAfter(now)) {
                    continue;
                }
                try {
                    Renewing.Outcome outcome = work.transact(s -> renewing.attempt(s, id, now, false));
                    renewals += outcome == Renewing.Outcome.RENEWED ? 1 : 0;
                    ended += outcome == Renewing.Outcome.ENDED ? 1 : 0;
                } catch (RuntimeException e) { // one subscription's failure never stops the others
                    failures.add("renewing subscription " + id + ": " + e.getMessage());
                    LOG.log(System.Logger.Level.WARNING, "renewing subscription " + id + " failed", e);
                }
            }
        }
        return new DueRun(now, 0, 0, renewals, ended, failures);
    }

    /** @return the data of a created or renewed subscription's event */
    static Map<String, String> periodData(String planId, int version, String region, Instant start, Instant end,
            BigDecimal price, String currency, String transactionId) {
        Map<String, String> data = new java.util.HashMap<>();
        data.put("planId", planId);
        data.put("planVersion", Integer.toString(version));
        data.put("region", region);
        data.put("periodStart", start.toString());
        data.put("periodEnd", end.toString());
        data.put("amount", price.toPlainString());
        data.put("currency", currency);
        data.put("transactionId", transactionId);
        return data;
    }
}
