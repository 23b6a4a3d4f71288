package dev.billing.core.accounts;

import dev.billing.core.BillingEngine;
import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.events.EventType;
import dev.billing.core.internal.Amounts;
import dev.billing.core.internal.BillingCycle;
import dev.billing.core.internal.Checks;
import dev.billing.core.internal.Codes;
import dev.billing.core.internal.EngineContext;
import dev.billing.core.internal.Fingerprint;
import dev.billing.core.internal.Hierarchy;
import dev.billing.core.internal.Limits;
import dev.billing.core.internal.Lookups;
import dev.billing.core.internal.Outbox;
import dev.billing.core.internal.Profiles;
import dev.billing.core.internal.RateCard;
import dev.billing.core.internal.SubscriptionMapping;
import dev.billing.core.internal.UnitOfWork;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.StorageSession;
import dev.billing.spi.TransientStorageException;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Period;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.money.CurrencyUnit;

/**
 * Accounts by namespace: opening them, their status and notification flag, and their billing
 * profile (kind, parent in a hierarchy, billing cycle). Reached through {@link BillingEngine#accounts()}.
 *
 * <p>Every call is one unit of work; a call that throws changed nothing.
 *
 * <p>Thread-safe.
 */
public final class Accounts {

    private final UnitOfWork work;
    private final Clock clock;
    private final Profiles profiles;
    private final RoundingMode rounding;
    private final Outbox outbox;

    /**
     * Made by the engine; hosts reach it through {@link BillingEngine#accounts()}.
     *
     * @param context the engine's internals (not API)
     */
    public Accounts(EngineContext context) {
        this.work = context.work();
        this.clock = context.clock();
        this.profiles = context.profiles();
        this.rounding = context.rounding();
        this.outbox = context.outbox();
    }

    /**
     * Opens an account. Accounts are also opened by their first recharge
     * ({@link dev.billing.core.wallet.Wallet#recharge}).
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
        return work.keyed(namespace, idempotencyKey, fingerprint, s -> {
            if (s.accounts().findAccount(namespace).isPresent()) {
                throw new ConflictException(ErrorCode.ACCOUNT_EXISTS, null, "namespace " + namespace + " has an account");
            }
            AccountRecord a = profiles.openAccount(s, namespace, currency, clock.instant());
            return new UnitOfWork.Keyed<>(view(s, a), null, a.balance(), a.status());
        }, (s, prior) -> {
            AccountRecord a = Lookups.requireAccount(s, namespace);
            return new Account(namespace, currency, Codes.parse(AccountStatus.class, prior.status()), false,
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
        return work.transact(s -> view(s, Lookups.requireAccount(s, namespace)));
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
        String fingerprint = Fingerprint.of("status").with(namespace).with(Codes.code(status)).digest();
        work.keyed(namespace, idempotencyKey, fingerprint, s -> {
            AccountRecord a = Lookups.lockAccount(s, namespace);
            s.accounts().updateAccountState(namespace, Codes.code(status), a.notification());
            AccountStatus before = Codes.parse(AccountStatus.class, a.status());
            if (status == AccountStatus.SUSPENDED && before != AccountStatus.SUSPENDED) {
                outbox.record(s, EventType.ACCOUNT_SUSPENDED, namespace, namespace, Map.of("reason", "operator"));
            } else if (status == AccountStatus.ACTIVE && before == AccountStatus.SUSPENDED) {
                outbox.record(s, EventType.ACCOUNT_REACTIVATED, namespace, namespace, Map.of("reason", "operator"));
            }
            return new UnitOfWork.Keyed<Void>(null, null, a.balance(), Codes.code(status));
        }, (s, prior) -> null);
    }

    /**
     * An account's low-balance threshold, as {@link #setLowBalanceThreshold} set it.
     *
     * @param namespace the account's namespace
     * @return the threshold in the account's currency, or empty when it has none
     * @throws InvalidRequestException when the namespace is malformed
     * @throws NotFoundException when no account has this namespace
     */
    public java.util.Optional<javax.money.MonetaryAmount> lowBalanceThreshold(String namespace) {
        Checks.namespace(namespace);
        return work.transact(s -> {
            AccountRecord a = Lookups.requireAccount(s, namespace);
            javax.money.CurrencyUnit currency = Amounts.currency(a.currency());
            return java.util.Optional.ofNullable(a.lowBalanceThreshold())
                    .map(t -> (javax.money.MonetaryAmount) Amounts.of(Amounts.scaled(t, currency), currency));
        });
    }

    /**
     * Sets an account's low-balance threshold: from now on, a debit that takes its balance from at or above
     * the threshold to below it writes a {@code balance.low} event (once per crossing). {@code null} clears it.
     *
     * @param namespace the account's namespace
     * @param threshold zero or more, in the account's currency, with no more decimals than it has; or {@code null}
     * @throws InvalidRequestException when a field is malformed, negative, or in another currency
     *     ({@link ErrorCode#CURRENCY_MISMATCH})
     * @throws NotFoundException when no account has this namespace
     */
    public void setLowBalanceThreshold(String namespace, javax.money.MonetaryAmount threshold) {
        Checks.namespace(namespace);
        work.transact(s -> {
            AccountRecord a = Lookups.lockAccount(s, namespace);
            java.math.BigDecimal value = null;
            if (threshold != null) {
                if (threshold.isNegative()) {
                    throw InvalidRequestException.of("threshold", "must not be negative");
                }
                if (!threshold.getCurrency().getCurrencyCode().equals(a.currency())) {
                    throw new InvalidRequestException(ErrorCode.CURRENCY_MISMATCH, "threshold", "is in "
                            + threshold.getCurrency() + ", the account is in " + a.currency());
                }
                value = threshold.isZero() ? java.math.BigDecimal.ZERO
                        : Checks.positiveAmount("threshold", threshold, Amounts.currency(a.currency()));
            }
            s.accounts().setLowBalanceThreshold(namespace, value);
            return null;
        });
    }

    /**
     * Sets or clears an account's notification flag. A failed renewal sets it (at most once per the
     * subscription policy's notification interval); a host typically clears it once it has told the
     * customer. Clearing it changes nothing else: a subscription past due is still renewed by the next
     * credit.
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
        work.keyed(namespace, idempotencyKey, fingerprint, s -> {
            AccountRecord a = Lookups.lockAccount(s, namespace);
            s.accounts().updateAccountState(namespace, a.status(), notification);
            return new UnitOfWork.Keyed<Void>(null, null, a.balance(), a.status());
        }, (s, prior) -> null);
    }

    /**
     * @param namespace the account's namespace
     * @return how the account is billed for usage: parent, kind and open period
     * @throws NotFoundException when no account has this namespace
     */
    public BillingProfile billingProfile(String namespace) {
        Checks.namespace(namespace);
        return work.transact(s -> view(profiles.profile(s, Lookups.requireAccount(s, namespace))));
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
     *     {@link BillingEngine#runDue()} has not closed it yet
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
     *     open period has ended and {@link BillingEngine#runDue()} has not closed it yet
     */
    public BillingProfile changeProfile(String namespace, ProfileChange change) {
        Checks.namespace(namespace);
        Checks.required("change", change);
        String parent = change.parent();
        if (change.changesParent() && parent != null) {
            Checks.token("parent", parent, Checks.MAX_NAMESPACE);
        }
        Period length = change.cycle() == null ? null : BillingCycle.check(change.cycle());
        return work.transact(s -> {
            AccountRecord a = Lookups.requireAccount(s, namespace);
            // locked first: a concurrent change of this profile waits, and so does a hierarchy check that walks through it
            BillingProfileRecord old = profiles.storedProfile(s, a);
            if (change.changesParent() && parent != null) {
                AccountRecord p = s.accounts().findAccount(parent).orElseThrow(() -> new NotFoundException(
                        ErrorCode.ACCOUNT_NOT_FOUND, "parent", "no account " + parent));
                if (!p.currency().equals(a.currency())) {
                    throw new InvalidRequestException(ErrorCode.CURRENCY_MISMATCH, "parent", parent + " is in "
                            + p.currency() + ", " + namespace + " is in " + a.currency());
                }
                Hierarchy.checkNoCycle(s, namespace, parent);
            }
            BillingProfileRecord next = old;
            if (change.changesParent()) {
                next = next.withParent(parent);
            }
            if (change.kind() != null) {
                next = next.withKind(Codes.code(change.kind()));
            }
            if (change.changesCycle()) {
                next = withCycle(next, old, namespace, length, change.zone());
            }
            BillingProfileRecord stored = next.equals(old) ? old : replaceProfile(s, next, old);
            if (change.changesParent() && parent != null && !parent.equals(old.parent())) {
                // the new ancestors' totals, with this account's and its descendants' open periods
                new Limits(s, profiles, rounding, RateCard.read(s)).checkHierarchy(namespace, clock.instant());
            }
            return view(stored);
        });
    }

    /** {@code next} with the pending cycle change that setting {@code length} and {@code zone} makes. */
    private BillingProfileRecord withCycle(BillingProfileRecord next, BillingProfileRecord old, String namespace,
            Period length, ZoneId zone) {
        String newLength = length != null ? length.toString()
                : old.nextCycleLength() != null ? old.nextCycleLength() : old.cycleLength();
        String newZone = zone != null ? zone.getId()
                : old.nextCycleZone() != null ? old.nextCycleZone() : old.cycleZone();
        boolean same = newLength.equals(old.cycleLength()) && sameZone(newZone, old.cycleZone());
        String pendingLength = same ? null : newLength;
        String pendingZone = same ? null : newZone;
        boolean unchanged = Objects.equals(pendingLength, old.nextCycleLength()) && (pendingZone == null
                ? old.nextCycleZone() == null
                : old.nextCycleZone() != null && sameZone(pendingZone, old.nextCycleZone()));
        if (unchanged) {
            return next;
        }
        if (!old.periodEnd().isAfter(clock.instant())) {
            throw new ConflictException(ErrorCode.PERIOD_NOT_CLOSED, "cycle", "the period of " + namespace
                    + " ended at " + old.periodEnd() + " and is not closed yet; change the cycle after runDue");
        }
        return next.withNextCycle(pendingLength, pendingZone);
    }

    private static BillingProfileRecord replaceProfile(StorageSession s, BillingProfileRecord next, BillingProfileRecord old) {
        if (!s.profiles().replaceBillingProfile(next, old.periodStart())) {
            throw new TransientStorageException("period of " + next.namespace() + " closed concurrently", null);
        }
        return next;
    }

    /** @return whether two zone ids name the same rules ({@code UTC}, {@code Z} and {@code Etc/UTC} do) */
    private static boolean sameZone(String a, String b) {
        return ZoneId.of(a).normalized().equals(ZoneId.of(b).normalized());
    }

    private static Account view(StorageSession s, AccountRecord a) {
        return new Account(a.namespace(), Amounts.currency(a.currency()), Codes.parse(AccountStatus.class, a.status()),
                a.notification(), Amounts.of(a.balance(), a.currency()), SubscriptionMapping.subscriptions(s, a.namespace()),
                a.createdAt());
    }

    private static BillingProfile view(BillingProfileRecord p) {
        return new BillingProfile(p.namespace(), p.parent(), Codes.parse(AccountKind.class, p.kind()),
                Profiles.openPeriod(p), Period.parse(p.cycleLength()), ZoneId.of(p.cycleZone()),
                p.nextCycleLength() == null ? null : Period.parse(p.nextCycleLength()),
                p.nextCycleZone() == null ? null : ZoneId.of(p.nextCycleZone()));
    }
}
