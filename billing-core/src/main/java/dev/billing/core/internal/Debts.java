package dev.billing.core.internal;

import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.events.EventType;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.StorageSession;
import dev.billing.spi.TransactionRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Arrears: what an account owes from closed periods its wallet could not cover (the ledger account
 * {@code receivable:<namespace>}), paid from the wallet by the next credit (a recharge, a provider's
 * payment, a coupon). Not API.
 */
public final class Debts {

    private Debts() {
    }

    /**
     * Pays debt from the wallet, as far as the balance goes, and reactivates a suspended account
     * whose debt is paid off.
     *
     * @param a the account as its balance change returned it, under the row lock that change took: a
     *     close that suspended the account (and recorded its debt) after the caller's first read is seen,
     *     and the account it suspended is reactivated
     * @return the account after: its balance and status
     */
    public static AccountRecord pay(StorageSession s, AccountRecord a, Instant now, Supplier<String> ids, Outbox outbox) {
        BigDecimal debt = a.debt();
        if (debt.signum() <= 0) {
            return a;
        }
        AccountRecord current = a;
        BigDecimal pay = debt.min(a.balance());
        if (pay.signum() > 0) {
            LowBalance.afterDebit(s, outbox, s.accounts().applyBalanceDelta(a.namespace(), pay.negate(), BigDecimal.ZERO)
                    .orElseThrow(), pay);
            current = s.accounts().applyDebtDelta(a.namespace(), pay.negate()).orElseThrow();
            String txId = ids.get();
            s.ledger().appendTransaction(new TransactionRecord(0, txId, a.namespace(), Codes.code(TransactionKind.DEBT_PAYMENT),
                    pay, a.currency(), "Payment of unpaid usage charges", Ledger.BALANCE_PAYMENT, null, null,
                    current.balance(), now, null), List.of(
                            new PostingRecord(txId, Ledger.wallet(a.namespace()), pay.negate(), a.currency()),
                            new PostingRecord(txId, Ledger.receivable(a.namespace()), pay, a.currency())));
        }
        if (pay.compareTo(debt) == 0 && current.status().equals(Codes.code(AccountStatus.SUSPENDED))) {
            s.accounts().updateAccountState(a.namespace(), Codes.code(AccountStatus.ACTIVE), current.notification());
            current = current.withState(Codes.code(AccountStatus.ACTIVE), current.notification());
            outbox.record(s, EventType.ACCOUNT_REACTIVATED, a.namespace(), a.namespace(), Map.of("reason", "debt_paid"));
        }
        return current;
    }
}
