package dev.billing.core;

import dev.billing.core.accounts.Accounts;
import dev.billing.core.catalog.Catalog;
import dev.billing.core.charges.Charges;
import dev.billing.core.coupons.Coupons;
import dev.billing.core.events.Events;
import dev.billing.core.internal.BillingCycle;
import dev.billing.core.internal.EngineContext;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.core.payments.Payments;
import dev.billing.core.subscriptions.SubscriptionPolicy;
import dev.billing.core.subscriptions.Subscriptions;
import dev.billing.core.usage.Usage;
import dev.billing.core.wallet.Wallet;
import dev.billing.spi.BillingStorage;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The billing engine, the front door: built once with {@link #builder()}, it hands out one object
 * per area, each in its own package:
 *
 * <ul>
 *   <li>{@link #catalog()}: regions and the plans each offers (the market);
 *   <li>{@link #accounts()}: accounts by namespace, their status and billing profile (kind, parent,
 *       billing cycle);
 *   <li>{@link #wallet()}: prepaid balances, recharges, refunds, adjustments, the transaction history
 *       and the ledger;
 *   <li>{@link #subscriptions()}: buying plans from the wallet (checkout) and renewing them;
 *   <li>{@link #usage()}: metered usage, each event counted once;
 *   <li>{@link #charges()}: the rate card, commit discounts, estimated charges, statements;
 *   <li>{@link #payments()}: recharges through a payment provider, begun, then confirmed or failed;
 *   <li>{@link #coupons()}: coupons created in batches and redeemed into a wallet once;
 *   <li>{@link #events()}: what happened, for the host: listeners and polling of the outbox;
 * </ul>
 *
 * and {@link #runDue()}, which a host calls on a schedule to close ended billing periods and renew
 * subscriptions.
 *
 * <p>Every mutating call runs as one unit of work of the storage: it happens entirely or not at
 * all. When a call throws a {@link BillingException}, nothing was stored. Every money movement is
 * recorded as postings that balance, each debit matched by a credit. Time comes only from the builder's
 * {@link Clock}.
 *
 * <p>Thread-safe: one engine serves all threads, and several engines may share one database storage.
 *
 * <pre>{@code
 * BillingEngine engine = BillingEngine.builder().storage(storage).clock(Clock.systemUTC()).build();
 * engine.wallet().recharge("chaizs", Money.of(100, "CNY"), "order-4711");
 * engine.subscriptions().checkout("chaizs", "c-small", "cn-north-1", "checkout-0815");
 * }</pre>
 */
public final class BillingEngine {

    private final Clock clock;
    private final ZoneId zone;
    private final RoundingMode rounding;
    private final Period cycle;
    private final Catalog catalog;
    private final Accounts accounts;
    private final Wallet wallet;
    private final Subscriptions subscriptions;
    private final Usage usage;
    private final Charges charges;
    private final Events events;
    private final Payments payments;
    private final SubscriptionPolicy subscriptionPolicy;
    private final Coupons coupons;
    private final Duration eventRetention;

    private BillingEngine(Builder b) {
        BillingStorage storage = b.storage != null ? b.storage : InMemoryStorage.create();
        this.clock = b.clock != null ? b.clock : Clock.systemUTC();
        this.zone = b.zone != null ? b.zone : this.clock.getZone();
        this.rounding = b.rounding != null ? b.rounding : RoundingMode.HALF_EVEN;
        this.cycle = b.cycle != null ? b.cycle : BillingCycle.MONTHLY;
        EngineContext context = EngineContext.of(storage, clock, zone, cycle,
                b.ids != null ? b.ids : IdGenerator.random(), rounding,
                b.paymentExpiry != null ? b.paymentExpiry : DEFAULT_PAYMENT_EXPIRY,
                b.subscriptionPolicy != null ? b.subscriptionPolicy : SubscriptionPolicy.DEFAULT);
        this.subscriptionPolicy = context.subscriptionPolicy();
        this.catalog = new Catalog(context);
        this.accounts = new Accounts(context);
        this.wallet = new Wallet(context);
        this.subscriptions = new Subscriptions(context);
        this.usage = new Usage(context);
        this.charges = new Charges(context);
        this.events = new Events(context, b.eventExecutor);
        this.payments = new Payments(context);
        this.coupons = new Coupons(context);
        this.eventRetention = b.eventRetention;
    }

    /** How long a provider's payment stays pending unless the builder says otherwise: 24 hours. */
    public static final Duration DEFAULT_PAYMENT_EXPIRY = Duration.ofHours(24);

    /** @return a builder with the defaults: in-memory storage, the system UTC clock, random ids */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the catalog: regions, plans, the market */
    public Catalog catalog() {
        return catalog;
    }

    /** @return accounts: opening, status, notification, billing profile */
    public Accounts accounts() {
        return accounts;
    }

    /** @return wallets: balance, recharge, refund, adjust, transactions, the ledger */
    public Wallet wallet() {
        return wallet;
    }

    /** @return subscriptions: checkout, listing, renewal */
    public Subscriptions subscriptions() {
        return subscriptions;
    }

    /** @return metered usage: ingestion */
    public Usage usage() {
        return usage;
    }

    /** @return charges: rate card, commitments, estimated charges, statements, period close */
    public Charges charges() {
        return charges;
    }

    /** @return recharges through a payment provider: begin, confirm, fail, expire */
    public Payments payments() {
        return payments;
    }

    /** @return coupons: batches, redemption into a wallet, revocation */
    public Coupons coupons() {
        return coupons;
    }

    /** @return events for the host: listeners, dispatch, polling the outbox */
    public Events events() {
        return events;
    }

    /** @return how this engine renews, dunns and cancels subscriptions */
    public SubscriptionPolicy subscriptionPolicy() {
        return subscriptionPolicy;
    }

    /** @return the clock this engine reads time from */
    public Clock clock() {
        return clock;
    }

    /**
     * @return the time zone of the billing cycles of accounts opened from now on; an account keeps the
     *     zone it was opened with (see {@link Accounts#setBillingCycle})
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

    /**
     * Does what is due at the clock's now; the host calls it on a schedule (every minute, say). First
     * closes every billing period that has ended ({@link Charges#closeDue()}), then renews every
     * subscription whose period has ended ({@link Subscriptions#renewDue()}), expires payments left
     * pending past their expiry ({@link Payments#expireDue()}), delivers the events listeners have not
     * had ({@link Events#dispatch()}: what a crash left undelivered), and, when the engine was built with
     * an {@linkplain Builder#eventRetention event retention}, deletes the events older than it that every
     * consumer has handled ({@link Events#prune}).
     *
     * <p>Each period close and each renewal is its own unit of work, guarded by a compare-and-set on
     * the period it ends, so running this twice (or on several engines at once) does nothing more,
     * and a crash between two accounts loses nothing: the next run carries on.
     *
     * @return what was done
     */
    public DueRun runDue() {
        DueRun closed = charges.closeDue();
        DueRun renewed = subscriptions.renewDue();
        List<String> failures = new ArrayList<>(closed.failures());
        failures.addAll(renewed.failures());
        failures.addAll(payments.expireDue());
        try {
            events.dispatch(); // what a crash left undelivered, and what a listener refused before
        } catch (RuntimeException e) {
            failures.add("dispatching events: " + e.getMessage());
        }
        if (eventRetention != null) {
            try {
                events.prune(clock.instant().minus(eventRetention));
            } catch (RuntimeException e) {
                failures.add("pruning events: " + e.getMessage());
            }
        }
        return new DueRun(closed.at(), closed.statements(), closed.arrears(), renewed.renewals(), renewed.expired(),
                failures);
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
        private Duration paymentExpiry;
        private SubscriptionPolicy subscriptionPolicy;
        private Duration eventRetention;
        private Executor eventExecutor;

        private Builder() {
        }

        /**
         * @param executor where listeners ({@link Events#subscribe}) are called after a call that wrote
         *     events commits, so that the call returns without waiting for them (a mail sent on a failed
         *     renewal, say); default: on the calling thread, the call returning after its listeners ran.
         *     The host owns it: the engine never shuts it down. A dispatch it refuses (shut down, queue
         *     full) is made by the next {@link BillingEngine#runDue()}; delivery stays at least once, in
         *     order per consumer
         * @return this builder
         * @throws NullPointerException when {@code executor} is null
         * @throws IllegalStateException when it was set already
         */
        public Builder eventExecutor(Executor executor) {
            this.eventExecutor = once(this.eventExecutor, Objects.requireNonNull(executor, "eventExecutor"),
                    "eventExecutor");
            return this;
        }

        /**
         * @param retention how long {@link BillingEngine#runDue()} keeps events in the outbox: each run
         *     deletes those older than this that every consumer has handled ({@link Events#prune}); unset,
         *     the default, events are kept until the host prunes them. A poller must poll more often.
         * @return this builder
         * @throws NullPointerException when {@code retention} is null
         * @throws IllegalArgumentException when it is not positive
         * @throws IllegalStateException when it was set already
         */
        public Builder eventRetention(Duration retention) {
            Objects.requireNonNull(retention, "eventRetention");
            if (retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("eventRetention: must be positive, got " + retention);
            }
            this.eventRetention = once(this.eventRetention, retention, "eventRetention");
            return this;
        }

        /**
         * @param policy how subscriptions renew (how early), how long an unpaid one stays past due, how often
         *     its account is flagged, and what cancellations may do; default {@link SubscriptionPolicy#DEFAULT}
         *     (renew at the period end, expire at once when unpaid); the reference platform's is
         *     {@link SubscriptionPolicy#REFERENCE}
         * @return this builder
         * @throws NullPointerException when {@code policy} is null
         * @throws IllegalStateException when it was set already
         */
        public Builder subscriptionPolicy(SubscriptionPolicy policy) {
            this.subscriptionPolicy = once(this.subscriptionPolicy, policy, "subscriptionPolicy");
            return this;
        }

        /**
         * @param expiry how long a payment begun through a provider ({@link Payments#begin}) stays pending
         *     before {@link BillingEngine#runDue()} expires it; default {@link #DEFAULT_PAYMENT_EXPIRY}. Set the
         *     provider's own session expiry shorter, so that it never takes money the engine has given up on
         * @return this builder
         * @throws NullPointerException when {@code expiry} is null
         * @throws IllegalArgumentException when it is not positive
         * @throws IllegalStateException when it was set already
         */
        public Builder paymentExpiry(Duration expiry) {
            Objects.requireNonNull(expiry, "paymentExpiry");
            if (expiry.isNegative() || expiry.isZero()) {
                throw new IllegalArgumentException("paymentExpiry: must be positive, got " + expiry);
            }
            this.paymentExpiry = once(this.paymentExpiry, expiry, "paymentExpiry");
            return this;
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
         *     Each account keeps the cycle it was opened with; see {@link Accounts#setBillingCycle}
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
