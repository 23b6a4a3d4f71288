package dev.billing.core.subscriptions;

import dev.billing.core.IdGenerator;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.catalog.PlanStatus;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.events.EventType;
import dev.billing.core.internal.Amounts;
import dev.billing.core.internal.BillingCycle;
import dev.billing.core.internal.Codes;
import dev.billing.core.internal.Ledger;
import dev.billing.core.internal.Lookups;
import dev.billing.core.internal.LowBalance;
import dev.billing.core.internal.Outbox;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.PlanRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.StorageSession;
import dev.billing.spi.SubscriptionRecord;
import dev.billing.spi.TransactionRecord;
import dev.billing.spi.TransientStorageException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One renewal attempt of one subscription, inside the caller's unit of work: renewed for its next period
 * at its plan's current version, or ended (cancelled at its period end, plan retired, grace over), or
 * failed and kept (past due, in its grace period), with the account flagged at most once per notification
 * interval however many of its subscriptions fail, and marked past due for the credits that renew at once.
 * Every write is a compare-and-set on the subscription's revision. Thread-safe (stateless
 * apart from its settings).
 */
final class Renewing {

    /** What an attempt did. */
    enum Outcome { RENEWED, ENDED, FAILED, NOT_DUE }

    private final IdGenerator ids;
    private final Outbox outbox;
    private final ZoneId zone;
    private final SubscriptionPolicy policy;

    Renewing(IdGenerator ids, Outbox outbox, ZoneId zone, SubscriptionPolicy policy) {
        this.ids = ids;
        this.outbox = outbox;
        this.zone = zone;
        this.policy = policy;
    }

    /**
     * @param s the unit of work
     * @param subscriptionId the subscription
     * @param now the moment
     * @param quietly whether a renewal it cannot pay leaves everything as it is (a credit's attempt for a
     *     subscription past due) rather than recording the failure
     * @return what it did
     */
    Outcome attempt(StorageSession s, String subscriptionId, Instant now, boolean quietly) {
        SubscriptionRecord sub = s.subscriptions().findSubscription(subscriptionId).orElse(null);
        boolean open = sub != null && (sub.status().equals(Codes.code(SubscriptionStatus.ACTIVE))
                || sub.status().equals(Codes.code(SubscriptionStatus.PAST_DUE)));
        if (!open || policy.renewsAt(sub.periodStart(), sub.periodEnd()).isAfter(now)) {
            return Outcome.NOT_DUE;
        }
        boolean graceOver = sub.status().equals(Codes.code(SubscriptionStatus.PAST_DUE))
                && !now.isBefore(sub.periodEnd().plus(policy.gracePeriod()));
        if (graceOver && quietly) {
            return Outcome.NOT_DUE; // its grace is over: the next due run ends it, a credit does not revive it
        }
        // locked: the status decides whether it renews, and a failure flags it
        AccountRecord account = Lookups.lockAccount(s, sub.namespace());
        PlanRecord plan = Lookups.requirePlan(s, sub.planId());
        boolean retired = !plan.status().equals(Codes.code(PlanStatus.AVAILABLE));
        if (sub.cancelAtPeriodEnd() || retired) {
            if (now.isBefore(sub.periodEnd()) || quietly) {
                return Outcome.NOT_DUE; // it runs to its period end, then ends without a charge
            }
            String status = Codes.code(sub.cancelAtPeriodEnd() ? SubscriptionStatus.CANCELLED : SubscriptionStatus.EXPIRED);
            replace(s, sub, sub.dunning(status, null, sub.notifiedAt()));
            outbox.record(s, EventType.SUBSCRIPTION_ENDED, sub.namespace(), sub.id(), Map.of("planId", sub.planId(),
                    "endedAt", sub.periodEnd().toString(), "reason", sub.cancelAtPeriodEnd() ? "cancelled" : "plan_retired"));
            return Outcome.ENDED;
        }
        BigDecimal price = Amounts.scaled(plan.price(), Amounts.currency(plan.currency()));
        if (graceOver) {
            // past due to the end of its grace: it ends, whatever the balance holds now
            replace(s, sub, sub.dunning(Codes.code(SubscriptionStatus.EXPIRED), null, sub.notifiedAt()));
            outbox.record(s, EventType.SUBSCRIPTION_ENDED, sub.namespace(), sub.id(), Map.of("planId", sub.planId(),
                    "endedAt", now.toString(), "reason", "unpaid"));
            return Outcome.ENDED;
        }
        boolean payable = account.status().equals(Codes.code(AccountStatus.ACTIVE)) && plan.currency().equals(account.currency());
        Optional<AccountRecord> debited = payable
                ? s.accounts().applyBalanceDelta(sub.namespace(), price.negate(), BigDecimal.ZERO)
                : Optional.empty();
        Optional<BigDecimal> balance = debited.map(AccountRecord::balance);
        if (balance.isPresent()) {
            LowBalance.afterDebit(s, outbox, debited.get(), price);
            String txId = ids.next();
            // counted from the original start (a Jan 31 subscription renews Feb 29, Mar 31, ...), never
            // from the previous end; the next period starts exactly where this one ends, also after grace
            ZoneId subZone = sub.zone() != null ? ZoneId.of(sub.zone()) : zone;
            Instant end = new BillingCycle(sub.startedAt(), subZone, PlanTerm.parse(plan.billPeriod()).length())
                    .boundaryAfter(sub.periodEnd());
            // renewed before its period ended: the running period's version, price and purchase are kept
            // while the renewed one has not begun, for a switch or a cancellation meanwhile (Changing)
            boolean ahead = now.isBefore(sub.periodEnd());
            replace(s, sub, sub.renewed(sub.periodEnd(), end, txId).priced(plan.version(), price)
                    .dunning(Codes.code(SubscriptionStatus.ACTIVE), null, null)
                    .renewedAhead(ahead ? sub.planVersion() : null,
                            ahead ? Changing.paidPrice(s, sub, plan, Amounts.currency(account.currency())) : null,
                            ahead ? sub.transactionId() : null));
            s.ledger().appendTransaction(new TransactionRecord(0, txId, sub.namespace(), Codes.code(TransactionKind.PURCHASE),
                    price, account.currency(), "Renewal of " + plan.description(), Ledger.BALANCE_PAYMENT, plan.id(), null,
                    balance.get(), now, null), List.of(
                            new PostingRecord(txId, Ledger.wallet(sub.namespace()), price.negate(), account.currency()),
                            new PostingRecord(txId, Ledger.REVENUE_PLANS, price, account.currency())));
            outbox.record(s, EventType.SUBSCRIPTION_RENEWED, sub.namespace(), sub.id(), Subscriptions.periodData(sub.planId(),
                    plan.version(), sub.region(), sub.periodEnd(), end, price, account.currency(), txId));
            return Outcome.RENEWED;
        }
        if (quietly) {
            return Outcome.FAILED;
        }
        String reason = !account.status().equals(Codes.code(AccountStatus.ACTIVE)) ? "account_not_active"
                : !plan.currency().equals(account.currency()) ? "currency_mismatch" : "insufficient_funds";
        Instant graceUntil = sub.periodEnd().plus(policy.gracePeriod());
        boolean notify = sub.notifiedAt() == null || !now.isBefore(sub.notifiedAt().plus(policy.notificationInterval()));
        Map<String, String> failed = Map.of("planId", sub.planId(), "periodEnd", sub.periodEnd().toString(), "amount",
                price.toPlainString(), "currency", plan.currency(), "reason", reason);
        if (!now.isBefore(graceUntil)) {
            replace(s, sub, sub.dunning(Codes.code(SubscriptionStatus.EXPIRED), null, now));
            dun(s, account, true, false, now);
            outbox.record(s, EventType.SUBSCRIPTION_RENEWAL_FAILED, sub.namespace(), sub.id(), failed);
            outbox.record(s, EventType.SUBSCRIPTION_ENDED, sub.namespace(), sub.id(), Map.of("planId", sub.planId(),
                    "endedAt", now.isAfter(sub.periodEnd()) ? now.toString() : sub.periodEnd().toString(), "reason", "unpaid"));
            return Outcome.ENDED;
        }
        boolean pastDue = !now.isBefore(sub.periodEnd());
        String status = Codes.code(pastDue ? SubscriptionStatus.PAST_DUE : SubscriptionStatus.ACTIVE);
        boolean entersGrace = pastDue && !sub.status().equals(status);
        if (!notify && !entersGrace) {
            return Outcome.FAILED; // retried by the next run; nothing to record yet
        }
        replace(s, sub, sub.dunning(status, pastDue ? graceUntil : null, notify ? now : sub.notifiedAt()));
        dun(s, account, notify, entersGrace, now);
        if (notify) {
            outbox.record(s, EventType.SUBSCRIPTION_RENEWAL_FAILED, sub.namespace(), sub.id(), failed);
        }
        if (entersGrace) {
            outbox.record(s, EventType.SUBSCRIPTION_IN_GRACE, sub.namespace(), sub.id(), Map.of("planId", sub.planId(),
                    "periodEnd", sub.periodEnd().toString(), "graceEnd", graceUntil.toString()));
        }
        return Outcome.FAILED;
    }

    /**
     * After a failed renewal: flags the account for notification unless a failed renewal (of any of its
     * subscriptions) flagged it less than a notification interval ago, and marks it past due when a
     * subscription enters its grace period (a credit looks for subscriptions past due only on an account so
     * marked).
     */
    private void dun(StorageSession s, AccountRecord account, boolean notify, boolean entersGrace, Instant now) {
        boolean flag = notify && (account.notifiedAt() == null
                || !now.isBefore(account.notifiedAt().plus(policy.notificationInterval())));
        // the mark is written even when the row says marked: entering grace is rare, and the mark is what
        // has the next credit renew at once
        boolean mark = entersGrace;
        if (flag) {
            s.accounts().updateAccountState(account.namespace(), account.status(), true);
        }
        if (flag || mark) {
            s.accounts().updateDunning(account.namespace(), account.pastDue() || mark, flag ? now : account.notifiedAt());
        }
    }

    /** Writes {@code next} over {@code read}, or has the unit of work run again when another changed it meanwhile. */
    static void replace(StorageSession s, SubscriptionRecord read, SubscriptionRecord next) {
        if (!s.subscriptions().replaceSubscription(next, read.revision())) {
            throw new TransientStorageException("subscription " + read.id() + " changed concurrently", null);
        }
    }
}
