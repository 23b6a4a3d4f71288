package dev.billing.core.wallet;

import dev.billing.core.internal.Amounts;
import dev.billing.core.internal.Codes;
import dev.billing.spi.TransactionRecord;
import javax.money.CurrencyUnit;

/** Transactions and the records they are stored as. */
final class TransactionMapping {

    private TransactionMapping() {
    }

    static Transaction transaction(TransactionRecord t) {
        CurrencyUnit currency = Amounts.currency(t.currency());
        return new Transaction(t.id(), t.namespace(), Codes.parse(TransactionKind.class, t.kind()),
                Amounts.of(t.amount(), currency), t.description(), t.paymentMethod(),
                t.refundedBy() == null ? TransactionStatus.FINISH : TransactionStatus.REFUNDED,
                t.createdAt(), Amounts.of(t.balanceAfter(), currency), t.planId(), t.refundOf(), t.refundedBy());
    }
}
