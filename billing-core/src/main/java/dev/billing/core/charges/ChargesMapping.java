package dev.billing.core.charges;

import dev.billing.core.accounts.BillingPeriod;
import dev.billing.core.internal.Amounts;
import dev.billing.spi.CommitmentRecord;
import dev.billing.spi.RateRecord;
import dev.billing.spi.StatementLineRecord;
import dev.billing.spi.StatementRecord;
import java.util.List;
import javax.money.CurrencyUnit;
import javax.money.Monetary;

/** Rates, commitments and statements, and the records they are stored as. */
final class ChargesMapping {

    private ChargesMapping() {
    }

    static RateRecord toRecord(Rate r) {
        return new RateRecord(r.offeringCode(), r.chargeType(), r.effectiveFrom(), r.unitOfMeasure(),
                r.currency().getCurrencyCode(), Amounts.plain(r.includedQuantity()),
                r.tiers().stream().map(t -> new RateRecord.TierRecord(t.upTo() == null ? null : Amounts.plain(t.upTo()),
                        Amounts.plain(t.unitRate()))).toList());
    }

    static Rate rate(RateRecord r) {
        return new Rate(r.offeringCode(), r.chargeType(), r.unitOfMeasure(), Monetary.getCurrency(r.currency()),
                Amounts.plain(r.includedQuantity()), r.tiers().stream()
                        .map(t -> new Tier(t.upTo() == null ? null : Amounts.plain(t.upTo()), Amounts.plain(t.unitRate())))
                        .toList(),
                r.effectiveFrom());
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
        CurrencyUnit c = Monetary.getCurrency(st.currency());
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
