package dev.billing.core.charges;

import dev.billing.core.IdGenerator;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.accounts.BillingPeriod;
import dev.billing.core.events.EventType;
import dev.billing.core.internal.Amounts;
import dev.billing.core.internal.BillingCycle;
import dev.billing.core.internal.Codes;
import dev.billing.core.internal.Hierarchy;
import dev.billing.core.internal.Ledger;
import dev.billing.core.internal.LowBalance;
import dev.billing.core.internal.Outbox;
import dev.billing.core.internal.Profiles;
import dev.billing.core.internal.RateCard;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.StatementLineRecord;
import dev.billing.spi.StatementRecord;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageSession;
import dev.billing.spi.TransactionRecord;
import dev.billing.spi.TransientStorageException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Closing ended billing periods inside a unit of work: each becomes a statement, its charge total is
 * debited from the wallet (the rest recorded as debt when the balance falls short), and the next
 * period opens. Stateless apart from its settings; thread-safe.
 */
final class Closing {

    private final Profiles profiles;
    private final Rater rater;
    private final IdGenerator ids;
    private final Outbox outbox;

    Closing(Profiles profiles, Rater rater, IdGenerator ids, Outbox outbox) {
        this.profiles = profiles;
        this.rater = rater;
        this.ids = ids;
        this.outbox = outbox;
    }

    /**
     * What closing did: the statements it made (of the account and its descendants) and how many of
     * them went into arrears.
     */
    record Closed(int statements, int arrears) {
        static final Closed NOTHING = new Closed(0, 0);

        Closed plus(Closed other) {
            return new Closed(statements + other.statements, arrears + other.arrears);
        }
    }

    /**
     * Closes every period of {@code namespace} and of its descendants that ended at or before
     * {@code now}, descendants first: before a parent's period closes, every descendant period that
     * ended within it is closed (each under its profile's row lock), so that the parent's
     * {@code chargeHierarchyTotal} is made of final statements and late usage of those periods is
     * refused rather than missed. One unit of work; a failure anywhere closes nothing.
     */
    Closed closeUpTo(StorageSession s, String namespace, Instant now) {
        return closeUpTo(s, namespace, now, now, 0);
    }

    private Closed closeUpTo(StorageSession s, String namespace, Instant upTo, Instant now, int depth) {
        if (depth > Hierarchy.MAX_DEPTH) {
            throw new IllegalStateException("account hierarchy under " + namespace + " is deeper than "
                    + Hierarchy.MAX_DEPTH);
        }
        AccountRecord a = s.accounts().findAccount(namespace).orElse(null);
        BillingProfileRecord stored = a == null ? null : s.profiles().lockBillingProfile(namespace).orElse(null);
        if (stored == null) {
            return Closed.NOTHING;
        }
        Closed done = Closed.NOTHING;
        while (!stored.periodEnd().isAfter(upTo)) {
            for (BillingProfileRecord child : s.profiles().listChildren(namespace)) {
                done = done.plus(closeUpTo(s, child.namespace(), stored.periodEnd(), now, depth + 1));
            }
            done = done.plus(closeOpen(s, a, profiles.complete(stored, a), now));
            stored = s.profiles().lockBillingProfile(namespace).orElseThrow();
        }
        for (BillingProfileRecord child : s.profiles().listChildren(namespace)) {
            done = done.plus(closeUpTo(s, child.namespace(), upTo, now, depth + 1));
        }
        return done;
    }

    /** Closes the open period of {@code p}, which has ended: a statement, a charge, and the next period opens. */
    private Closed closeOpen(StorageSession s, AccountRecord a, BillingProfileRecord p, Instant now) {
        String namespace = a.namespace();
        BillingPeriod period = Profiles.openPeriod(p);
        BillingPeriod next = Profiles.nextPeriod(p);
        BillingCycle after = Profiles.cycleAfter(p);
        // the next period starts exactly where this one ends; a pending cycle change takes over, anchored there
        if (!s.profiles().replaceBillingProfile(new BillingProfileRecord(namespace, p.parent(), p.kind(), next.start(), next.end(),
                p.nextCycleLength() == null ? p.cycleAnchor() : after.anchor(), after.length().toString(),
                after.zone().getId(), null, null), p.periodStart())) {
            // another engine closed it between our read and our write: start over and see
            throw new TransientStorageException("period of " + namespace + " closed concurrently", null);
        }
        Rater.Rated rated = rater.rate(s, a, p, period, RateCard.read(s));
        // the statements recorded under this account whose period ended within this one (closeUpTo closed
        // them first, in this unit of work, so they are final); each counts once for each ancestor
        BigDecimal hierarchy = Amounts.scaled(s.statements().sumAncestorShares(namespace, period.start(), period.end()),
                Amounts.currency(a.currency()));
        BigDecimal charge = rated.chargeTotal();
        String statementId = ids.next();
        String txId = null;
        Closed outcome = new Closed(1, 0);
        if (charge.signum() > 0) {
            txId = ids.next();
            // a zero change locks the wallet's row and reads its balance as of now, not as of our first read
            AccountRecord held = s.accounts().applyBalanceDelta(namespace, BigDecimal.ZERO, null).orElseThrow();
            BigDecimal current = held.balance();
            BigDecimal paid = charge.min(current.max(BigDecimal.ZERO));
            BigDecimal debt = charge.subtract(paid);
            BigDecimal balance = current;
            if (paid.signum() > 0) {
                AccountRecord debited = s.accounts().applyBalanceDelta(namespace, paid.negate(), BigDecimal.ZERO).orElseThrow(() ->
                        new TransientStorageException("balance of " + namespace + " changed concurrently", null));
                balance = debited.balance();
                LowBalance.afterDebit(s, outbox, debited, paid);
            }
            ZoneId periodZone = Profiles.cycle(p).zone();
            String description = "Usage charges " + period.start().atZone(periodZone).toLocalDate() + " to "
                    + period.end().atZone(periodZone).toLocalDate();
            List<PostingRecord> postings = new ArrayList<>();
            postings.add(new PostingRecord(txId, Ledger.wallet(namespace), paid.negate(), a.currency()));
            if (debt.signum() > 0) {
                description += ", " + debt.toPlainString() + " " + a.currency() + " unpaid";
                postings.add(new PostingRecord(txId, Ledger.receivable(namespace), debt.negate(), a.currency()));
                s.accounts().applyDebtDelta(namespace, debt).orElseThrow(() ->
                        new StorageException("debt of " + namespace + " cannot grow by " + debt));
                s.accounts().updateAccountState(namespace, Codes.code(AccountStatus.SUSPENDED), true);
                if (held.status().equals(Codes.code(AccountStatus.ACTIVE))) {
                    outbox.record(s, EventType.ACCOUNT_SUSPENDED, namespace, namespace, Map.of("reason", "unpaid_charges"));
                }
                outcome = new Closed(1, 1);
            }
            postings.add(new PostingRecord(txId, Ledger.REVENUE_USAGE, charge, a.currency()));
            postings.removeIf(x -> x.amount().signum() == 0);
            s.ledger().appendTransaction(new TransactionRecord(0, txId, namespace, Codes.code(TransactionKind.USAGE_CHARGE),
                    charge, a.currency(), description, Ledger.BALANCE_PAYMENT, null, null, balance, now, null),
                    postings);
        }
        List<StatementLineRecord> lines = new ArrayList<>();
        List<ChargeLine> all = rated.lines();
        for (int i = 0; i < all.size(); i++) {
            lines.add(ChargesMapping.toRecord(statementId, i, all.get(i)));
        }
        s.statements().insertStatement(new StatementRecord(statementId, namespace, period.start(), period.end(), a.currency(),
                rated.subTotal(), rated.discountTotal(), charge, hierarchy, charge.add(hierarchy), txId, now), lines,
                Hierarchy.ancestors(s, namespace));
        outbox.record(s, EventType.PERIOD_CLOSED, namespace, statementId, Map.of("periodStart", period.start().toString(),
                "periodEnd", period.end().toString(), "chargeTotal", charge.toPlainString(), "currency", a.currency()));
        return outcome;
    }
}
