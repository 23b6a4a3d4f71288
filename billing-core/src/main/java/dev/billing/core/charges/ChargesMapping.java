package dev.billing.core.charges;

import dev.billing.core.accounts.BillingPeriod;
import dev.billing.core.internal.Amounts;
import dev.billing.core.internal.RateCard;
import dev.billing.spi.CommitmentRecord;
import dev.billing.spi.StatementLineRecord;
import dev.billing.spi.StatementRecord;
import java.util.List;
import javax.money.CurrencyUnit;

/** Commitments and statements, and the records they are stored as (rates: {@link RateCard}). */
final class ChargesMapping {

    private ChargesMapping() {
    }

    static Commitment commitment(CommitmentRecord c) {
        return new Commitment(c.id(), Amounts.plain(c.percentOff()), Amounts.of(c.threshold(), c.currency()), c.endDate());
    }

    static StatementLineRecord toRecord(String statementId, int lineNo, ChargeLine l) {
        return new StatementLineRecord(statementId, lineNo, l.offeringCode(), l.chargeType(), l.category().name(),
                l.quantity(), l.unitOfMeasure(), l.rate(), Amounts.exact(l.amount()), l.endDate(), l.chargeDetails(),
                l.chargeDescription());
    }

    static Statement statement(StatementRecord st, List<StatementLineRecord> lines) {
        CurrencyUnit c = Amounts.currency(st.currency());
        List<ChargeLine> view = lines.stream().map(l -> new ChargeLine(l.offeringCode(), l.chargeType(),
                ChargeCategory.valueOf(l.category()), Amounts.plain(l.quantity()), l.unitOfMeasure(),
                Amounts.plain(l.rate()), Amounts.of(l.amount(), c), l.endDate(), l.chargeDetails(),
                l.chargeDescription())).toList();
        return new Statement(st.id(), st.namespace(), new BillingPeriod(st.periodStart(), st.periodEnd()), c, view,
                new ChargeTotals(Amounts.of(st.chargeSubTotal(), c), Amounts.of(st.discountTotal(), c),
                        Amounts.of(st.chargeTotal(), c), Amounts.of(st.chargeHierarchyTotal(), c), Amounts.of(st.total(), c)),
                st.transactionId(), st.createdAt());
    }
}
