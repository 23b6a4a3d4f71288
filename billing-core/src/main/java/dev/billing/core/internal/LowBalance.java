package dev.billing.core.internal;

import dev.billing.core.events.EventType;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.StorageSession;
import java.math.BigDecimal;
import java.util.Map;

/**
 * The {@code balance.low} event: written by a debit that takes an account's balance from at or above
 * its low-balance threshold to below it (once per crossing: the next debit below it says nothing
 * more, until a credit lifts the balance back). Stateless. Not API.
 */
public final class LowBalance {

    private LowBalance() {
    }

    /**
     * @param s the unit of work of the debit
     * @param outbox where the event goes
     * @param after the account as the debit's balance change returned it
     * @param debited what the debit took, positive
     */
    public static void afterDebit(StorageSession s, Outbox outbox, AccountRecord after, BigDecimal debited) {
        BigDecimal threshold = after.lowBalanceThreshold();
        if (threshold == null || debited.signum() <= 0) {
            return;
        }
        BigDecimal before = after.balance().add(debited);
        if (before.compareTo(threshold) >= 0 && after.balance().compareTo(threshold) < 0) {
            outbox.record(s, EventType.BALANCE_LOW, after.namespace(), after.namespace(), Map.of("balance",
                    Amounts.scaled(after.balance(), Amounts.currency(after.currency())).toPlainString(), "threshold",
                    Amounts.scaled(threshold, Amounts.currency(after.currency())).toPlainString(), "currency",
                    after.currency()));
        }
    }
}
