package dev.billing.core.subscriptions;

import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.core.IdGenerator;
import dev.billing.core.InsufficientFundsException;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.accounts.BillingPeriod;
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
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.money.CurrencyUnit;

/**
 * Switching a subscription's plan and cancelling it, inside the caller's unit of work: the quote of a
 * switch and the switch itself are one computation ({@link #quote}), so that they agree. Every write is a
 * compare-and-set on the subscription's revision. Thread-safe (stateless apart from its settings).
 */
final class Changing {

    private final IdGenerator ids;
    private final Outbox outbox;
    private final RoundingMode rounding;
    private final SubscriptionPolicy policy;
    private final ZoneId zone;

    Changing(IdGenerator ids, Outbox outbox, RoundingMode rounding, SubscriptionPolicy policy, ZoneId zone) {
        this.ids = ids;
        this.outbox = outbox;
        this.rounding = rounding;
        this.policy = policy;
        this.zone = zone;
    }

    /**
     * The period still running under a subscription renewed ahead (within its renewal window): the renewal
     * moved the record to the next period, which has not begun. A switch prorates it too, and a
     * cancellation takes the renewal back to it.
     *
     * @param start its start
     * @param end its end: where the renewed period starts
     * @param price what it cost, whole
     * @param paidBy the purchase that paid it: what a credit for its unused part names
     */
    record Running(Instant start, Instant end, BigDecimal price, String paidBy) {
    }

    /**
     * @return the period still running under {@code sub} at {@code now}, or {@code null} when it is not
     *     renewed ahead (or was renewed ahead before the running period's purchase was kept: only the period
     *     ahead is then prorated)
     */
    private Running running(StorageSession s, SubscriptionRecord sub, PlanRecord plan, CurrencyUnit currency, Instant now) {
        if (!now.isBefore(sub.periodStart()) || sub.priorPeriodPrice() == null || sub.priorTransactionId() == null) {
            return null;
        }
        ZoneId subZone = sub.zone() != null ? ZoneId.of(sub.zone()) : zone;
        BillingPeriod p = new BillingCycle(sub.startedAt(), subZone, PlanTerm.parse(plan.billPeriod()).length()).periodAt(now);
        if (!p.end().equals(sub.periodStart())) {
            return null;
        }
        return new Running(p.start(), p.end(), Amounts.scaled(sub.priorPeriodPrice(), currency), sub.priorTransactionId());
    }

    /** What part of a credit pays back which purchase. */
    private record Part(BigDecimal amount, String purchase) {
    }

    private static BigDecimal sum(List<Part> parts) {
        BigDecimal sum = BigDecimal.ZERO;
        for (Part part : parts) {
            sum = sum.add(part.amount());
        }
        return sum;
    }

    /**
     * Appends the credits paying {@code parts} back, one {@link TransactionKind#PRORATION} per purchase (each
     * naming it, so that it can never be refunded whole on top: refundOf is unique in the store), in order,
     * the last one leaving the balance at {@code balanceAfterLast}.
     *
     * @return the last credit's id, or {@code null} when every part is zero
     */
    private String appendCredits(StorageSession s, String ns, String currency, List<Part> parts, String description,
            String planId, BigDecimal balanceAfterLast, Instant now) {
        Map<String, BigDecimal> byPurchase = new java.util.LinkedHashMap<>();
        for (Part part : parts) {
            if (part.amount().signum() > 0) {
                byPurchase.merge(part.purchase(), part.amount(), BigDecimal::add);
            }
        }
        BigDecimal balance = balanceAfterLast;
        for (BigDecimal amount : byPurchase.values()) {
            balance = balance.subtract(amount);
        }
        String last = null;
        for (Map.Entry<String, BigDecimal> e : byPurchase.entrySet()) {
            BigDecimal amount = e.getValue();
            balance = balance.add(amount);
            last = ids.next();
            s.ledger().appendTransaction(new TransactionRecord(0, last, ns, Codes.code(TransactionKind.PRORATION),
                    amount, currency, description, Ledger.BALANCE_PAYMENT, planId, e.getKey(), balance, now, null), List.of(
                            new PostingRecord(last, Ledger.wallet(ns), amount, currency),
                            new PostingRecord(last, Ledger.REVENUE_PLANS, amount.negate(), currency)));
        }
        return last;
    }

    /** A quote with what the switch needs to carry it out. */
    record Priced(SwitchQuote quote, SubscriptionRecord sub, PlanRecord to, AccountRecord account, BigDecimal credit,
            BigDecimal charge, BigDecimal newPrice, List<Part> credits, Running running, BigDecimal chargeRunning) {
    }

    /**
     * @return the part of a credit that pays {@code purchase} back: {@code amount}, or zero when the purchase
     *     was paid back already (refunded whole, or named by an earlier credit: a purchase is named by one
     *     credit at most, so each period's purchase is credited once, and only for what it paid)
     */
    private static Part part(StorageSession s, BigDecimal amount, String purchase) {
        boolean paidBack = s.ledger().findTransaction(purchase).map(TransactionRecord::refundedBy).orElse(null) != null;
        return new Part(paidBack ? BigDecimal.ZERO.setScale(amount.scale()) : amount, purchase);
    }

    /**
     * @return what switching {@code subscriptionId} of {@code namespace} to {@code planId} at {@code now}
     *     credits and charges, with everything checked
     */
    Priced quote(StorageSession s, String namespace, String subscriptionId, String planId, Instant now) {
        AccountRecord account = Lookups.requireAccount(s, namespace);
        SubscriptionRecord sub = requireOwn(s, namespace, subscriptionId);
        requireActive(sub, "switched");
        if (sub.planId().equals(planId)) {
            throw new InvalidRequestException(ErrorCode.INVALID_REQUEST, "planId", "subscription " + subscriptionId
                    + " is on plan " + planId + " already");
        }
        PlanRecord from = Lookups.requirePlan(s, sub.planId());
        PlanRecord to = Lookups.requirePlan(s, planId);
        if (!to.status().equals(Codes.code(PlanStatus.AVAILABLE))) {
            throw new InvalidRequestException(ErrorCode.PLAN_NOT_AVAILABLE, "planId", "plan " + planId + " is retired");
        }
        if (!to.region().equals(sub.region())) {
            throw new InvalidRequestException(ErrorCode.PLAN_NOT_AVAILABLE, "planId", "plan " + planId
                    + " is not offered in region " + sub.region());
        }
        if (!to.billPeriod().equals(from.billPeriod())) {
            throw InvalidRequestException.of("planId", "plan " + planId + " bills " + to.billPeriod() + ", the subscription "
                    + subscriptionId + " bills " + from.billPeriod() + ": a switch keeps the period, so the terms must match");
        }
        if (!to.currency().equals(account.currency())) {
            throw new InvalidRequestException(ErrorCode.CURRENCY_MISMATCH, "planId", "plan " + planId + " is priced in "
                    + to.currency() + ", the account is in " + account.currency());
        }
        CurrencyUnit currency = Amounts.currency(account.currency());
        int digits = Math.max(0, currency.getDefaultFractionDigits());
        BigDecimal paid = paidPrice(s, sub, from, currency);
        BigDecimal newPrice = Amounts.scaled(to.price(), currency);
        BigDecimal credit = Proration.remaining(paid, sub.periodStart(), sub.periodEnd(), now, digits, rounding);
        BigDecimal charge = Proration.remaining(newPrice, sub.periodStart(), sub.periodEnd(), now, digits, rounding);
        List<Part> credits = new ArrayList<>(List.of(part(s, credit, sub.transactionId())));
        credit = credits.get(0).amount();
        Running running = running(s, sub, from, currency, now);
        BigDecimal chargeRunning = BigDecimal.ZERO.setScale(digits);
        if (running != null) {
            // renewed ahead: the rest of the running period switches too, each part rounded once
            Part rest = part(s, Proration.remaining(running.price(), running.start(), running.end(), now, digits,
                    rounding), running.paidBy());
            credits.add(rest);
            credit = credit.add(rest.amount());
            chargeRunning = Proration.remaining(newPrice, running.start(), running.end(), now, digits, rounding);
            charge = charge.add(chargeRunning);
        }
        SwitchQuote quote = new SwitchQuote(sub.id(), sub.planId(), planId, Amounts.of(credit, currency),
                Amounts.of(charge, currency), Amounts.of(charge.subtract(credit), currency), now, sub.periodEnd());
        return new Priced(quote, sub, to, account, credit, charge, newPrice, List.copyOf(credits), running, chargeRunning);
    }

    /**
     * Carries out {@code p}: a credit and a charge transaction, the subscription on the new plan; renewed
     * ahead, a credit per purchase it pays back and a charge for the running period's rest and one for the
     * period ahead.
     */
    SubscriptionRecord switchPlan(StorageSession s, Priced p, Instant now) {
        requireActiveAccount(p.account());
        String ns = p.sub().namespace();
        String currency = p.account().currency();
        BigDecimal net = p.charge().subtract(p.credit());
        AccountRecord after = s.accounts().applyBalanceDelta(ns, net.negate(), BigDecimal.ZERO).orElse(null);
        if (after == null) {
            AccountRecord now0 = Lookups.requireAccount(s, ns);
            throw new InsufficientFundsException(ns, Amounts.of(now0.balance(), currency), Amounts.of(net, currency));
        }
        requireActiveAccount(after);
        LowBalance.afterDebit(s, outbox, after, net);
        String paidBy = p.sub().transactionId();
        BigDecimal balance = after.balance();
        // it pays back part of each purchase that paid the time left (the period's; renewed ahead, the
        // running period's too), naming it
        String creditTx = appendCredits(s, ns, currency, p.credits(), "Unused time of " + p.quote().fromPlanId(),
                p.quote().fromPlanId(), balance.add(p.charge()), now);
        if (creditTx != null) {
            paidBy = creditTx;
        }
        // renewed ahead: the running period's rest and the period ahead are two purchases, so that each can
        // later be paid back on its own (a cancellation at the period end pays back only the one ahead)
        String runningTx = null;
        if (p.running() != null && p.chargeRunning().signum() > 0) {
            runningTx = appendCharge(s, ns, currency, p.chargeRunning(), "Rest of the running period on "
                    + p.to().description(), p.to().id(), balance.add(p.charge().subtract(p.chargeRunning())), now);
        }
        BigDecimal chargeAhead = p.charge().subtract(p.chargeRunning());
        if (chargeAhead.signum() > 0) {
            paidBy = appendCharge(s, ns, currency, chargeAhead, (p.running() != null ? "The period ahead on "
                    : "Rest of the period on ") + p.to().description(), p.to().id(), balance, now);
        }
        SubscriptionRecord next = p.sub().switchedTo(p.to().id(), p.to().version(), p.newPrice(), paidBy);
        if (p.running() != null) {
            next = next.renewedAhead(p.to().version(), p.newPrice(), runningTx != null ? runningTx : paidBy);
        }
        Renewing.replace(s, p.sub(), next);
        Map<String, String> data = new HashMap<>();
        data.put("fromPlanId", p.quote().fromPlanId());
        data.put("toPlanId", p.quote().toPlanId());
        data.put("credit", p.credit().toPlainString());
        data.put("charge", p.charge().toPlainString());
        data.put("currency", currency);
        data.put("transactionId", paidBy);
        outbox.record(s, EventType.SUBSCRIPTION_SWITCHED, ns, p.sub().id(), data);
        return next;
    }

    /** Appends a {@link TransactionKind#PURCHASE} from the wallet, leaving the balance at {@code balanceAfter}. */
    private String appendCharge(StorageSession s, String ns, String currency, BigDecimal amount, String description,
            String planId, BigDecimal balanceAfter, Instant now) {
        String id = ids.next();
        s.ledger().appendTransaction(new TransactionRecord(0, id, ns, Codes.code(TransactionKind.PURCHASE), amount,
                currency, description, Ledger.BALANCE_PAYMENT, planId, null, balanceAfter, now, null), List.of(
                        new PostingRecord(id, Ledger.wallet(ns), amount.negate(), currency),
                        new PostingRecord(id, Ledger.REVENUE_PLANS, amount, currency)));
        return id;
    }

    /**
     * Cancels at the period end (no renewal) or at once, with a pro-rata refund of the unused part when
     * {@code refund}; a subscription past due ends at once, with nothing to refund. One renewed ahead
     * (within its renewal window, its renewed period not begun) is first taken back to the period still
     * running, and its early renewal, which will never be served, is paid back whole in either mode: at the
     * period end it then ends where the running period ends; at once it ends now, with the running
     * period's unused part paid back too when {@code refund}.
     */
    SubscriptionRecord cancel(StorageSession s, String namespace, String subscriptionId, CancelMode mode, boolean refund,
            Instant now) {
        AccountRecord account = Lookups.requireAccount(s, namespace);
        SubscriptionRecord sub = requireOwn(s, namespace, subscriptionId);
        boolean pastDue = sub.status().equals(Codes.code(SubscriptionStatus.PAST_DUE));
        if (!pastDue) {
            requireActive(sub, "cancelled");
        }
        CurrencyUnit currency = Amounts.currency(account.currency());
        int digits = Math.max(0, currency.getDefaultFractionDigits());
        PlanRecord plan = Lookups.requirePlan(s, sub.planId());
        Running running = pastDue ? null : running(s, sub, plan, currency, now);
        if (mode == CancelMode.AT_PERIOD_END && !pastDue) {
            if (refund) {
                throw InvalidRequestException.of("refund", "a cancellation at the period end pays nothing back");
            }
            if (sub.cancelAtPeriodEnd()) {
                return sub; // cancelled already: nothing more
            }
            BigDecimal paidBack = BigDecimal.ZERO.setScale(digits);
            SubscriptionRecord next = sub.cancellingAtPeriodEnd(true);
            if (running != null) {
                Part renewal = part(s, paidPrice(s, sub, plan, currency), sub.transactionId());
                paidBack = renewal.amount();
                if (paidBack.signum() > 0) {
                    payBack(s, account, sub, List.of(renewal), "Renewal of " + sub.planId()
                            + " paid back, cancelled at its period end", now);
                }
                next = sub.backToRunning(running.start(), running.end()).cancellingAtPeriodEnd(true);
            }
            Renewing.replace(s, sub, next);
            outbox.record(s, EventType.SUBSCRIPTION_CANCELLED, namespace, sub.id(), Map.of("planId", sub.planId(),
                    "mode", "at_period_end", "endsAt", next.periodEnd().toString(), "refund", paidBack.toPlainString(),
                    "currency", account.currency()));
            return next;
        }
        List<Part> parts = new ArrayList<>();
        if (running != null) {
            parts.add(part(s, paidPrice(s, sub, plan, currency), sub.transactionId())); // never served
            if (refund) {
                parts.add(part(s, Proration.remaining(running.price(), running.start(), running.end(), now, digits,
                        rounding), running.paidBy()));
            }
        } else if (refund && !pastDue) {
            parts.add(part(s, Proration.remaining(paidPrice(s, sub, plan, currency), sub.periodStart(), sub.periodEnd(),
                    now, digits, rounding), sub.transactionId()));
        }
        BigDecimal amount = sum(parts).setScale(digits);
        if (amount.signum() > 0) {
            payBack(s, account, sub, parts, "Unused time of " + sub.planId() + ", cancelled", now);
        }
        Instant end;
        SubscriptionRecord ended;
        if (running != null) {
            end = now; // in the running period: the renewed one never begins
            ended = sub.backToRunning(running.start(), now);
        } else {
            end = pastDue || now.isAfter(sub.periodEnd()) ? sub.periodEnd() : now.isBefore(sub.periodStart())
                    ? sub.periodStart() : now;
            ended = sub.endingAt(end);
        }
        SubscriptionRecord next = ended.dunning(Codes.code(SubscriptionStatus.CANCELLED), null, sub.notifiedAt());
        Renewing.replace(s, sub, next);
        outbox.record(s, EventType.SUBSCRIPTION_CANCELLED, namespace, sub.id(), Map.of("planId", sub.planId(), "mode",
                "immediately", "endsAt", end.toString(), "refund", amount.toPlainString(), "currency", account.currency()));
        outbox.record(s, EventType.SUBSCRIPTION_ENDED, namespace, sub.id(), Map.of("planId", sub.planId(), "endedAt",
                end.toString(), "reason", "cancelled"));
        return next;
    }

    /** Credits the sum of {@code parts} back to the wallet, one {@link TransactionKind#PRORATION} per purchase. */
    private void payBack(StorageSession s, AccountRecord account, SubscriptionRecord sub, List<Part> parts,
            String description, Instant now) {
        if (account.status().equals(Codes.code(AccountStatus.CLOSED))) {
            throw Lookups.notActive(account);
        }
        BigDecimal amount = sum(parts);
        String namespace = sub.namespace();
        BigDecimal balance = s.accounts().applyBalanceDelta(namespace, amount, null).orElseThrow(() ->
                InvalidRequestException.of("refund", "would take the balance of " + namespace + " to 10^15 or more"))
                .balance();
        appendCredits(s, namespace, account.currency(), parts, description, sub.planId(), balance, now);
    }

    /**
     * Takes back a cancellation at the period end, so that the subscription renews again; one that is not
     * cancelled is left as it is. Refused once the period has ended (a due run ends it there) and when the
     * plan is retired (it ends at its period end whatever the caller wants).
     */
    SubscriptionRecord resume(StorageSession s, String namespace, String subscriptionId, Instant now) {
        AccountRecord account = Lookups.requireAccount(s, namespace);
        SubscriptionRecord sub = requireOwn(s, namespace, subscriptionId);
        requireActive(sub, "resumed");
        if (!sub.cancelAtPeriodEnd()) {
            return sub;
        }
        if (!now.isBefore(sub.periodEnd())) {
            throw new ConflictException(ErrorCode.SUBSCRIPTION_NOT_ACTIVE, "subscriptionId", "subscription " + sub.id()
                    + " was cancelled at its period end, " + sub.periodEnd() + ", which has passed: it cannot be resumed");
        }
        PlanRecord plan = Lookups.requirePlan(s, sub.planId());
        if (!plan.status().equals(Codes.code(PlanStatus.AVAILABLE))) {
            throw new InvalidRequestException(ErrorCode.PLAN_NOT_AVAILABLE, "subscriptionId", "plan " + sub.planId()
                    + " is retired: subscription " + sub.id() + " ends at its period end and cannot be resumed");
        }
        SubscriptionRecord next = sub.cancellingAtPeriodEnd(false);
        Renewing.replace(s, sub, next);
        outbox.record(s, EventType.SUBSCRIPTION_RESUMED, namespace, sub.id(), Map.of("planId", sub.planId(),
                "periodEnd", sub.periodEnd().toString(), "currency", account.currency()));
        return next;
    }

    /** @throws InvalidRequestException when the policy forbids the choice */
    void checkPolicy(CancelMode mode, boolean refund) {
        if (mode == CancelMode.IMMEDIATELY && !policy.immediateCancellation()) {
            throw InvalidRequestException.of("mode", "this engine cancels subscriptions at their period end only");
        }
        if (refund && !policy.proratedRefunds()) {
            throw InvalidRequestException.of("refund", "this engine pays nothing back on cancellation");
        }
    }

    /** @return what the subscription's whole current period costs: the price it paid, or (stored before prices were kept) its plan's */
    static BigDecimal paidPrice(StorageSession s, SubscriptionRecord sub, PlanRecord plan, CurrencyUnit currency) {
        if (sub.periodPrice() != null) {
            return Amounts.scaled(sub.periodPrice(), currency);
        }
        return Amounts.scaled(s.catalog().findPlanVersion(sub.planId(), sub.planVersion()).orElse(plan).price(), currency);
    }

    static SubscriptionRecord requireOwn(StorageSession s, String namespace, String subscriptionId) {
        return s.subscriptions().findSubscription(subscriptionId).filter(x -> x.namespace().equals(namespace))
                .orElseThrow(() -> new NotFoundException(ErrorCode.SUBSCRIPTION_NOT_FOUND, "subscriptionId",
                        "account " + namespace + " has no subscription " + subscriptionId));
    }

    private static void requireActive(SubscriptionRecord sub, String verb) {
        if (!sub.status().equals(Codes.code(SubscriptionStatus.ACTIVE))) {
            throw new ConflictException(ErrorCode.SUBSCRIPTION_NOT_ACTIVE, "subscriptionId", "subscription " + sub.id()
                    + " is " + sub.status() + ": it cannot be " + verb);
        }
    }

    private static void requireActiveAccount(AccountRecord account) {
        if (!account.status().equals(Codes.code(AccountStatus.ACTIVE))) {
            throw Lookups.notActive(account);
        }
    }
}
