package dev.billing.core;

import dev.billing.core.catalog.BillPeriod;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanStatus;
import dev.billing.core.catalog.Region;
import dev.billing.core.catalog.RegionStatus;
import dev.billing.core.wallet.AccountStatus;
import dev.billing.core.wallet.Subscription;
import dev.billing.core.wallet.SubscriptionStatus;
import dev.billing.core.wallet.Transaction;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.core.wallet.TransactionStatus;
import dev.billing.spi.PlanRecord;
import dev.billing.spi.RegionRecord;
import dev.billing.spi.SubscriptionRecord;
import dev.billing.spi.TransactionRecord;
import java.util.Locale;
import javax.money.Monetary;

/** Mapping between the SPI's stored records and the public values. Enums are stored as lower-case names. */
final class Records {

    private Records() {
    }

    static String code(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E parse(Class<E> type, String stored) {
        return Enum.valueOf(type, stored.toUpperCase(Locale.ROOT));
    }

    static RegionRecord toRecord(Region r) {
        return new RegionRecord(r.id(), r.description(), code(r.status()));
    }

    static Region region(RegionRecord r) {
        return new Region(r.id(), r.description(), parse(RegionStatus.class, r.status()));
    }

    static PlanRecord toRecord(Plan p) {
        return new PlanRecord(p.id(), p.type(), p.level(), p.name(), Amounts.exact(p.price()),
                p.price().getCurrency().getCurrencyCode(), p.billPeriod().word(), p.description(), p.region(),
                code(p.status()), p.createdAt());
    }

    static Plan plan(PlanRecord p) {
        return new Plan(p.id(), p.type(), p.level(), p.name(), Amounts.of(p.price(), p.currency()),
                BillPeriod.parse(p.billPeriod()), p.description(), p.region(), parse(PlanStatus.class, p.status()),
                p.createdAt());
    }

    static Subscription subscription(SubscriptionRecord s, Plan plan) {
        return new Subscription(s.id(), plan, s.region(), s.periodStart(), s.periodEnd(),
                parse(SubscriptionStatus.class, s.status()), s.transactionId());
    }

    static Transaction transaction(TransactionRecord t) {
        var currency = Monetary.getCurrency(t.currency());
        return new Transaction(t.id(), t.namespace(), parse(TransactionKind.class, t.kind()),
                Amounts.of(t.amount(), currency), t.description(), t.paymentMethod(),
                t.refundedBy() == null ? TransactionStatus.FINISH : TransactionStatus.REFUNDED,
                t.createdAt(), Amounts.of(t.balanceAfter(), currency), t.planId(), t.refundOf(), t.refundedBy());
    }

    static AccountStatus accountStatus(String stored) {
        return parse(AccountStatus.class, stored);
    }
}
