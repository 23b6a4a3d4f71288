package dev.billing.core.internal;

import dev.billing.core.IdGenerator;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.StorageSession;
import dev.billing.spi.TransactionRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;

/**
 * Crediting a wallet with money taken from outside (a recharge, a provider's confirmed payment, a
 * redeemed coupon), inside the caller's unit of work: one {@link TransactionKind#RECHARGE} transaction
 * from {@code funding:<method>}, the account opened on its first credit, its debt paid first, then
 * whatever the areas registered to run after a credit (a subscription in its grace period renews).
 * Thread-safe. Not API.
 */
public final class Credits {

    /** What runs in the unit of work of a credit, after it: given the account after the credit. */
    @FunctionalInterface
    public interface AfterCredit {
        /**
         * @param s the unit of work
         * @param account the account after the credit and its debt's payment
         * @param now the moment
         * @return whether it changed the account's balance (the credit then reads the account again)
         */
        boolean run(StorageSession s, AccountRecord account, Instant now);
    }

    private final IdGenerator ids;
    private final Profiles profiles;
    private final Outbox outbox;
    private final java.util.List<AfterCredit> after = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param ids the engine's ids
     * @param profiles opens accounts with the engine's defaults
     * @param outbox records reactivations
     */
    public Credits(IdGenerator ids, Profiles profiles, Outbox outbox) {
        this.ids = ids;
        this.profiles = profiles;
        this.outbox = outbox;
    }

    /** @param step what runs after every credit, in its unit of work */
    public void afterCredit(AfterCredit step) {
        after.add(step);
    }

    /**
     * What a credit did.
     *
     * @param transactionId the recharge transaction
     * @param account the account after it (and after paying its debt)
     */
    public record Credited(String transactionId, AccountRecord account) {
    }

    /**
     * Credits {@code amount} to the wallet of {@code namespace}, opening the account (in the amount's
     * currency) when it has none, then pays its debt as far as the balance goes.
     *
     * @param s the unit of work
     * @param namespace the account
     * @param amount positive, already checked for its own currency's digits
     * @param paymentMethod where the money came from: the ledger account {@code funding:<paymentMethod>}
     * @param description the transaction's description
     * @param now the moment
     * @return the transaction and the account after
     * @throws InvalidRequestException when the amount is in another currency than the account's, has too
     *     many decimals for it, or would take the balance to 10^15
     * @throws dev.billing.core.ConflictException when the account is closed
     */
    public Credited credit(StorageSession s, String namespace, MonetaryAmount amount, String paymentMethod,
            String description, Instant now) {
        BigDecimal number = Amounts.exact(amount);
        CurrencyUnit currency = amount.getCurrency();
        String code = currency.getCurrencyCode();
        String txId = ids.next();
        // balanceAfter: the store records the balance its change returns
        TransactionRecord recharge = new TransactionRecord(0, txId, namespace, Codes.code(TransactionKind.RECHARGE),
                number, code, description, paymentMethod, null, null, BigDecimal.ZERO, now, null);
        List<PostingRecord> postings = List.of(new PostingRecord(txId, Ledger.wallet(namespace), number, code),
                new PostingRecord(txId, Ledger.funding(paymentMethod), number.negate(), code));
        // the account as of the row lock the balance change took (no read before it): one closed
        // meanwhile is refused, never credited; an amount in another currency, or with more decimals
        // than the account's, is refused after the change, which the unit of work then rolls back with
        // the transaction appended with it
        AccountRecord locked = s.applyBalanceDeltaAndAppend(namespace, number, null, recharge, postings).orElse(null);
        if (locked == null) {
            // no account, or one over the ceiling, or one that a concurrent first recharge committed
            // after the change found none: the change again tells them apart
            AccountRecord found = s.accounts().findAccount(namespace).orElse(null);
            Checks.positiveAmount("amount", amount, found == null ? currency : Amounts.currency(found.currency()));
            if (found == null) {
                profiles.openAccount(s, namespace, currency, now);
            }
            locked = s.applyBalanceDeltaAndAppend(namespace, number, null, recharge, postings)
                    .orElseThrow(() -> overCeiling("amount", namespace));
        }
        Checks.positiveAmount("amount", amount, Amounts.currency(locked.currency()));
        if (locked.status().equals(Codes.code(AccountStatus.CLOSED))) {
            throw Lookups.notActive(locked);
        }
        AccountRecord paid = Debts.pay(s, locked, now, ids::next, outbox);
        boolean changed = false;
        for (AfterCredit step : after) {
            changed |= step.run(s, paid, now);
        }
        return new Credited(txId, changed ? s.accounts().findAccount(namespace).orElse(paid) : paid);
    }

    /** @return the refusal of a credit that would take the balance of {@code namespace} to 10^15 or more */
    public static InvalidRequestException overCeiling(String field, String namespace) {
        return InvalidRequestException.of(field, "would take the balance of " + namespace + " to 10^15 or more");
    }
}
