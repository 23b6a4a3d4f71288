package dev.billing.core;

import dev.billing.core.catalog.Plan;
import dev.billing.core.charges.AccountKind;
import dev.billing.core.charges.BillingProfile;
import dev.billing.core.charges.Commitment;
import dev.billing.core.charges.DueRun;
import dev.billing.core.charges.EstimatedCharges;
import dev.billing.core.charges.ProfileChange;
import dev.billing.core.charges.Rate;
import dev.billing.core.charges.Statement;
import dev.billing.core.charges.Tier;
import dev.billing.core.usage.IngestResult;
import dev.billing.core.usage.IngestStatus;
import dev.billing.core.usage.UsageEvent;
import dev.billing.core.catalog.PlanStatus;
import dev.billing.core.catalog.Region;
import dev.billing.core.catalog.RegionStatus;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.core.wallet.Account;
import dev.billing.core.wallet.AccountStatus;
import dev.billing.core.wallet.Balance;
import dev.billing.core.wallet.Subscription;
import dev.billing.core.wallet.SubscriptionStatus;
import dev.billing.core.wallet.Transaction;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.core.wallet.TransactionPage;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.CommitmentRecord;
import dev.billing.spi.RateRecord;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.IdempotencyRecord;
import dev.billing.spi.PlanRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.RegionRecord;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageSession;
import dev.billing.spi.StorageWork;
import dev.billing.spi.SubscriptionRecord;
import dev.billing.spi.TransactionRecord;
import dev.billing.spi.TransientStorageException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import javax.money.MonetaryAmount;
import org.javamoney.moneta.Money;

/**
 * The billing engine: the catalog of regions and plans, accounts by namespace, and their prepaid
 * wallets, over a {@link BillingStorage}.
 *
 * <p>Every mutating call runs as one unit of work of the storage: it happens entirely or not at
 * all. When a call throws a {@link BillingException}, nothing was stored. Every money movement is a
 * {@link Transaction} recorded as balanced postings (debits and credits that sum to zero): the wallet {@code wallet:<namespace>}
 * against {@code funding:<payment method>} for recharges and {@code revenue:plans} for purchases and
 * refunds. A wallet's balance always equals the sum of its postings, and all postings sum to zero.
 *
 * <p>Calls that move money take an idempotency key, scoped to the namespace: the same key with the
 * same request returns the first call's result and changes nothing; the same key with a different
 * request throws {@link ConflictException} ({@link ErrorCode#IDEMPOTENCY_CONFLICT}). A call that
 * failed is not remembered, so it may be retried with the same key.
 *
 * <p>Amounts are exact: an amount in another currency than the account's, or with more decimals than
 * its currency has, is rejected, never rounded. Time comes only from the builder's {@link Clock}.
 *
 * <p>Thread-safe: one engine serves all threads, and several engines may share one database storage.
 * Concurrent calls on one namespace never lose an update and never overdraw a wallet.
 */
public final class BillingEngine {

    /** The payment method of purchases paid from the wallet, as the seed writes it. */
    public static final String BALANCE_PAYMENT = "balance";
    /** The payment method of recharges when the host names none. */
    public static final String DEFAULT_RECHARGE_METHOD = "recharge";
    /** The largest page of {@link #transactions(String, String, int)}. */
    public static final int MAX_PAGE = 1000;

    /** The ledger account (and payment method) of operator adjustments. */
    public static final String ADJUSTMENTS = "adjustment";

    /** The largest batch of {@link #ingestBatch(List)}. */
    public static final int MAX_BATCH = 10_000;

    static final String REVENUE_PLANS = "revenue:plans";
    private static final int DUE_BATCH = 100;
    private static final System.Logger LOG = System.getLogger(BillingEngine.class.getName());
    private static final int MAX_ATTEMPTS = 12;

    private final BillingStorage storage;
    private final Clock clock;
    private final ZoneId zone;
    private final IdGenerator ids;
    private final RoundingMode rounding;
    private final Period cycle;
    private final Metering metering;

    private BillingEngine(Builder b) {
        this.storage = b.storage != null ? b.storage : InMemoryStorage.create();
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.zone = b.zone != null ? b.zone : this.clock.getZone();
        this.ids = b.ids != null ? b.ids : IdGenerator.random();
        this.rounding = b.rounding != null ? b.rounding : RoundingMode.HALF_EVEN;
        this.cycle = b.cycle != null ? b.cycle : BillingCycle.MONTHLY;
        this.metering = new Metering(zone, cycle, rounding, ids);
    }

    /** @return a builder with the defaults: in-memory storage, the system UTC clock, random ids */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the storage this engine runs on */
    public BillingStorage storage() {
        return storage;
    }

    /** @return the clock this engine reads time from */
    public Clock clock() {
        return clock;
    }

    /**
     * @return the time zone of the billing cycles of accounts opened from now on, and of subscription
     *     periods; an account keeps the zone it was opened with (see {@link #setBillingCycle})
     */
    public ZoneId zone() {
        return zone;
    }

    /** @return the billing cycle length of accounts opened from now on, such as {@code P1M} */
    public Period billingCycle() {
        return cycle;
    }

    /** @return how each charge line is rounded to its currency's digits */
    public RoundingMode roundingMode() {
        return rounding;
    }

    // ------------------------------------------------------------------ catalog

    /**
     * Adds a region to the catalog, or replaces the one with the same identification. Defining the
     * same region again changes nothing.
     *
     * @param region the region
     * @return the region as stored
     * @throws InvalidRequestException when the identification or description is malformed
     */
    public Region defineRegion(Region region) {
        Checks.required("region", region);
        Checks.token("identification", region.id(), Checks.MAX_NAMESPACE);
        Checks.text("region_describe", region.description(), 256);
        RegionRecord record = Records.toRecord(region);
        return transact(s -> {
            s.putRegion(record);
            return Records.region(record);
        });
    }

    /** @return every region, by identification */
    public List<Region> regions() {
        return transact(s -> s.listRegions().stream().map(Records::region).toList());
    }

    /**
     * Adds a plan to the catalog, or replaces the one with the same id (past transactions keep
     * the price they paid). A plan without a creation time is stamped with the engine's clock.
     *
     * @param plan the plan
     * @return the plan as stored
     * @throws InvalidRequestException when a field is malformed, or the price is not positive or has
     *     too many decimals
     * @throws NotFoundException when its region is not in the catalog
     */
    public Plan definePlan(Plan plan) {
        Checks.required("plan", plan);
        Checks.token("plan_id", plan.id(), Checks.MAX_NAMESPACE);
        Checks.token("type", plan.type(), 32);
        Checks.text("level", plan.level(), 32);
        Checks.text("name", plan.name(), 128);
        Checks.text("description", plan.description(), 512);
        Checks.token("region", plan.region(), Checks.MAX_NAMESPACE);
        Checks.positiveAmount("price", plan.price(), null);
        return transact(s -> {
            requireRegion(s, plan.region());
            Plan stamped = plan.createdAt() != null ? plan
                    : new Plan(plan.id(), plan.type(), plan.level(), plan.name(), plan.price(), plan.billPeriod(),
                            plan.description(), plan.region(), plan.status(), clock.instant());
            PlanRecord record = Records.toRecord(stamped);
            s.putPlan(record);
            return Records.plan(record);
        });
    }

    /**
     * Takes a plan off the market. Its subscriptions run on. Retiring a retired plan changes nothing.
     *
     * @param planId the plan
     * @return the retired plan
     * @throws NotFoundException when no plan has this id
     */
    public Plan retirePlan(String planId) {
        Checks.token("plan_id", planId, Checks.MAX_NAMESPACE);
        return transact(s -> {
            PlanRecord p = requirePlan(s, planId);
            Plan retired = Records.plan(p).withStatus(PlanStatus.RETIRED);
            s.putPlan(Records.toRecord(retired));
            return retired;
        });
    }

    /**
     * @param planId the plan
     * @return the plan, available or retired
     * @throws NotFoundException when no plan has this id
     */
    public Plan plan(String planId) {
        Checks.token("plan_id", planId, Checks.MAX_NAMESPACE);
        return transact(s -> Records.plan(requirePlan(s, planId)));
    }

    /**
     * The market: the available plans of a region, cheapest first, then by id. An unavailable
     * region lists nothing.
     *
     * @param region the region's identification
     * @param type a plan type, matched case-insensitively ({@code c} finds {@code C}), or {@code null} for every type
     * @return the plans
     * @throws NotFoundException when the region is not in the catalog
     */
    public List<Plan> market(String region, String type) {
        Checks.token("region", region, Checks.MAX_NAMESPACE);
        String wanted = type == null || type.isEmpty() ? null : Checks.token("type", type, 32);
        return transact(s -> {
            RegionRecord r = requireRegion(s, region);
            if (!r.status().equals(Records.code(RegionStatus.AVAILABLE))) {
                return List.<Plan>of();
            }
            return s.listPlans(region, wanted, Records.code(PlanStatus.AVAILABLE)).stream().map(Records::plan).toList();
        });
    }

    // ------------------------------------------------------------------ accounts

    /**
     * Opens an account. Accounts are also opened by their first {@link #recharge recharge}.
     *
     * @param namespace the account's namespace: 1 to 64 characters, no control characters
     * @param currency the currency of all its amounts
     * @param idempotencyKey the caller's key for this call
     * @return the new account
     * @throws InvalidRequestException when a field is malformed
     * @throws ConflictException when the namespace has an account ({@link ErrorCode#ACCOUNT_EXISTS}), or
     *     the key was used for another request
     */
    public Account openAccount(String namespace, CurrencyUnit currency, String idempotencyKey) {
        Checks.namespace(namespace);
        Checks.idempotencyKey(idempotencyKey);
        if (currency == null) {
            throw InvalidRequestException.of("currency", "is required");
        }
        if (currency.getDefaultFractionDigits() < 0) {
            throw InvalidRequestException.of("currency", currency.getCurrencyCode() + " has no minor unit");
        }
        String fingerprint = Fingerprint.of("open").with(namespace).with(currency.getCurrencyCode()).digest();
        return keyed(namespace, idempotencyKey, fingerprint, s -> {
            if (s.findAccount(namespace).isPresent()) {
                throw new ConflictException(ErrorCode.ACCOUNT_EXISTS, "namespace " + namespace + " has an account");
            }
            AccountRecord a = newAccount(namespace, currency, clock.instant());
            s.insertAccount(a);
            s.insertBillingProfile(metering.newProfile(a));
            return new Keyed<>(view(s, a), null, a.balance(), a.status());
        }, (s, prior) -> {
            AccountRecord a = requireAccount(s, namespace);
            return new Account(namespace, currency, Records.accountStatus(prior.status()), false,
                    Amounts.of(prior.balance(), a.currency()), List.of(), a.createdAt());
        });
    }

    /**
     * @param namespace the account's namespace
     * @return the account, its balance and what it bought
     * @throws NotFoundException when no account has this namespace
     */
    public Account account(String namespace) {
        Checks.namespace(namespace);
        return transact(s -> view(s, requireAccount(s, namespace)));
    }

    /**
     * @param namespace the account's namespace
     * @return its balance and status
     * @throws NotFoundException when no account has this namespace
     */
    public Balance balance(String namespace) {
        Checks.namespace(namespace);
        return transact(s -> balanceOf(requireAccount(s, namespace)));
    }

    /**
     * Sets an account's status: a suspended account may recharge but not check out; a closed one
     * moves no money. Setting the status it has changes nothing but records the key.
     *
     * @param namespace the account's namespace
     * @param status the new status
     * @param idempotencyKey the caller's key for this call: a late retry of an earlier change never
     *     undoes a later one
     * @throws InvalidRequestException when a field is malformed or missing
     * @throws NotFoundException when no account has this namespace
     * @throws ConflictException when the key was used for another request
     */
    public void setStatus(String namespace, AccountStatus status, String idempotencyKey) {
        Checks.namespace(namespace);
        Checks.required("status", status);
        Checks.idempotencyKey(idempotencyKey);
        String fingerprint = Fingerprint.of("status").with(namespace).with(Records.code(status)).digest();
        keyed(namespace, idempotencyKey, fingerprint, s -> {
            AccountRecord a = requireAccount(s, namespace);
            s.updateAccountState(namespace, Records.code(status), a.notification());
            return new Keyed<Void>(null, null, a.balance(), Records.code(status));
        }, (s, prior) -> null);
    }

    /**
     * Sets or clears an account's notification flag.
     *
     * @param namespace the account's namespace
     * @param notification the new flag
     * @param idempotencyKey the caller's key for this call
     * @throws InvalidRequestException when a field is malformed
     * @throws NotFoundException when no account has this namespace
     * @throws ConflictException when the key was used for another request
     */
    public void setNotification(String namespace, boolean notification, String idempotencyKey) {
        Checks.namespace(namespace);
        Checks.idempotencyKey(idempotencyKey);
        String fingerprint = Fingerprint.of("notification").with(namespace).with(Boolean.toString(notification)).digest();
        keyed(namespace, idempotencyKey, fingerprint, s -> {
            AccountRecord a = requireAccount(s, namespace);
            s.updateAccountState(namespace, a.status(), notification);
            return new Keyed<Void>(null, null, a.balance(), a.status());
        }, (s, prior) -> null);
    }

    // ------------------------------------------------------------------ wallet

    /**
     * Credits a wallet with the payment method {@value #DEFAULT_RECHARGE_METHOD}.
     *
     * @see #recharge(String, MonetaryAmount, String, String)
     */
    public Balance recharge(String namespace, MonetaryAmount amount, String idempotencyKey) {
        return recharge(namespace, amount, DEFAULT_RECHARGE_METHOD, idempotencyKey);
    }

    /**
     * Credits a wallet. The first recharge of an unknown namespace opens its account, in the
     * amount's currency. When the account owes usage charges its wallet could not cover (arrears,
     * see {@link #runDue()}), the recharge pays that debt first, as a separate
     * {@link TransactionKind#DEBT_PAYMENT} transaction, and reactivates the account once the debt is
     * paid off; the returned balance is what is left after.
     *
     * @param namespace the account's namespace
     * @param amount a positive amount in the account's currency, with no more decimals than it has
     * @param paymentMethod how the host took the money, such as {@code alipay}
     * @param idempotencyKey the caller's key for this call
     * @return the new balance and the account status
     * @throws InvalidRequestException when a field is malformed, the amount is not positive, has too
     *     many decimals, or is in another currency ({@link ErrorCode#CURRENCY_MISMATCH})
     * @throws ConflictException when the account is closed, or the key was used for another request
     */
    public Balance recharge(String namespace, MonetaryAmount amount, String paymentMethod, String idempotencyKey) {
        Checks.namespace(namespace);
        Checks.idempotencyKey(idempotencyKey);
        Checks.token("payment_method", paymentMethod, 32);
        BigDecimal number = Checks.positiveAmount("amount", amount, null);
        CurrencyUnit currency = amount.getCurrency();
        String fingerprint = Fingerprint.of("recharge").with(namespace).with(number)
                .with(currency.getCurrencyCode()).with(paymentMethod).digest();
        return keyed(namespace, idempotencyKey, fingerprint, s -> {
            Instant now = clock.instant();
            AccountRecord account = s.findAccount(namespace).orElse(null);
            if (account == null) {
                account = newAccount(namespace, currency, now);
                s.insertAccount(account);
                s.insertBillingProfile(metering.newProfile(account));
            }
            Checks.positiveAmount("amount", amount, Monetary.getCurrency(account.currency()));
            if (account.status().equals(Records.code(AccountStatus.CLOSED))) {
                throw notActive(account);
            }
            BigDecimal balance = s.applyBalanceDelta(namespace, number, null)
                    .orElseThrow(() -> overCeiling("amount", namespace));
            String txId = ids.next();
            s.appendTransaction(
                    new TransactionRecord(0, txId, namespace, Records.code(TransactionKind.RECHARGE), number,
                            account.currency(), "Recharge", paymentMethod, null, null, balance, now, null),
                    List.of(new PostingRecord(txId, wallet(namespace), number, account.currency()),
                            new PostingRecord(txId, "funding:" + paymentMethod, number.negate(), account.currency())));
            BigDecimal after = metering.payDebt(s, account, balance, now);
            String status = requireAccount(s, namespace).status();
            Balance result = new Balance(Amounts.of(after, currency), Records.accountStatus(status));
            return new Keyed<>(result, txId, after, status);
        }, (s, prior) -> replayBalance(s, namespace, prior));
    }

    /**
     * Buys a plan with the wallet: debits its price and opens a subscription whose first period is
     * {@code [now, now + bill period)} in the engine's zone.
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
        Checks.token("plan_id", planId, Checks.MAX_NAMESPACE);
        Checks.token("region", region, Checks.MAX_NAMESPACE);
        Checks.idempotencyKey(idempotencyKey);
        String fingerprint = Fingerprint.of("checkout").with(namespace).with(planId).with(region).digest();
        return keyed(namespace, idempotencyKey, fingerprint, s -> {
            Instant now = clock.instant();
            AccountRecord account = requireAccount(s, namespace);
            if (!account.status().equals(Records.code(AccountStatus.ACTIVE))) {
                throw notActive(account);
            }
            Plan plan = Records.plan(requirePlan(s, planId));
            RegionRecord r = requireRegion(s, region);
            if (plan.status() != PlanStatus.AVAILABLE) {
                throw new InvalidRequestException(ErrorCode.PLAN_NOT_AVAILABLE, "plan_id", "plan " + planId + " is retired");
            }
            if (!r.status().equals(Records.code(RegionStatus.AVAILABLE))) {
                throw new InvalidRequestException(ErrorCode.REGION_NOT_AVAILABLE, "region", "region " + region + " is unavailable");
            }
            if (!plan.region().equals(region)) {
                throw new InvalidRequestException(ErrorCode.PLAN_NOT_AVAILABLE, "region",
                        "plan " + planId + " is not offered in region " + region);
            }
            CurrencyUnit currency = Monetary.getCurrency(account.currency());
            if (!plan.price().getCurrency().equals(currency)) {
                throw new InvalidRequestException(ErrorCode.CURRENCY_MISMATCH, "plan_id", "plan " + planId
                        + " is priced in " + plan.price().getCurrency() + ", the account is in " + currency);
            }
            BigDecimal price = Amounts.scaled(Amounts.exact(plan.price()), currency);
            BigDecimal balance = s.applyBalanceDelta(namespace, price.negate(), BigDecimal.ZERO)
                    .orElseThrow(() -> new InsufficientFundsException(namespace,
                            Amounts.of(account.balance(), currency), plan.price()));
            String txId = ids.next();
            s.appendTransaction(
                    new TransactionRecord(0, txId, namespace, Records.code(TransactionKind.PURCHASE), price,
                            account.currency(), plan.description(), BALANCE_PAYMENT, planId, null, balance, now, null),
                    List.of(new PostingRecord(txId, wallet(namespace), price.negate(), account.currency()),
                            new PostingRecord(txId, REVENUE_PLANS, price, account.currency())));
            // laid out in the account's zone, kept with the subscription: renewals never depend on the engine's
            ZoneId own = ZoneId.of(metering.profile(s, account).cycleZone());
            Instant end = new BillingCycle(now, own, plan.billPeriod().length()).boundaryAfter(now);
            s.insertSubscription(new SubscriptionRecord(ids.next(), namespace, planId, region, now, end,
                    Records.code(SubscriptionStatus.ACTIVE), txId, now, own.getId()));
            Balance result = new Balance(Amounts.of(balance, currency), Records.accountStatus(account.status()));
            return new Keyed<>(result, txId, balance, account.status());
        }, (s, prior) -> replayBalance(s, namespace, prior));
    }

    /**
     * Refunds a purchase: credits its amount back to the wallet, records a refund transaction, shows
     * the purchase as refunded, and cancels the subscription it opened.
     *
     * @param namespace the account's namespace
     * @param transactionId the purchase
     * @param idempotencyKey the caller's key for this call
     * @return the refund transaction
     * @throws NotFoundException when the account does not exist, or has no transaction with this id
     * @throws ConflictException when the purchase was refunded already ({@link ErrorCode#ALREADY_REFUNDED}),
     *     the transaction is no purchase ({@link ErrorCode#NOT_REFUNDABLE}), the account is closed, or
     *     the key was used for another request
     */
    public Transaction refund(String namespace, String transactionId, String idempotencyKey) {
        Checks.namespace(namespace);
        Checks.token("trans_id", transactionId, Checks.MAX_NAMESPACE);
        Checks.idempotencyKey(idempotencyKey);
        String fingerprint = Fingerprint.of("refund").with(namespace).with(transactionId).digest();
        return keyed(namespace, idempotencyKey, fingerprint, s -> {
            Instant now = clock.instant();
            AccountRecord account = requireAccount(s, namespace);
            if (account.status().equals(Records.code(AccountStatus.CLOSED))) {
                throw notActive(account);
            }
            TransactionRecord purchase = requireTransaction(s, namespace, transactionId);
            if (!purchase.kind().equals(Records.code(TransactionKind.PURCHASE))) {
                throw new ConflictException(ErrorCode.NOT_REFUNDABLE, "trans_id: transaction " + transactionId
                        + " is a " + purchase.kind() + "; only purchases can be refunded");
            }
            if (purchase.refundedBy() != null) {
                throw new ConflictException(ErrorCode.ALREADY_REFUNDED, "trans_id: transaction " + transactionId
                        + " was refunded by " + purchase.refundedBy());
            }
            BigDecimal amount = purchase.amount();
            BigDecimal balance = s.applyBalanceDelta(namespace, amount, null)
                    .orElseThrow(() -> overCeiling("trans_id", namespace));
            String txId = ids.next();
            TransactionRecord refund = new TransactionRecord(0, txId, namespace, Records.code(TransactionKind.REFUND),
                    amount, purchase.currency(), "Refund of " + purchase.description(), BALANCE_PAYMENT,
                    purchase.planId(), purchase.id(), balance, now, null);
            long seq = s.appendTransaction(refund, List.of(
                    new PostingRecord(txId, wallet(namespace), amount, purchase.currency()),
                    new PostingRecord(txId, REVENUE_PLANS, amount.negate(), purchase.currency())));
            s.findSubscriptionByTransaction(purchase.id()).filter(sub -> sub.status().equals(Records.code(SubscriptionStatus.ACTIVE)))
                    .ifPresent(sub -> s.updateSubscriptionStatus(sub.id(), Records.code(SubscriptionStatus.CANCELLED)));
            return new Keyed<>(Records.transaction(refund.asStored(seq, null)), txId, balance, account.status());
        }, (s, prior) -> Records.transaction(s.findTransaction(prior.transactionId()).orElseThrow()));
    }

    /**
     * Corrects a wallet by an operator's decision: a positive amount credits it, a negative one
     * debits it (never below zero). Recorded as an {@link TransactionKind#ADJUSTMENT} whose amount
     * keeps its sign, posted against the ledger account {@value #ADJUSTMENTS}.
     *
     * @param namespace the account's namespace
     * @param amount the signed correction, not zero, in the account's currency
     * @param reason why, kept as the transaction's description (1 to 256 characters)
     * @param idempotencyKey the caller's key for this call
     * @return the adjustment transaction
     * @throws InvalidRequestException when a field is malformed, the amount is zero, has too many
     *     decimals, or is in another currency ({@link ErrorCode#CURRENCY_MISMATCH})
     * @throws NotFoundException when no account has this namespace
     * @throws InsufficientFundsException when a debit exceeds the balance
     * @throws ConflictException when the account is closed, or the key was used for another request
     */
    public Transaction adjust(String namespace, MonetaryAmount amount, String reason, String idempotencyKey) {
        Checks.namespace(namespace);
        Checks.idempotencyKey(idempotencyKey);
        Checks.token("reason", reason, 256);
        if (amount == null) {
            throw InvalidRequestException.of("amount", "is required");
        }
        BigDecimal magnitude = Checks.positiveAmount("amount", amount.abs(), null);
        BigDecimal signed = amount.isNegative() ? magnitude.negate() : magnitude;
        String fingerprint = Fingerprint.of("adjust").with(namespace).with(signed)
                .with(amount.getCurrency().getCurrencyCode()).with(reason).digest();
        return keyed(namespace, idempotencyKey, fingerprint, s -> {
            Instant now = clock.instant();
            AccountRecord account = requireAccount(s, namespace);
            CurrencyUnit currency = Monetary.getCurrency(account.currency());
            Checks.positiveAmount("amount", amount.abs(), currency);
            if (account.status().equals(Records.code(AccountStatus.CLOSED))) {
                throw notActive(account);
            }
            BigDecimal balance = s.applyBalanceDelta(namespace, signed, signed.signum() < 0 ? BigDecimal.ZERO : null)
                    .orElseThrow(() -> signed.signum() > 0 ? overCeiling("amount", namespace)
                            : new InsufficientFundsException(namespace, Amounts.of(account.balance(), currency),
                                    amount.abs()));
            String txId = ids.next();
            TransactionRecord t = new TransactionRecord(0, txId, namespace, Records.code(TransactionKind.ADJUSTMENT),
                    signed, account.currency(), reason, ADJUSTMENTS, null, null, balance, now, null);
            long seq = s.appendTransaction(t, List.of(
                    new PostingRecord(txId, wallet(namespace), signed, account.currency()),
                    new PostingRecord(txId, ADJUSTMENTS, signed.negate(), account.currency())));
            return new Keyed<>(Records.transaction(t.asStored(seq, null)), txId, balance, account.status());
        }, (s, prior) -> Records.transaction(s.findTransaction(prior.transactionId()).orElseThrow()));
    }

    /**
     * One page of a namespace's transactions, newest first.
     *
     * @param namespace the account's namespace
     * @param cursor {@code null} for the first page, else the {@link TransactionPage#nextCursor()} of the previous page
     * @param limit the page size, 1 to {@value #MAX_PAGE}
     * @return the page
     * @throws NotFoundException when no account has this namespace
     * @throws InvalidRequestException when the cursor or limit is malformed
     */
    public TransactionPage transactions(String namespace, String cursor, int limit) {
        Checks.namespace(namespace);
        if (limit < 1 || limit > MAX_PAGE) {
            throw InvalidRequestException.of("limit", "must be between 1 and " + MAX_PAGE + ", was " + limit);
        }
        long before = parseCursor(cursor);
        return transact(s -> {
            requireAccount(s, namespace);
            List<TransactionRecord> rows = s.listTransactions(namespace, before, limit + 1);
            List<Transaction> items = new ArrayList<>();
            for (int i = 0; i < Math.min(limit, rows.size()); i++) {
                items.add(Records.transaction(rows.get(i)));
            }
            String next = rows.size() > limit ? Long.toString(rows.get(limit - 1).seq()) : null;
            return new TransactionPage(items, next);
        });
    }

    /**
     * @param namespace the account's namespace
     * @param transactionId the transaction
     * @return the transaction
     * @throws NotFoundException when the namespace has no transaction with this id (also when
     *     another namespace has one)
     */
    public Transaction transaction(String namespace, String transactionId) {
        Checks.namespace(namespace);
        Checks.token("trans_id", transactionId, Checks.MAX_NAMESPACE);
        return transact(s -> Records.transaction(requireTransaction(s, namespace, transactionId)));
    }

    /**
     * The ledger's trial balance: the sum of all postings per currency. Every sum is zero in a
     * sound ledger.
     *
     * @return the sums, by currency code
     */
    public Map<CurrencyUnit, MonetaryAmount> trialBalance() {
        return transact(s -> {
            Map<CurrencyUnit, MonetaryAmount> sums = new LinkedHashMap<>();
            s.sumPostingsByCurrency().forEach((code, sum) -> {
                CurrencyUnit c = Monetary.getCurrency(code);
                sums.put(c, Money.of(sum, c));
            });
            return sums;
        });
    }

    /**
     * The sum of the postings to a wallet, straight from the ledger; always equal to
     * {@link #balance(String)}.
     *
     * @param namespace the account's namespace
     * @return the sum
     * @throws NotFoundException when no account has this namespace
     */
    public MonetaryAmount ledgerBalance(String namespace) {
        Checks.namespace(namespace);
        return transact(s -> {
            AccountRecord a = requireAccount(s, namespace);
            return Amounts.of(s.sumPostings(wallet(namespace)), a.currency());
        });
    }

    // ------------------------------------------------------------------ rate card, usage, charges

    /**
     * Puts a rate on the rate card, or replaces the one with the same (offering code, charge type,
     * effective date). A new effective date adds a version: each period is priced by the version in
     * force on the day it starts (in the account's billing-cycle zone), so a change never rewrites a
     * past period. Every version of a rate has the same currency and unit of measure.
     *
     * @param rate the rate; unit rates, bounds and the allowance have at most 6 decimals
     * @return the rate as stored
     * @throws InvalidRequestException when a field is malformed, or the currency ({@link ErrorCode#CURRENCY_MISMATCH},
     *     field {@code currency}) or unit of measure (field {@code unit_of_measure}) differs from the rate's
     *     other versions; nothing changes
     */
    public Rate defineRate(Rate rate) {
        Checks.required("rate", rate);
        Checks.token("offering_code", rate.offeringCode(), Checks.MAX_NAMESPACE);
        Checks.token("charge_type", rate.chargeType(), Checks.MAX_NAMESPACE);
        Checks.token("unit_of_measure", rate.unitOfMeasure(), 32);
        if (rate.currency().getDefaultFractionDigits() < 0) {
            throw InvalidRequestException.of("currency", rate.currency().getCurrencyCode() + " has no minor unit");
        }
        Metering.quantity("included_quantity", rate.includedQuantity(), false);
        for (Tier t : rate.tiers()) {
            Metering.quantity("rate", t.unitRate(), false);
            if (t.upTo() != null) {
                Metering.quantity("up_to", t.upTo(), true);
            }
        }
        RateRecord record = Metering.toRecord(rate);
        return transact(s -> {
            for (RateRecord other : s.listRates(record.offeringCode(), record.chargeType())) {
                if (!other.currency().equals(record.currency())) {
                    throw new InvalidRequestException(ErrorCode.CURRENCY_MISMATCH, "currency", "the rate for "
                            + record.offeringCode() + "/" + record.chargeType() + " is in " + other.currency()
                            + " (version from " + other.effectiveFrom() + "), not " + record.currency());
                }
                if (!other.unitOfMeasure().equals(record.unitOfMeasure())) {
                    throw InvalidRequestException.of("unit_of_measure", "the rate for " + record.offeringCode() + "/"
                            + record.chargeType() + " is per " + other.unitOfMeasure() + " (version from "
                            + other.effectiveFrom() + "), not " + record.unitOfMeasure());
                }
            }
            s.putRate(record);
            return Metering.rate(record);
        });
    }

    /** @return the whole rate card, by offering code, charge type, then effective date */
    public List<Rate> rates() {
        return transact(s -> s.listRates(null, null).stream().map(Metering::rate).toList());
    }

    /**
     * @param namespace the account's namespace
     * @return how the account is billed for usage: parent, kind and open period
     * @throws NotFoundException when no account has this namespace
     */
    public BillingProfile billingProfile(String namespace) {
        Checks.namespace(namespace);
        return transact(s -> Metering.view(metering.profile(s, requireAccount(s, namespace))));
    }

    /**
     * Places an account under a parent (or makes it a root, with {@code null}). A parent's estimate
     * shows the charge totals of all its descendants as {@code chargeHierarchyTotal}.
     *
     * @param namespace the account's namespace
     * @param parent the parent's namespace, in the same currency, or {@code null}
     * @return the account's billing profile
     * @throws NotFoundException when either account does not exist
     * @throws InvalidRequestException when the parent is the account or one of its descendants, or
     *     in another currency ({@link ErrorCode#CURRENCY_MISMATCH})
     */
    public BillingProfile setParent(String namespace, String parent) {
        return changeProfile(namespace, ProfileChange.none().withParent(parent));
    }

    /**
     * Sets whether an account's estimate lists its lines (cloud) or only its totals (dedicated).
     *
     * @param namespace the account's namespace
     * @param kind the kind
     * @return the account's billing profile
     * @throws InvalidRequestException when the kind is missing
     * @throws NotFoundException when no account has this namespace
     */
    public BillingProfile setKind(String namespace, AccountKind kind) {
        return changeProfile(namespace, ProfileChange.none().withKind(Checks.required("kind", kind)));
    }

    /**
     * Changes an account's billing cycle from its next period on: the open period keeps its end, and
     * the next period starts there, exactly; from then on, period {@code k} starts at that end plus
     * {@code k × cycle} in {@code zone} (month-based cycles are end-of-month safe, counted from that
     * anchor, so a cycle re-anchored on a month's last day counts from that day). Setting it again
     * before the open period ends replaces the pending change; setting the cycle and zone the account
     * has cancels a pending change and changes nothing else.
     *
     * @param namespace the account's namespace
     * @param cycle whole months or years ({@code P1M}, {@code P3M}, {@code P1Y}) or whole days or
     *     weeks ({@code P7D}, {@code P2W}), positive, at most ten years
     * @param zone the zone the periods are laid out in (month ends, DST)
     * @return the account's billing profile, with the pending change
     * @throws NotFoundException when no account has this namespace
     * @throws InvalidRequestException naming {@code cycle} or {@code zone} when it is missing or not allowed;
     *     nothing changes
     * @throws ConflictException ({@link ErrorCode#PERIOD_NOT_CLOSED}) when the open period has ended and
     *     {@link #runDue()} has not closed it yet
     */
    public BillingProfile setBillingCycle(String namespace, Period cycle, ZoneId zone) {
        return changeProfile(namespace, ProfileChange.none().withCycle(Checks.required("cycle", cycle),
                Checks.required("zone", zone)));
    }

    /**
     * Changes several settings of an account's billing profile in one unit of work: all of them, or
     * none when one is refused. See {@link #setParent}, {@link #setKind} and {@link #setBillingCycle}
     * for each; a cycle given without a zone keeps the zone (the pending one, if any), and a zone
     * without a cycle keeps the cycle.
     *
     * @param namespace the account's namespace
     * @param change what changes
     * @return the account's billing profile
     * @throws NotFoundException when the account or the new parent does not exist
     * @throws InvalidRequestException when a field is malformed or not allowed (the parent is a
     *     descendant, in another currency, ...); nothing changes
     * @throws ConflictException ({@link ErrorCode#PERIOD_NOT_CLOSED}) when the cycle changes while the
     *     open period has ended and {@link #runDue()} has not closed it yet
     */
    public BillingProfile changeProfile(String namespace, ProfileChange change) {
        Checks.namespace(namespace);
        Checks.required("change", change);
        String parent = change.parent();
        if (change.changesParent() && parent != null) {
            Checks.token("parent", parent, Checks.MAX_NAMESPACE);
        }
        Period length = change.cycle() == null ? null : BillingCycle.check(change.cycle());
        return transact(s -> {
            AccountRecord a = requireAccount(s, namespace);
            // locked first: a concurrent change of this profile waits, and so does a hierarchy check that walks through it
            BillingProfileRecord old = metering.storedProfile(s, a);
            if (change.changesParent() && parent != null) {
                AccountRecord p = s.findAccount(parent).orElseThrow(() -> new NotFoundException(
                        ErrorCode.ACCOUNT_NOT_FOUND, "parent", "no account " + parent));
                if (!p.currency().equals(a.currency())) {
                    throw new InvalidRequestException(ErrorCode.CURRENCY_MISMATCH, "parent", parent + " is in "
                            + p.currency() + ", " + namespace + " is in " + a.currency());
                }
                Metering.checkNoCycle(s, namespace, parent);
            }
            BillingProfileRecord next = old;
            if (change.changesParent()) {
                next = next.withParent(parent);
            }
            if (change.kind() != null) {
                next = next.withKind(Records.code(change.kind()));
            }
            if (change.changesCycle()) {
                String newLength = length != null ? length.toString()
                        : old.nextCycleLength() != null ? old.nextCycleLength() : old.cycleLength();
                String newZone = change.zone() != null ? change.zone().getId()
                        : old.nextCycleZone() != null ? old.nextCycleZone() : old.cycleZone();
                boolean same = newLength.equals(old.cycleLength()) && sameZone(newZone, old.cycleZone());
                String pendingLength = same ? null : newLength;
                String pendingZone = same ? null : newZone;
                boolean unchanged = Objects.equals(pendingLength, old.nextCycleLength()) && (pendingZone == null
                        ? old.nextCycleZone() == null
                        : old.nextCycleZone() != null && sameZone(pendingZone, old.nextCycleZone()));
                if (!unchanged) {
                    if (!old.periodEnd().isAfter(clock.instant())) {
                        throw new ConflictException(ErrorCode.PERIOD_NOT_CLOSED, "cycle: the period of " + namespace
                                + " ended at " + old.periodEnd() + " and is not closed yet; change the cycle after runDue");
                    }
                    next = next.withNextCycle(pendingLength, pendingZone);
                }
            }
            return Metering.view(next.equals(old) ? old : replaceProfile(s, next, old));
        });
    }

    private static BillingProfileRecord replaceProfile(StorageSession s, BillingProfileRecord next, BillingProfileRecord old) {
        if (!s.replaceBillingProfile(next, old.periodStart())) {
            throw new TransientStorageException("period of " + next.namespace() + " closed concurrently", null);
        }
        return next;
    }

    /**
     * Gives an account a commit discount, or replaces the one with the same id. It applies to every
     * period that starts before its end date, including the current one.
     *
     * @param namespace the account's namespace
     * @param commitment the terms; the threshold in the account's currency, the percentage with at
     *     most 4 decimals
     * @return the commitment as stored
     * @throws NotFoundException when no account has this namespace
     * @throws InvalidRequestException when a field is malformed or in another currency
     */
    public Commitment defineCommitment(String namespace, Commitment commitment) {
        Checks.namespace(namespace);
        Checks.required("commitment", commitment);
        Checks.token("id", commitment.id(), Checks.MAX_NAMESPACE);
        if (Math.max(0, commitment.percentOff().stripTrailingZeros().scale()) > 4) {
            throw InvalidRequestException.of("percent_off", "has more than 4 decimals");
        }
        return transact(s -> {
            AccountRecord a = requireAccount(s, namespace);
            CurrencyUnit currency = Monetary.getCurrency(a.currency());
            if (!commitment.threshold().getCurrency().equals(currency)) {
                throw new InvalidRequestException(ErrorCode.CURRENCY_MISMATCH, "threshold", "is in "
                        + commitment.threshold().getCurrency() + ", the account is in " + currency);
            }
            BigDecimal threshold = Amounts.exact(commitment.threshold());
            if (threshold.signum() != 0) {
                Checks.positiveAmount("threshold", commitment.threshold(), currency);
            }
            CommitmentRecord record = new CommitmentRecord(namespace, commitment.id(), commitment.percentOff(),
                    Amounts.scaled(threshold, currency), a.currency(), commitment.endDate());
            s.putCommitment(record);
            return Metering.commitment(record);
        });
    }

    /**
     * @param namespace the account's namespace
     * @return its commitments, by id
     * @throws NotFoundException when no account has this namespace
     */
    public List<Commitment> commitments(String namespace) {
        Checks.namespace(namespace);
        return transact(s -> {
            requireAccount(s, namespace);
            return s.listCommitments(namespace).stream().map(Metering::commitment).toList();
        });
    }

    /**
     * Ingests one usage event.
     *
     * @param event the event
     * @return {@link IngestStatus#ACCEPTED}, or {@link IngestStatus#DUPLICATE} when its event id was
     *     ingested before (then nothing changed)
     * @throws InvalidRequestException when a field is malformed, the timestamp is in the future or in a
     *     closed period ({@link ErrorCode#PERIOD_CLOSED}), or no rate prices it ({@link ErrorCode#RATE_NOT_FOUND})
     * @throws NotFoundException when no account has the event's namespace
     * @throws ConflictException when the account is closed
     */
    public IngestResult ingest(UsageEvent event) {
        Metering.checkShape(event);
        return transact(s -> metering.ingestOne(s, event, clock.instant()));
    }

    /**
     * Ingests a batch of usage events in one unit of work. Each event is accepted, a duplicate (its
     * event id was ingested before in its namespace, or accepted earlier in the batch: ignored), or rejected with
     * a reason naming the field; a rejected event does not keep the others out.
     *
     * @param events at most {@value #MAX_BATCH} events; may contain malformed ones
     * @return one result per event, in order
     * @throws InvalidRequestException when the batch is null or too large
     */
    public List<IngestResult> ingestBatch(List<UsageEvent> events) {
        if (events == null) {
            throw InvalidRequestException.of("events", "is required");
        }
        if (events.size() > MAX_BATCH) {
            throw InvalidRequestException.of("events", "at most " + MAX_BATCH + " per batch, was " + events.size());
        }
        IngestResult[] shaped = new IngestResult[events.size()];
        List<UsageEvent> valid = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            UsageEvent e = events.get(i);
            try {
                Metering.checkShape(e);
                valid.add(e);
            } catch (InvalidRequestException x) {
                shaped[i] = Metering.rejected(e, x.code(), x.getMessage());
                valid.add(null);
            }
        }
        return transact(s -> {
            IngestResult[] results = shaped.clone();
            metering.ingest(s, valid, results, clock.instant());
            return List.of(results);
        });
    }

    /**
     * The estimated charges of an account's current billing period, every line.
     *
     * @see #estimatedCharges(String, String, String, int, int)
     */
    public EstimatedCharges estimatedCharges(String namespace) {
        return estimatedCharges(namespace, null, null, 0, MAX_PAGE);
    }

    /**
     * The estimated charges of an account's current billing period (the one containing the clock's
     * now): one CHARGE line per (offering code, charge type) with usage, amount = the rate card's
     * price of the summed quantity rounded once to the currency's digits with the engine's
     * {@link #roundingMode()}; DISCOUNT lines from its commitments; and totals that add up. Usage is
     * summed by the store, never loaded.
     *
     * @param namespace the account's namespace
     * @param offeringCode list only lines of this offering code, or {@code null}
     * @param chargeType list only lines of this charge type, or {@code null}
     * @param marker the index of the first line to list, among the filtered lines, from 0
     * @param limit the page size, 1 to {@value #MAX_PAGE}
     * @return the estimate; its totals cover every line, whatever the filter and page
     * @throws NotFoundException when no account has this namespace
     * @throws InvalidRequestException when a filter, the marker or the limit is malformed
     */
    public EstimatedCharges estimatedCharges(String namespace, String offeringCode, String chargeType, int marker,
            int limit) {
        Checks.namespace(namespace);
        if (offeringCode != null) {
            Checks.token("offeringCode", offeringCode, Checks.MAX_NAMESPACE);
        }
        if (chargeType != null) {
            Checks.token("chargeType", chargeType, Checks.MAX_NAMESPACE);
        }
        if (marker < 0) {
            throw InvalidRequestException.of("marker", "must be 0 or more, was " + marker);
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw InvalidRequestException.of("limit", "must be between 1 and " + MAX_PAGE + ", was " + limit);
        }
        return transact(s -> metering.estimate(s, requireAccount(s, namespace), clock.instant(), offeringCode,
                chargeType, marker, limit));
    }

    /**
     * @param namespace the account's namespace
     * @return its statements, newest period first
     * @throws NotFoundException when no account has this namespace
     */
    public List<Statement> statements(String namespace) {
        Checks.namespace(namespace);
        return transact(s -> {
            requireAccount(s, namespace);
            return s.listStatements(namespace).stream()
                    .map(st -> Metering.statement(st, s.listStatementLines(st.id()))).toList();
        });
    }

    /**
     * Does what is due at the clock's now; the host calls it on a schedule (every minute, say).
     *
     * <p>Closes every billing period that has ended: its estimate becomes an immutable
     * {@link Statement}, its {@code chargeTotal} is debited from the wallet as one
     * {@link TransactionKind#USAGE_CHARGE} transaction, and the next period opens. When the balance
     * does not cover it, the wallet pays what it has, the rest is recorded as debt (ledger account
     * {@code receivable:<namespace>}), and the account is suspended and flagged for notification;
     * the next {@link #recharge recharge} pays the debt first.
     *
     * <p>Renews every active subscription whose period has ended by debiting its plan's price (a
     * {@link TransactionKind#PURCHASE} "Renewal of ..." transaction) for the next period; when the
     * balance does not cover it, or the account is not active, the subscription expires and the account
     * is flagged for notification.
     *
     * <p>Each period and each renewal is its own unit of work, guarded by a compare-and-set on the
     * period it ends, so running this twice (or on several engines at once) does nothing more, and a
     * crash between two accounts loses nothing: the next run carries on.
     *
     * @return what was done
     */
    public DueRun runDue() {
        Instant now = clock.instant();
        int statements = 0;
        int arrears = 0;
        int renewals = 0;
        int expired = 0;
        List<String> failures = new ArrayList<>();
        Set<String> failed = new HashSet<>();
        while (true) {
            List<String> due = transact(s -> s.listPeriodsDue(now, DUE_BATCH + failed.size())).stream()
                    .map(BillingProfileRecord::namespace).filter(ns -> !failed.contains(ns)).toList();
            if (due.isEmpty()) {
                break;
            }
            for (String ns : due) {
                try {
                    Metering.Closed c = transact(s -> metering.closeUpTo(s, ns, now));
                    statements += c.statements();
                    arrears += c.arrears();
                } catch (BillingException | IllegalStateException e) {
                    failed.add(ns);
                    failures.add("closing the period of " + ns + ": " + e.getMessage());
                    LOG.log(System.Logger.Level.WARNING, "closing the period of " + ns + " failed", e);
                }
            }
        }
        while (true) {
            List<SubscriptionRecord> due = transact(s -> s.listSubscriptionsDue(now, DUE_BATCH + failed.size())).stream()
                    .filter(sub -> !failed.contains(sub.id())).toList();
            if (due.isEmpty()) {
                break;
            }
            for (SubscriptionRecord sub : due) {
                String id = sub.id();
                try {
                    Boolean renewed = transact(s -> renewOne(s, sub.namespace(), id, now));
                    renewals += Boolean.TRUE.equals(renewed) ? 1 : 0;
                    expired += Boolean.FALSE.equals(renewed) ? 1 : 0;
                } catch (BillingException | IllegalStateException e) {
                    failed.add(id);
                    failures.add("renewing subscription " + id + ": " + e.getMessage());
                    LOG.log(System.Logger.Level.WARNING, "renewing subscription " + id + " failed", e);
                }
            }
        }
        return new DueRun(now, statements, arrears, renewals, expired, failures);
    }

    /** @return true when renewed, false when expired, null when it was not due (any more) */
    private Boolean renewOne(StorageSession s, String namespace, String subscriptionId, Instant now) {
        SubscriptionRecord sub = s.listSubscriptions(namespace).stream()
                .filter(x -> x.id().equals(subscriptionId) && x.status().equals(Records.code(SubscriptionStatus.ACTIVE))
                        && !x.periodEnd().isAfter(now))
                .findFirst().orElse(null);
        if (sub == null) {
            return null;
        }
        AccountRecord account = requireAccount(s, sub.namespace());
        Plan plan = Records.plan(requirePlan(s, sub.planId()));
        CurrencyUnit currency = Monetary.getCurrency(account.currency());
        BigDecimal price = Amounts.scaled(Amounts.exact(plan.price()), currency);
        Optional<BigDecimal> balance = account.status().equals(Records.code(AccountStatus.ACTIVE))
                && plan.price().getCurrency().equals(currency)
                ? s.applyBalanceDelta(sub.namespace(), price.negate(), BigDecimal.ZERO) : Optional.empty();
        if (balance.isEmpty()) {
            if (!s.replaceSubscription(sub.withStatus(Records.code(SubscriptionStatus.EXPIRED)), sub.periodEnd())) {
                throw new TransientStorageException("subscription " + sub.id() + " changed concurrently", null);
            }
            s.updateAccountState(sub.namespace(), account.status(), true);
            return false;
        }
        String txId = ids.next();
        // counted from the original start (a Jan 31 subscription renews Feb 29, Mar 31, ...), never
        // from the previous end; the next period starts exactly where this one ends
        ZoneId subZone = sub.zone() != null ? ZoneId.of(sub.zone()) : zone;
        Instant end = new BillingCycle(sub.startedAt(), subZone, plan.billPeriod().length()).boundaryAfter(sub.periodEnd());
        if (!s.replaceSubscription(sub.renewed(sub.periodEnd(), end, txId), sub.periodEnd())) {
            throw new TransientStorageException("subscription " + sub.id() + " changed concurrently", null);
        }
        s.appendTransaction(new TransactionRecord(0, txId, sub.namespace(), Records.code(TransactionKind.PURCHASE), price,
                account.currency(), "Renewal of " + plan.description(), BALANCE_PAYMENT, plan.id(), null,
                balance.get(), now, null), List.of(
                        new PostingRecord(txId, wallet(sub.namespace()), price.negate(), account.currency()),
                        new PostingRecord(txId, REVENUE_PLANS, price, account.currency())));
        return true;
    }

    // ------------------------------------------------------------------ machinery

    /** What a keyed mutation returns, and what its idempotency record keeps of it. */
    private record Keyed<T>(T value, String transactionId, BigDecimal balance, String status) {
    }

    @FunctionalInterface
    private interface Replay<T> {
        T apply(StorageSession session, IdempotencyRecord prior);
    }

    /** Runs a mutation once per idempotency key, in one unit of work with the key's record. */
    private <T> T keyed(String namespace, String key, String fingerprint, Function<StorageSession, Keyed<T>> mutation,
            Replay<T> replay) {
        return transact(s -> {
            Optional<IdempotencyRecord> prior = s.findIdempotency(namespace, key);
            if (prior.isPresent()) {
                if (!prior.get().fingerprint().equals(fingerprint)) {
                    throw new ConflictException(ErrorCode.IDEMPOTENCY_CONFLICT, "idempotency_key: " + key
                            + " was used for a different request in namespace " + namespace);
                }
                return replay.apply(s, prior.get());
            }
            Keyed<T> outcome = mutation.apply(s);
            s.insertIdempotency(new IdempotencyRecord(namespace, key, fingerprint, outcome.transactionId(),
                    outcome.balance(), outcome.status(), clock.instant()));
            return outcome.value();
        });
    }

    /**
     * Runs a unit of work, again when the storage could not serialize it or a concurrent unit of
     * work won a uniqueness race (the next attempt sees the winner's result).
     */
    private <T> T transact(StorageWork<T> work) {
        for (int attempt = 1;; attempt++) {
            try {
                return storage.inTransaction(work);
            } catch (TransientStorageException | DuplicateKeyException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw new BillingStorageException("storage stayed contended after " + attempt + " attempts: "
                            + e.getMessage(), e);
                }
                pause(attempt);
            } catch (StorageException e) {
                throw new BillingStorageException("storage failed: " + e.getMessage(), e);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2L + 2L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BillingStorageException("interrupted while retrying", e);
        }
    }

    private static long parseCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Long.MAX_VALUE;
        }
        try {
            long seq = Long.parseLong(cursor);
            if (seq > 0 && cursor.equals(Long.toString(seq))) {
                return seq;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw InvalidRequestException.of("cursor", "is not a cursor this engine returned: " + cursor);
    }

    static String wallet(String namespace) {
        return "wallet:" + namespace;
    }

    private static AccountRecord newAccount(String namespace, CurrencyUnit currency, Instant now) {
        return new AccountRecord(namespace, currency.getCurrencyCode(), Records.code(AccountStatus.ACTIVE), false,
                Amounts.scaled(BigDecimal.ZERO, currency), now);
    }

    /** @return whether two zone ids name the same rules ({@code UTC}, {@code Z} and {@code Etc/UTC} do) */
    private static boolean sameZone(String a, String b) {
        return ZoneId.of(a).normalized().equals(ZoneId.of(b).normalized());
    }

    private static InvalidRequestException overCeiling(String field, String namespace) {
        return InvalidRequestException.of(field, "would take the balance of " + namespace + " to 10^15 or more");
    }

    private static ConflictException notActive(AccountRecord a) {
        return new ConflictException(ErrorCode.ACCOUNT_NOT_ACTIVE, "namespace " + a.namespace() + " is " + a.status());
    }

    private static Balance balanceOf(AccountRecord a) {
        return new Balance(Amounts.of(a.balance(), a.currency()), Records.accountStatus(a.status()));
    }

    private static Balance replayBalance(StorageSession s, String namespace, IdempotencyRecord prior) {
        AccountRecord a = requireAccount(s, namespace);
        return new Balance(Amounts.of(prior.balance(), a.currency()), Records.accountStatus(prior.status()));
    }

    private static Account view(StorageSession s, AccountRecord a) {
        List<Subscription> subs = new ArrayList<>();
        for (SubscriptionRecord sub : s.listSubscriptions(a.namespace())) {
            subs.add(Records.subscription(sub, Records.plan(s.findPlan(sub.planId()).orElseThrow())));
        }
        return new Account(a.namespace(), Monetary.getCurrency(a.currency()), Records.accountStatus(a.status()),
                a.notification(), Amounts.of(a.balance(), a.currency()), subs, a.createdAt());
    }

    private static AccountRecord requireAccount(StorageSession s, String namespace) {
        return s.findAccount(namespace).orElseThrow(() -> new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND,
                "namespace", "no account " + namespace));
    }

    private static PlanRecord requirePlan(StorageSession s, String planId) {
        return s.findPlan(planId).orElseThrow(() -> new NotFoundException(ErrorCode.PLAN_NOT_FOUND,
                "plan_id", "no plan " + planId));
    }

    private static RegionRecord requireRegion(StorageSession s, String region) {
        return s.findRegion(region).orElseThrow(() -> new NotFoundException(ErrorCode.REGION_NOT_FOUND,
                "region", "no region " + region));
    }

    private static TransactionRecord requireTransaction(StorageSession s, String namespace, String id) {
        return s.findTransaction(id).filter(t -> t.namespace().equals(namespace))
                .orElseThrow(() -> new NotFoundException(ErrorCode.TRANSACTION_NOT_FOUND,
                        "trans_id", "namespace " + namespace + " has no transaction " + id));
    }

    /**
     * Builds a {@link BillingEngine}. Each setting may be set once; unset ones take the defaults.
     * Not thread-safe; the engine it builds is.
     */
    public static final class Builder {

        private BillingStorage storage;
        private Clock clock;
        private ZoneId zone;
        private Period cycle;
        private IdGenerator ids;
        private RoundingMode rounding;

        private Builder() {
        }

        /**
         * @param storage where the engine keeps its state; default: a new {@link InMemoryStorage}
         * @return this builder
         * @throws NullPointerException when {@code storage} is null
         * @throws IllegalStateException when the storage was set already
         */
        public Builder storage(BillingStorage storage) {
            this.storage = once(this.storage, storage, "storage");
            return this;
        }

        /**
         * @param clock the only source of time; default: {@link Clock#systemUTC()}
         * @return this builder
         * @throws NullPointerException when {@code clock} is null
         * @throws IllegalStateException when the clock was set already
         */
        public Builder clock(Clock clock) {
            this.clock = once(this.clock, clock, "clock");
            return this;
        }

        /**
         * @param cycle the billing cycle length of accounts opened by this engine: whole months or years
         *     ({@code P1M}, {@code P3M}, {@code P1Y}) or whole days or weeks ({@code P7D}); default {@code P1M}.
         *     Each account keeps the cycle it was opened with; see {@link BillingEngine#setBillingCycle}
         * @return this builder
         * @throws NullPointerException when {@code cycle} is null
         * @throws InvalidRequestException naming {@code cycle} when it is not allowed
         * @throws IllegalStateException when the cycle was set already
         */
        public Builder billingCycle(Period cycle) {
            Objects.requireNonNull(cycle, "billingCycle");
            this.cycle = once(this.cycle, BillingCycle.check(cycle), "billingCycle");
            return this;
        }

        /**
         * @param zone the zone in which the billing cycles of accounts opened by this engine are laid out
         *     (month ends, DST), and subscription periods; default: the clock's zone. Each account keeps
         *     the zone it was opened with, whatever engine runs later
         * @return this builder
         * @throws NullPointerException when {@code zone} is null
         * @throws IllegalStateException when the zone was set already
         */
        public Builder zone(ZoneId zone) {
            this.zone = once(this.zone, zone, "zone");
            return this;
        }

        /**
         * @param ids the generator of transaction and subscription ids; default: {@link IdGenerator#random()}
         * @return this builder
         * @throws NullPointerException when {@code ids} is null
         * @throws IllegalStateException when the generator was set already
         */
        public Builder idGenerator(IdGenerator ids) {
            this.ids = once(this.ids, ids, "idGenerator");
            return this;
        }

        /**
         * @param rounding how each charge line's exact amount is rounded to its currency's digits
         *     (the only rounding the engine does); default: {@link RoundingMode#HALF_EVEN}
         * @return this builder
         * @throws NullPointerException when {@code rounding} is null
         * @throws IllegalArgumentException when it is {@link RoundingMode#UNNECESSARY}
         * @throws IllegalStateException when the rounding mode was set already
         */
        public Builder roundingMode(RoundingMode rounding) {
            if (rounding == RoundingMode.UNNECESSARY) {
                throw new IllegalArgumentException("rounding: UNNECESSARY cannot round a charge line");
            }
            this.rounding = once(this.rounding, rounding, "roundingMode");
            return this;
        }

        /** @return a new engine with these settings */
        public BillingEngine build() {
            return new BillingEngine(this);
        }

        private static <T> T once(T current, T value, String name) {
            Objects.requireNonNull(value, name);
            if (current != null) {
                throw new IllegalStateException(name + " was set already");
            }
            return value;
        }
    }
}
