package dev.billing.core.subscriptions;

import dev.billing.core.BillingEngine;
import dev.billing.core.BillingException;
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
import dev.billing.core.internal.Outbox;
import dev.billing.core.internal.Profiles;
import dev.billing.core.internal.SubscriptionMapping;
import dev.billing.core.internal.UnitOfWork.Keyed;
import dev.billing.core.internal.UnitOfWork;
import dev.billing.core.wallet.Balance;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.PlanAndRegion;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.RegionRecord;
import dev.billing.spi.StorageSession;
import dev.billing.spi.SubscriptionRecord;
import dev.billing.spi.TransactionRecord;
import dev.billing.spi.TransientStorageException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.money.CurrencyUnit;

/**
 * Subscriptions to the catalog's plans: buying one from the wallet (checkout), listing them, and
 * renewing those whose period ended. Reached through {@link BillingEngine#subscriptions()}.
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
            PlanAndRegion offer = s.catalog().findPlanAndRegion(planId, region);
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
            AccountRecord locked = s.accounts().applyBalanceDelta(namespace, price.negate(), BigDecimal.ZERO).orElse(null);
            if (locked == null) {
                AccountRecord account = Lookups.requireAccount(s, namespace);
                checkAccount(account, plan);
                throw new InsufficientFundsException(namespace, Amounts.of(account.balance(), account.currency()),
                        plan.price());
            }
            checkAccount(locked, plan); // suspended or closed meanwhile, or in another currency: rolled back
            AccountRecord account = locked;
            BigDecimal balance = locked.balance();
            String txId = ids.next();
            s.ledger().appendTransaction(
                    new TransactionRecord(0, txId, namespace, Codes.code(TransactionKind.PURCHASE), price,
                            account.currency(), plan.description(), Ledger.BALANCE_PAYMENT, planId, null, balance, now,
                            null),
                    List.of(new PostingRecord(txId, Ledger.wallet(namespace), price.negate(), account.currency()),
                            new PostingRecord(txId, Ledger.REVENUE_PLANS, price, account.currency())));
            // laid out in the account's zone, kept with the subscription: renewals never depend on the engine's
            ZoneId own = ZoneId.of(profiles.profile(s, account).cycleZone());
            Instant end = new BillingCycle(now, own, plan.term().length()).boundaryAfter(now);
            String subscriptionId = ids.next();
            s.subscriptions().insertSubscription(new SubscriptionRecord(subscriptionId, namespace, planId, region, now, end,
                    Codes.code(SubscriptionStatus.ACTIVE), txId, now, own.getId()));
            outbox.record(s, EventType.SUBSCRIPTION_CREATED, namespace, subscriptionId,
                    periodData(planId, region, now, end, price, account.currency(), txId));
            Balance result = new Balance(Amounts.of(balance, currency), Codes.parse(AccountStatus.class, account.status()));
            return new Keyed<>(result, txId, balance, account.status());
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
     * Renews every active subscription whose period has ended at the clock's now, by debiting its
     * plan's price (a {@link TransactionKind#PURCHASE} "Renewal of ..." transaction) for the next
     * period; when the balance does not cover it, or the account is not active, the subscription
     * expires and the account is flagged for notification. {@link BillingEngine#runDue()} calls it.
     *
     * <p>Each renewal is its own unit of work, guarded by a compare-and-set on the period it ends, so
     * running this twice (or on several engines at once) renews nothing twice, and a crash between
     * two subscriptions loses nothing: the next run carries on.
     *
     * @return the renewals and expiries, and one failure message per subscription that could not be
     *     processed (retried by the next run)
     */
    public DueRun renewDue() {
        Instant now = clock.instant();
        int renewals = 0;
        int expired = 0;
        List<String> failures = new ArrayList<>();
        Set<String> failed = new HashSet<>();
        while (true) {
            List<SubscriptionRecord> due = work.transact(s -> s.subscriptions().listSubscriptionsDue(now, DUE_BATCH + failed.size()))
                    .stream().filter(sub -> !failed.contains(sub.id())).toList();
            if (due.isEmpty()) {
                break;
            }
            for (SubscriptionRecord sub : due) {
                String id = sub.id();
                try {
                    Boolean renewed = work.transact(s -> renewOne(s, sub.namespace(), id, now));
                    renewals += Boolean.TRUE.equals(renewed) ? 1 : 0;
                    expired += Boolean.FALSE.equals(renewed) ? 1 : 0;
                } catch (BillingException | IllegalStateException e) {
                    failed.add(id);
                    failures.add("renewing subscription " + id + ": " + e.getMessage());
                    LOG.log(System.Logger.Level.WARNING, "renewing subscription " + id + " failed", e);
                }
            }
        }
        return new DueRun(now, 0, 0, renewals, expired, failures);
    }

    /** @return true when renewed, false when expired, null when it was not due (any more) */
    private Boolean renewOne(StorageSession s, String namespace, String subscriptionId, Instant now) {
        SubscriptionRecord sub = s.subscriptions().listSubscriptions(namespace).stream()
                .filter(x -> x.id().equals(subscriptionId) && SubscriptionMapping.active(x) && !x.periodEnd().isAfter(now))
                .findFirst().orElse(null);
        if (sub == null) {
            return null;
        }
        // locked: the status decides whether it renews, and an expiry writes it back
        AccountRecord account = Lookups.lockAccount(s, sub.namespace());
        Plan plan = CatalogMapping.plan(Lookups.requirePlan(s, sub.planId()));
        CurrencyUnit currency = Amounts.currency(account.currency());
        BigDecimal price = Amounts.scaled(Amounts.exact(plan.price()), currency);
        Optional<BigDecimal> balance = account.status().equals(Codes.code(AccountStatus.ACTIVE))
                && plan.price().getCurrency().equals(currency)
                ? s.accounts().applyBalanceDelta(sub.namespace(), price.negate(), BigDecimal.ZERO).map(AccountRecord::balance)
                : Optional.empty();
        if (balance.isEmpty()) {
            if (!s.subscriptions().replaceSubscription(sub.withStatus(Codes.code(SubscriptionStatus.EXPIRED)), sub.periodEnd())) {
                throw new TransientStorageException("subscription " + sub.id() + " changed concurrently", null);
            }
            s.accounts().updateAccountState(sub.namespace(), account.status(), true);
            String reason = account.status().equals(Codes.code(AccountStatus.ACTIVE)) ? "insufficient_funds"
                    : "account_not_active";
            outbox.record(s, EventType.SUBSCRIPTION_RENEWAL_FAILED, sub.namespace(), sub.id(), Map.of("planId", sub.planId(),
                    "periodEnd", sub.periodEnd().toString(), "amount", price.toPlainString(), "currency",
                    account.currency(), "reason", reason));
            outbox.record(s, EventType.SUBSCRIPTION_ENDED, sub.namespace(), sub.id(), Map.of("planId", sub.planId(),
                    "endedAt", sub.periodEnd().toString(), "reason", "unpaid"));
            return false;
        }
        String txId = ids.next();
        // counted from the original start (a Jan 31 subscription renews Feb 29, Mar 31, ...), never
        // from the previous end; the next period starts exactly where this one ends
        ZoneId subZone = sub.zone() != null ? ZoneId.of(sub.zone()) : zone;
        Instant end = new BillingCycle(sub.startedAt(), subZone, plan.term().length()).boundaryAfter(sub.periodEnd());
        if (!s.subscriptions().replaceSubscription(sub.renewed(sub.periodEnd(), end, txId), sub.periodEnd())) {
            throw new TransientStorageException("subscription " + sub.id() + " changed concurrently", null);
        }
        s.ledger().appendTransaction(new TransactionRecord(0, txId, sub.namespace(), Codes.code(TransactionKind.PURCHASE), price,
                account.currency(), "Renewal of " + plan.description(), Ledger.BALANCE_PAYMENT, plan.id(), null,
                balance.get(), now, null), List.of(
                        new PostingRecord(txId, Ledger.wallet(sub.namespace()), price.negate(), account.currency()),
                        new PostingRecord(txId, Ledger.REVENUE_PLANS, price, account.currency())));
        outbox.record(s, EventType.SUBSCRIPTION_RENEWED, sub.namespace(), sub.id(),
                periodData(sub.planId(), sub.region(), sub.periodEnd(), end, price, account.currency(), txId));
        return true;
    }

    /** @return the data of a created or renewed subscription's event */
    private static Map<String, String> periodData(String planId, String region, Instant start, Instant end,
            BigDecimal price, String currency, String transactionId) {
        return Map.of("planId", planId, "region", region, "periodStart", start.toString(), "periodEnd", end.toString(),
                "amount", price.toPlainString(), "currency", currency, "transactionId", transactionId);
    }
}
