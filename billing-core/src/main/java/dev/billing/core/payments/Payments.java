package dev.billing.core.payments;

import dev.billing.core.BillingEngine;
import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.core.IdGenerator;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.events.EventType;
import dev.billing.core.internal.Amounts;
import dev.billing.core.internal.Checks;
import dev.billing.core.internal.Codes;
import dev.billing.core.internal.Credits;
import dev.billing.core.internal.EngineContext;
import dev.billing.core.internal.Lookups;
import dev.billing.core.internal.Outbox;
import dev.billing.core.internal.Profiles;
import dev.billing.core.internal.UnitOfWork;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.PaymentRecord;
import dev.billing.spi.StorageSession;
import dev.billing.spi.TransientStorageException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.money.MonetaryAmount;

/**
 * Recharges through a payment provider, in two phases. The host starts a payment at its provider (a
 * checkout page, a QR code) and tells the engine with {@link #begin}: a pending payment under the
 * provider's reference, nothing credited. The provider's callback then reaches the host, which verifies
 * it and calls {@link #confirm} (credited exactly once, as a recharge from {@code funding:<provider>})
 * or {@link #fail}. Pending payments expire after the engine's {@code paymentExpiry} (24 hours by
 * default; {@link BillingEngine#runDue()} expires them).
 *
 * <p>Every call is idempotent by the provider's reference, and settling is a compare-and-set from
 * pending in the storage: a callback repeated ten times, or a confirmation racing a failure (in one
 * process or several), credits at most once and leaves one final state. A confirmation of a payment
 * that failed or expired, or a failure of one that succeeded, is refused ({@link
 * ErrorCode#PAYMENT_NOT_PENDING}) and changes nothing: the provider contradicted itself, and a person
 * should look (refund through the provider, or recharge by hand).
 *
 * <p>Thread-safe.
 */
public final class Payments {

    private static final System.Logger LOG = System.getLogger(Payments.class.getName());
    private static final int MAX_PROVIDER = 32;
    private static final int MAX_REASON = 256;
    private static final int DUE_BATCH = 100;

    private final UnitOfWork work;
    private final Clock clock;
    private final IdGenerator ids;
    private final Profiles profiles;
    private final Outbox outbox;
    private final Duration expiry;
    private final Credits credits;

    /**
     * Made by the engine; hosts reach it through {@link BillingEngine#payments()}.
     *
     * @param context the engine's internals (not API)
     */
    public Payments(EngineContext context) {
        this.work = context.work();
        this.clock = context.clock();
        this.ids = context.ids();
        this.profiles = context.profiles();
        this.outbox = context.outbox();
        this.expiry = context.paymentExpiry();
        this.credits = context.credits();
    }

    /**
     * Records a payment the host started at its provider: pending, nothing credited. Beginning the same
     * provider's reference again for the same account and amount answers the payment as it stands; the
     * first payment of an unknown namespace opens its account, in the amount's currency, as a first
     * recharge does.
     *
     * @param namespace the account to credit
     * @param amount positive, in the account's currency, with no more decimals than it has
     * @param provider the provider's name (the ledger account {@code funding:<provider>}), up to 32 characters
     * @param providerReference the provider's id for this payment, up to 128 characters
     * @return the payment
     * @throws InvalidRequestException when a field is malformed, or the amount is in another currency
     *     than the account's ({@link ErrorCode#CURRENCY_MISMATCH})
     * @throws ConflictException when the account is closed, or the reference names a payment begun for
     *     another account or amount ({@link ErrorCode#PAYMENT_EXISTS})
     */
    public Payment begin(String namespace, MonetaryAmount amount, String provider, String providerReference) {
        Checks.namespace(namespace);
        BigDecimal number = Checks.positiveAmount("amount", amount, null);
        Checks.token("provider", provider, MAX_PROVIDER);
        Checks.token("providerReference", providerReference, Checks.MAX_KEY);
        return work.transact(s -> {
            PaymentRecord existing = s.payments().findPayment(provider, providerReference).map(Payments::atCurrencyScale)
                    .orElse(null);
            if (existing != null) {
                if (existing.namespace().equals(namespace) && existing.amount().compareTo(number) == 0
                        && existing.currency().equals(amount.getCurrency().getCurrencyCode())) {
                    return view(existing);
                }
                throw new ConflictException(ErrorCode.PAYMENT_EXISTS, "providerReference", provider + " payment "
                        + providerReference + " was begun for " + existing.namespace() + " with "
                        + existing.amount().toPlainString() + " " + existing.currency());
            }
            Instant now = clock.instant();
            AccountRecord account = s.accounts().findAccount(namespace).orElse(null);
            if (account == null) {
                Checks.positiveAmount("amount", amount, amount.getCurrency());
                account = profiles.openAccount(s, namespace, amount.getCurrency(), now);
            }
            Checks.positiveAmount("amount", amount, Amounts.currency(account.currency()));
            if (account.status().equals(Codes.code(AccountStatus.CLOSED))) {
                throw Lookups.notActive(account);
            }
            PaymentRecord p = new PaymentRecord(ids.next(), namespace, provider, providerReference,
                    Amounts.scaled(number, amount.getCurrency()), account.currency(), Codes.code(PaymentStatus.PENDING),
                    now, now.plus(expiry), null, null, null);
            s.payments().insertPayment(p);
            outbox.record(s, EventType.RECHARGE_PENDING, namespace, providerReference, data(p));
            return view(p);
        });
    }

    /**
     * The provider confirmed the payment: credits it to the wallet, once (a recharge from
     * {@code funding:<provider>}, paying any debt first). A payment that succeeded already is answered
     * as it stands, crediting nothing more.
     *
     * @param provider the provider's name
     * @param providerReference its reference
     * @return the payment, {@link PaymentStatus#SUCCEEDED}, with its transaction
     * @throws NotFoundException ({@link ErrorCode#PAYMENT_NOT_FOUND}) when no payment has this reference
     * @throws ConflictException ({@link ErrorCode#PAYMENT_NOT_PENDING}) when it failed or expired (also one
     *     past its expiry that {@code runDue} has not expired yet), or ({@link ErrorCode#ACCOUNT_NOT_ACTIVE})
     *     when its account was closed meanwhile; nothing changes
     */
    public Payment confirm(String provider, String providerReference) {
        checkReference(provider, providerReference);
        return work.transact(s -> {
            PaymentRecord p = require(s, provider, providerReference);
            PaymentStatus status = Codes.parse(PaymentStatus.class, p.status());
            if (status == PaymentStatus.SUCCEEDED) {
                return view(p);
            }
            Instant now = clock.instant();
            if (status != PaymentStatus.PENDING || !now.isBefore(p.expiresAt())) {
                throw notPending(p, status == PaymentStatus.PENDING ? "expired at " + p.expiresAt()
                        : Codes.code(status) + (p.reason() == null ? "" : " (" + p.reason() + ")"), "confirmed");
            }
            Credits.Credited credited = credits.credit(s, p.namespace(), Amounts.of(p.amount(), p.currency()), provider,
                    "Recharge", now);
            PaymentRecord settled = p.settled(Codes.code(PaymentStatus.SUCCEEDED), now, credited.transactionId(), null);
            settle(s, settled);
            Map<String, String> data = data(settled);
            data.put("transactionId", credited.transactionId());
            outbox.record(s, EventType.RECHARGE_CONFIRMED, p.namespace(), providerReference, data);
            return view(settled);
        });
    }

    /**
     * The provider says the payment failed: nothing is credited, ever. A payment that failed or expired
     * already is answered as it stands.
     *
     * @param provider the provider's name
     * @param providerReference its reference
     * @param reason the provider's reason, up to 256 characters
     * @return the payment, {@link PaymentStatus#FAILED} (or {@link PaymentStatus#EXPIRED} when it had expired)
     * @throws NotFoundException ({@link ErrorCode#PAYMENT_NOT_FOUND}) when no payment has this reference
     * @throws ConflictException ({@link ErrorCode#PAYMENT_NOT_PENDING}) when it succeeded (refund it
     *     instead); nothing changes
     */
    public Payment fail(String provider, String providerReference, String reason) {
        checkReference(provider, providerReference);
        Checks.token("reason", reason, MAX_REASON);
        return work.transact(s -> {
            PaymentRecord p = require(s, provider, providerReference);
            PaymentStatus status = Codes.parse(PaymentStatus.class, p.status());
            if (status == PaymentStatus.FAILED || status == PaymentStatus.EXPIRED) {
                return view(p);
            }
            if (status == PaymentStatus.SUCCEEDED) {
                throw notPending(p, "succeeded and was credited by " + p.transactionId(), "failed");
            }
            PaymentRecord settled = p.settled(Codes.code(PaymentStatus.FAILED), clock.instant(), null, reason);
            settle(s, settled);
            Map<String, String> data = data(settled);
            data.put("reason", reason);
            outbox.record(s, EventType.RECHARGE_FAILED, p.namespace(), providerReference, data);
            return view(settled);
        });
    }

    /**
     * @param provider the provider's name
     * @param providerReference its reference
     * @return the payment as it stands
     * @throws NotFoundException ({@link ErrorCode#PAYMENT_NOT_FOUND}) when no payment has this reference
     */
    public Payment payment(String provider, String providerReference) {
        checkReference(provider, providerReference);
        return work.transact(s -> view(require(s, provider, providerReference)));
    }

    /**
     * @param namespace the account
     * @return its payments, oldest first
     * @throws NotFoundException when no account has this namespace
     */
    public List<Payment> payments(String namespace) {
        Checks.namespace(namespace);
        return work.transact(s -> {
            Lookups.requireAccount(s, namespace);
            return s.payments().listPayments(namespace).stream().map(Payments::atCurrencyScale).map(Payments::view).toList();
        });
    }

    /**
     * Expires every payment still pending at its expiry, each in its own unit of work (a compare-and-set
     * from pending: a confirmation that won the race stays confirmed). {@link BillingEngine#runDue()} calls it.
     *
     * @return one failure message per payment that could not be expired (retried by the next run)
     */
    public List<String> expireDue() {
        Instant now = clock.instant();
        List<String> failures = new ArrayList<>();
        Set<String> failed = new HashSet<>();
        while (true) {
            List<PaymentRecord> due = work.transact(s -> s.payments().listPaymentsExpired(now, DUE_BATCH + failed.size()))
                    .stream().filter(p -> !failed.contains(p.id())).toList();
            if (due.isEmpty()) {
                return failures;
            }
            for (PaymentRecord stored : due) {
                PaymentRecord p = atCurrencyScale(stored);
                try {
                    work.transact(s -> {
                        PaymentRecord settled = p.settled(Codes.code(PaymentStatus.EXPIRED), now, null, "expired");
                        if (s.payments().settlePayment(settled)) {
                            Map<String, String> data = data(settled);
                            data.put("reason", "expired");
                            outbox.record(s, EventType.RECHARGE_FAILED, p.namespace(), p.providerRef(), data);
                        }
                        return null;
                    });
                } catch (RuntimeException e) { // one payment's failure never stops the others
                    failed.add(p.id());
                    failures.add("expiring payment " + p.id() + ": " + e.getMessage());
                    LOG.log(System.Logger.Level.WARNING, "expiring payment " + p.id() + " failed", e);
                }
            }
        }
    }

    private static void checkReference(String provider, String providerReference) {
        Checks.token("provider", provider, MAX_PROVIDER);
        Checks.token("providerReference", providerReference, Checks.MAX_KEY);
    }

    private static PaymentRecord require(StorageSession s, String provider, String providerReference) {
        return s.payments().findPayment(provider, providerReference).map(Payments::atCurrencyScale).orElseThrow(() ->
                new NotFoundException(ErrorCode.PAYMENT_NOT_FOUND, "providerReference", "no " + provider + " payment "
                        + providerReference));
    }

    /** @return {@code p} with its amount at its currency's scale (a store may keep another) */
    private static PaymentRecord atCurrencyScale(PaymentRecord p) {
        return new PaymentRecord(p.id(), p.namespace(), p.provider(), p.providerRef(),
                Amounts.scaled(p.amount(), Amounts.currency(p.currency())), p.currency(), p.status(), p.createdAt(),
                p.expiresAt(), p.settledAt(), p.transactionId(), p.reason());
    }

    /** Settles {@code settled} from pending; a concurrent settlement makes the unit of work run again and see it. */
    private static void settle(StorageSession s, PaymentRecord settled) {
        if (!s.payments().settlePayment(settled)) {
            throw new TransientStorageException("payment " + settled.id() + " was settled concurrently", null);
        }
    }

    private static ConflictException notPending(PaymentRecord p, String state, String verb) {
        return new ConflictException(ErrorCode.PAYMENT_NOT_PENDING, "providerReference", p.provider() + " payment "
                + p.providerRef() + " cannot be " + verb + ": it " + (state.startsWith("expired at") ? "" : "is ")
                + state);
    }

    private static Map<String, String> data(PaymentRecord p) {
        Map<String, String> data = new HashMap<>();
        data.put("provider", p.provider());
        data.put("amount", p.amount().toPlainString());
        data.put("currency", p.currency());
        data.put("paymentId", p.id());
        return data;
    }

    private static Payment view(PaymentRecord p) {
        return new Payment(p.id(), p.namespace(), p.provider(), p.providerRef(), Amounts.of(p.amount(), p.currency()),
                Codes.parse(PaymentStatus.class, p.status()), p.createdAt(), p.expiresAt(), p.settledAt(),
                p.transactionId(), p.reason());
    }
}
