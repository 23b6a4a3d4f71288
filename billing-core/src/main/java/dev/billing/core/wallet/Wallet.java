package dev.billing.core.wallet;

import dev.billing.core.BillingEngine;
import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.core.IdGenerator;
import dev.billing.core.InsufficientFundsException;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.events.EventType;
import dev.billing.core.internal.Amounts;
import dev.billing.core.internal.Checks;
import dev.billing.core.internal.Codes;
import dev.billing.core.internal.Credits;
import dev.billing.core.internal.EngineContext;
import dev.billing.core.internal.Fingerprint;
import dev.billing.core.internal.Ledger;
import dev.billing.core.internal.Lookups;
import dev.billing.core.internal.LowBalance;
import dev.billing.core.internal.Outbox;
import dev.billing.core.internal.SubscriptionMapping;
import dev.billing.core.internal.UnitOfWork.Keyed;
import dev.billing.core.internal.UnitOfWork;
import dev.billing.core.subscriptions.SubscriptionStatus;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.IdempotencyRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.StorageSession;
import dev.billing.spi.TransactionRecord;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.javamoney.moneta.Money;

/**
 * Prepaid wallets: recharges, refunds, operator adjustments, the transaction history and the ledger
 * read back. Reached through {@link BillingEngine#wallet()}.
 *
 * <p>Every money movement is a {@link Transaction} recorded as balanced postings (debits and credits
 * that sum to zero): the wallet {@code wallet:<namespace>} against {@code funding:<payment method>}
 * for recharges, {@code revenue:plans} for refunds, {@code adjustment} for adjustments. A wallet's
 * balance always equals the sum of its postings, and all postings sum to zero.
 *
 * <p>Calls that move money take an idempotency key, scoped to the namespace: the same key with the
 * same request returns the first call's result and changes nothing; the same key with a different
 * request throws {@link ConflictException} ({@link ErrorCode#IDEMPOTENCY_CONFLICT}). A call that
 * failed is not remembered, so it may be retried with the same key. Amounts are exact: an amount in
 * another currency than the account's, or with more decimals than its currency has, is rejected,
 * never rounded.
 *
 * <p>Thread-safe: concurrent calls on one namespace never lose an update and never overdraw a wallet.
 */
public final class Wallet {

    /** The payment method of recharges when the host names none. */
    public static final String DEFAULT_RECHARGE_METHOD = "recharge";
    /** The largest page of {@link #transactions(String, String, int)}. */
    public static final int MAX_PAGE = 1000;

    private final UnitOfWork work;
    private final Clock clock;
    private final IdGenerator ids;
    private final Outbox outbox;
    private final Credits credits;

    /**
     * Made by the engine; hosts reach it through {@link BillingEngine#wallet()}.
     *
     * @param context the engine's internals (not API)
     */
    public Wallet(EngineContext context) {
        this.work = context.work();
        this.clock = context.clock();
        this.ids = context.ids();
        this.outbox = context.outbox();
        this.credits = context.credits();
    }

    /**
     * @param namespace the account's namespace
     * @return its balance and status
     * @throws NotFoundException when no account has this namespace
     */
    public Balance balance(String namespace) {
        Checks.namespace(namespace);
        return work.transact(s -> balanceOf(Lookups.requireAccount(s, namespace)));
    }

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
     * see {@link BillingEngine#runDue()}), the recharge pays that debt first, as a separate
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
        Checks.token("paymentMethod", paymentMethod, 32);
        BigDecimal number = Checks.positiveAmount("amount", amount, null);
        CurrencyUnit currency = amount.getCurrency();
        String fingerprint = Fingerprint.of("recharge").with(namespace).with(number)
                .with(currency.getCurrencyCode()).with(paymentMethod).digest();
        return work.keyed(namespace, idempotencyKey, fingerprint, s -> {
            Instant now = clock.instant();
            Credits.Credited credited = credits.credit(s, namespace, amount, paymentMethod, "Recharge", now);
            String txId = credited.transactionId();
            AccountRecord after = credited.account();
            Balance result = new Balance(Amounts.of(after.balance(), currency),
                    Codes.parse(AccountStatus.class, after.status()));
            return new Keyed<>(result, txId, after.balance(), after.status());
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
        Checks.token("transactionId", transactionId, Checks.MAX_NAMESPACE);
        Checks.idempotencyKey(idempotencyKey);
        String fingerprint = Fingerprint.of("refund").with(namespace).with(transactionId).digest();
        return work.keyed(namespace, idempotencyKey, fingerprint, s -> {
            Instant now = clock.instant();
            AccountRecord account = Lookups.requireAccount(s, namespace);
            if (account.status().equals(Codes.code(AccountStatus.CLOSED))) {
                throw Lookups.notActive(account);
            }
            TransactionRecord purchase = Lookups.requireTransaction(s, namespace, transactionId);
            if (!purchase.kind().equals(Codes.code(TransactionKind.PURCHASE))) {
                throw new ConflictException(ErrorCode.NOT_REFUNDABLE, "transactionId", "transaction " + transactionId
                        + " is a " + purchase.kind() + "; only purchases can be refunded");
            }
            if (purchase.refundedBy() != null) {
                throw new ConflictException(ErrorCode.ALREADY_REFUNDED, "transactionId", "transaction " + transactionId
                        + " was refunded by " + purchase.refundedBy());
            }
            BigDecimal amount = purchase.amount();
            BigDecimal balance = s.accounts().applyBalanceDelta(namespace, amount, null)
                    .orElseThrow(() -> Credits.overCeiling("transactionId", namespace)).balance();
            String txId = ids.next();
            TransactionRecord refund = new TransactionRecord(0, txId, namespace, Codes.code(TransactionKind.REFUND),
                    amount, purchase.currency(), "Refund of " + purchase.description(), Ledger.BALANCE_PAYMENT,
                    purchase.planId(), purchase.id(), balance, now, null);
            long seq = s.ledger().appendTransaction(refund, List.of(
                    new PostingRecord(txId, Ledger.wallet(namespace), amount, purchase.currency()),
                    new PostingRecord(txId, Ledger.REVENUE_PLANS, amount.negate(), purchase.currency())));
            s.subscriptions().findSubscriptionByTransaction(purchase.id()).filter(SubscriptionMapping::active)
                    .ifPresent(sub -> {
                        s.subscriptions().updateSubscriptionStatus(sub.id(), Codes.code(SubscriptionStatus.CANCELLED));
                        outbox.record(s, EventType.SUBSCRIPTION_CANCELLED, namespace, sub.id(), Map.of("planId",
                                sub.planId(), "mode", "refunded", "endsAt", now.toString(), "refund",
                                Amounts.scaled(amount, Amounts.currency(purchase.currency())).toPlainString(),
                                "currency", purchase.currency()));
                        outbox.record(s, EventType.SUBSCRIPTION_ENDED, namespace, sub.id(), Map.of("planId", sub.planId(),
                                "endedAt", now.toString(), "reason", "cancelled"));
                    });
            return new Keyed<>(TransactionMapping.transaction(refund.asStored(seq, null)), txId, balance, account.status());
        }, (s, prior) -> TransactionMapping.transaction(s.ledger().findTransaction(prior.transactionId()).orElseThrow()));
    }

    /**
     * Corrects a wallet by an operator's decision: a positive amount credits it, a negative one
     * debits it (never below zero). Recorded as an {@link TransactionKind#ADJUSTMENT} whose amount
     * keeps its sign, posted against the ledger account {@code adjustment}.
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
        return work.keyed(namespace, idempotencyKey, fingerprint, s -> {
            Instant now = clock.instant();
            AccountRecord account = Lookups.requireAccount(s, namespace);
            CurrencyUnit currency = Amounts.currency(account.currency());
            Checks.positiveAmount("amount", amount.abs(), currency);
            if (account.status().equals(Codes.code(AccountStatus.CLOSED))) {
                throw Lookups.notActive(account);
            }
            AccountRecord changed = s.accounts().applyBalanceDelta(namespace, signed, signed.signum() < 0 ? BigDecimal.ZERO : null)
                    .orElseThrow(() -> signed.signum() > 0 ? Credits.overCeiling("amount", namespace)
                            : new InsufficientFundsException(namespace, Amounts.of(account.balance(), currency),
                                    amount.abs()));
            BigDecimal balance = changed.balance();
            LowBalance.afterDebit(s, outbox, changed, signed.negate());
            String txId = ids.next();
            TransactionRecord t = new TransactionRecord(0, txId, namespace, Codes.code(TransactionKind.ADJUSTMENT),
                    signed, account.currency(), reason, Ledger.ADJUSTMENTS, null, null, balance, now, null);
            long seq = s.ledger().appendTransaction(t, List.of(
                    new PostingRecord(txId, Ledger.wallet(namespace), signed, account.currency()),
                    new PostingRecord(txId, Ledger.ADJUSTMENTS, signed.negate(), account.currency())));
            return new Keyed<>(TransactionMapping.transaction(t.asStored(seq, null)), txId, balance, account.status());
        }, (s, prior) -> TransactionMapping.transaction(s.ledger().findTransaction(prior.transactionId()).orElseThrow()));
    }

    /**
     * One page of a namespace's transactions, newest first.
     *
     * @param namespace the account's namespace
     * @param cursor {@code null} for the first page, else the {@link TransactionPage#nextCursor()} of the previous
     *     page: opaque, and valid only for its namespace
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
        if (cursor != null && !cursor.isEmpty()) {
            Checks.token("cursor", cursor, Checks.MAX_NAMESPACE);
        }
        return work.transact(s -> {
            Lookups.requireAccount(s, namespace);
            long before = before(s, namespace, cursor);
            List<TransactionRecord> rows = s.ledger().listTransactions(namespace, before, limit + 1);
            List<Transaction> items = new ArrayList<>();
            for (int i = 0; i < Math.min(limit, rows.size()); i++) {
                items.add(TransactionMapping.transaction(rows.get(i)));
            }
            // the last item's own id: a cursor tells a tenant nothing it does not see (no global sequence)
            String next = rows.size() > limit ? rows.get(limit - 1).id() : null;
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
        Checks.token("transactionId", transactionId, Checks.MAX_NAMESPACE);
        return work.transact(s -> TransactionMapping.transaction(Lookups.requireTransaction(s, namespace, transactionId)));
    }

    /**
     * The ledger's trial balance: the sum of all postings per currency. Every sum is zero in a
     * sound ledger.
     *
     * @return the sums, by currency code
     */
    public Map<CurrencyUnit, MonetaryAmount> trialBalance() {
        return work.transact(s -> {
            Map<CurrencyUnit, MonetaryAmount> sums = new LinkedHashMap<>();
            s.ledger().sumPostingsByCurrency().forEach((code, sum) -> {
                CurrencyUnit c = Amounts.currency(code);
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
        return work.transact(s -> {
            AccountRecord a = Lookups.requireAccount(s, namespace);
            return Amounts.of(s.ledger().sumPostings(Ledger.wallet(namespace)), a.currency());
        });
    }

    /** @return the sequence below which the page after {@code cursor} lists; only this namespace's cursors count */
    private static long before(StorageSession s, String namespace, String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return Long.MAX_VALUE;
        }
        return s.ledger().findTransaction(cursor).filter(t -> t.namespace().equals(namespace)).map(TransactionRecord::seq)
                .orElseThrow(() -> InvalidRequestException.of("cursor", "is not a cursor of namespace " + namespace
                        + " this engine returned: " + cursor));
    }

    private static Balance balanceOf(AccountRecord a) {
        return new Balance(Amounts.of(a.balance(), a.currency()), Codes.parse(AccountStatus.class, a.status()));
    }

    private static Balance replayBalance(StorageSession s, String namespace, IdempotencyRecord prior) {
        AccountRecord a = Lookups.requireAccount(s, namespace);
        return new Balance(Amounts.of(prior.balance(), a.currency()), Codes.parse(AccountStatus.class, prior.status()));
    }
}
