package dev.billing.core.charges;

import dev.billing.core.BillingEngine;
import dev.billing.core.DueRun;
import dev.billing.core.ErrorCode;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.internal.Amounts;
import dev.billing.core.internal.Checks;
import dev.billing.core.internal.EngineContext;
import dev.billing.core.internal.Lookups;
import dev.billing.core.internal.RateCard;
import dev.billing.core.internal.UnitOfWork;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.CommitmentRecord;
import dev.billing.spi.RateRecord;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.money.CurrencyUnit;

/**
 * Metered charges: the rate card, commit discounts, the estimated charges of the current billing
 * period, and closing ended periods into statements. Reached through {@link BillingEngine#charges()}.
 *
 * <p>Rating rounds once per line, to the currency's digits, with the engine's
 * {@link BillingEngine#roundingMode()}; every total is a sum of rounded lines, so the figures always
 * add up. Usage is summed by the store, never loaded.
 *
 * <p>Thread-safe.
 */
public final class Charges {

    /** The largest page of {@link #estimatedCharges(String, String, String, int, int)}. */
    public static final int MAX_PAGE = 1000;

    private static final System.Logger LOG = System.getLogger(Charges.class.getName());
    private static final int DUE_BATCH = 100;
    /** The earliest a day starts anywhere: UTC+14. */
    private static final Duration EARLIEST_OFFSET = Duration.ofHours(14);

    private final UnitOfWork work;
    private final Clock clock;
    private final Rater rater;
    private final Closing closing;

    /**
     * Made by the engine; hosts reach it through {@link BillingEngine#charges()}.
     *
     * @param context the engine's internals (not API)
     */
    public Charges(EngineContext context) {
        this.work = context.work();
        this.clock = context.clock();
        RoundingMode rounding = context.rounding();
        this.rater = new Rater(context.profiles(), rounding);
        this.closing = new Closing(context.profiles(), rater, context.ids(), context.outbox());
    }

    /**
     * Puts a rate on the rate card, or replaces the one with the same (offering code, charge type,
     * effective date). A new effective date adds a version: each period is priced by the version in
     * force on the day it starts (in the account's billing-cycle zone), so a change never rewrites a
     * past period. Every version of a rate has the same currency and unit of measure.
     *
     * @param rate the rate; unit rates, bounds and the allowance have at most 6 decimals
     * @return the rate as stored
     * @throws InvalidRequestException when a field is malformed, or the currency ({@link ErrorCode#CURRENCY_MISMATCH},
     *     field {@code rate.currency}) or unit of measure (field {@code rate.unitOfMeasure}) differs from the rate's
     *     other versions, or the version of this effective date changes its terms after it may have priced
     *     accepted usage (field {@code rate.effectiveFrom}); nothing changes
     */
    public Rate defineRate(Rate rate) {
        Checks.required("rate", rate);
        Checks.token("rate.offeringCode", rate.offeringCode(), Checks.MAX_NAMESPACE);
        Checks.token("rate.chargeType", rate.chargeType(), Checks.MAX_NAMESPACE);
        Checks.token("rate.unitOfMeasure", rate.unitOfMeasure(), 32);
        if (rate.currency().getDefaultFractionDigits() < 0) {
            throw InvalidRequestException.of("rate.currency", rate.currency().getCurrencyCode() + " has no minor unit");
        }
        Checks.quantity("rate.includedQuantity", rate.includedQuantity(), false);
        for (int i = 0; i < rate.tiers().size(); i++) {
            Tier t = rate.tiers().get(i);
            Checks.quantity("rate.tiers[" + i + "].unitRate", t.unitRate(), false);
            if (t.upTo() != null) {
                Checks.quantity("rate.tiers[" + i + "].upTo", t.upTo(), true);
            }
        }
        RateRecord record = RateCard.toRecord(rate);
        return work.transact(s -> {
            for (RateRecord other : s.rating().listRates(record.offeringCode(), record.chargeType())) {
                if (!other.currency().equals(record.currency())) {
                    throw new InvalidRequestException(ErrorCode.CURRENCY_MISMATCH, "rate.currency", "the rate for "
                            + record.offeringCode() + "/" + record.chargeType() + " is in " + other.currency()
                            + " (version from " + other.effectiveFrom() + "), not " + record.currency());
                }
                if (!other.unitOfMeasure().equals(record.unitOfMeasure())) {
                    throw InvalidRequestException.of("rate.unitOfMeasure", "the rate for " + record.offeringCode() + "/"
                            + record.chargeType() + " is per " + other.unitOfMeasure() + " (version from "
                            + other.effectiveFrom() + "), not " + record.unitOfMeasure());
                }
            }
            // a version that may have priced accepted usage keeps its terms: repricing an open period
            // silently (or a closed one's basis) is what a new version with a later date is for
            boolean changed = s.rating().listRates(record.offeringCode(), record.chargeType()).stream()
                    .anyMatch(other -> other.effectiveFrom().equals(record.effectiveFrom())
                            && !RateCard.rate(other).equals(RateCard.rate(record)));
            if (changed && s.usage().anyUsageSince(record.offeringCode(), record.chargeType(),
                    record.effectiveFrom().atStartOfDay(ZoneOffset.UTC).toInstant().minus(EARLIEST_OFFSET))) {
                throw InvalidRequestException.of("rate.effectiveFrom", "the version of " + record.offeringCode() + "/"
                        + record.chargeType() + " from " + record.effectiveFrom() + " may have priced accepted usage, so "
                        + "its terms stay as they are; define a version with a later effectiveFrom");
            }
            s.rating().putRate(record);
            return RateCard.rate(record);
        });
    }

    /** @return the whole rate card, by offering code, charge type, then effective date */
    public List<Rate> rates() {
        return work.transact(s -> s.rating().listRates(null, null).stream().map(RateCard::rate).toList());
    }

    /**
     * Gives an account a commit discount, or replaces the one with the same id. It applies to every
     * period that starts before its end date, including the current one.
     *
     * @param namespace the account's namespace
     * @param commitment the terms; the threshold in the account's currency, the percentage with at
     *     most 4 decimals
     * @return the commitment as stored
     * @throws NotFoundException when no account has this namespace
     * @throws InvalidRequestException when a field is malformed or in another currency
     */
    public Commitment defineCommitment(String namespace, Commitment commitment) {
        Checks.namespace(namespace);
        Checks.required("commitment", commitment);
        Checks.token("commitment.id", commitment.id(), Checks.MAX_NAMESPACE);
        if (Math.max(0, commitment.percentOff().stripTrailingZeros().scale()) > 4) {
            throw InvalidRequestException.of("commitment.percentOff", "has more than 4 decimals");
        }
        return work.transact(s -> {
            AccountRecord a = Lookups.requireAccount(s, namespace);
            CurrencyUnit currency = Amounts.currency(a.currency());
            if (!commitment.threshold().getCurrency().equals(currency)) {
                throw new InvalidRequestException(ErrorCode.CURRENCY_MISMATCH, "commitment.threshold", "is in "
                        + commitment.threshold().getCurrency() + ", the account is in " + currency);
            }
            BigDecimal threshold = Amounts.exact(commitment.threshold());
            if (threshold.signum() != 0) {
                Checks.positiveAmount("commitment.threshold", commitment.threshold(), currency);
            }
            CommitmentRecord record = new CommitmentRecord(namespace, commitment.id(), commitment.percentOff(),
                    Amounts.scaled(threshold, currency), a.currency(), commitment.endDate());
            s.rating().putCommitment(record);
            return ChargesMapping.commitment(record);
        });
    }

    /**
     * @param namespace the account's namespace
     * @return its commitments, by id
     * @throws NotFoundException when no account has this namespace
     */
    public List<Commitment> commitments(String namespace) {
        Checks.namespace(namespace);
        return work.transact(s -> {
            Lookups.requireAccount(s, namespace);
            return s.rating().listCommitments(namespace).stream().map(ChargesMapping::commitment).toList();
        });
    }

    /**
     * The estimated charges of an account's current billing period, every line.
     *
     * @see #estimatedCharges(String, String, String, int, int)
     */
    public EstimatedCharges estimatedCharges(String namespace) {
        return estimatedCharges(namespace, null, null, 0, MAX_PAGE);
    }

    /**
     * The estimated charges of an account's current billing period (the one containing the clock's
     * now): one CHARGE line per (offering code, charge type) with usage, amount = the rate card's
     * price of the summed quantity rounded once to the currency's digits with the engine's
     * rounding mode; DISCOUNT lines from its commitments; and totals that add up. Usage is summed by
     * the store, never loaded.
     *
     * @param namespace the account's namespace
     * @param offeringCode list only lines of this offering code, or {@code null}
     * @param chargeType list only lines of this charge type, or {@code null}
     * @param marker the index of the first line to list, among the filtered lines, from 0
     * @param limit the page size, 1 to {@value #MAX_PAGE}
     * @return the estimate; its totals cover every line, whatever the filter and page
     * @throws NotFoundException when no account has this namespace
     * @throws InvalidRequestException when a filter, the marker or the limit is malformed
     */
    public EstimatedCharges estimatedCharges(String namespace, String offeringCode, String chargeType, int marker,
            int limit) {
        Checks.namespace(namespace);
        if (offeringCode != null) {
            Checks.token("offeringCode", offeringCode, Checks.MAX_NAMESPACE);
        }
        if (chargeType != null) {
            Checks.token("chargeType", chargeType, Checks.MAX_NAMESPACE);
        }
        if (marker < 0) {
            throw InvalidRequestException.of("marker", "must be 0 or more, was " + marker);
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw InvalidRequestException.of("limit", "must be between 1 and " + MAX_PAGE + ", was " + limit);
        }
        return work.transact(s -> rater.estimate(s, Lookups.requireAccount(s, namespace), clock.instant(), offeringCode,
                chargeType, marker, limit));
    }

    /**
     * @param namespace the account's namespace
     * @return its statements, newest period first
     * @throws NotFoundException when no account has this namespace
     */
    public List<Statement> statements(String namespace) {
        Checks.namespace(namespace);
        return work.transact(s -> {
            Lookups.requireAccount(s, namespace);
            return s.statements().listStatements(namespace).stream()
                    .map(st -> ChargesMapping.statement(st, s.statements().listStatementLines(st.id()))).toList();
        });
    }

    /**
     * Closes every billing period that has ended at the clock's now: its estimate becomes an immutable
     * {@link Statement}, its {@code chargeTotal} is debited from the wallet as one
     * {@link TransactionKind#USAGE_CHARGE} transaction, and the next period opens. When the balance
     * does not cover it, the wallet pays what it has, the rest is recorded as debt (ledger account
     * {@code receivable:<namespace>}), and the account is suspended and flagged for notification;
     * the next recharge pays the debt first. {@link BillingEngine#runDue()} calls it.
     *
     * <p>Each account's close (with the descendant periods that ended within it) is its own unit of
     * work, guarded by a compare-and-set on the period it ends, so running this twice (or on several
     * engines at once) closes nothing twice, and a crash between two accounts loses nothing.
     *
     * @return the statements made and how many went into arrears, and one failure message per
     *     account that could not be closed (retried by the next run)
     */
    public DueRun closeDue() {
        Instant now = clock.instant();
        int statements = 0;
        int arrears = 0;
        List<String> failures = new ArrayList<>();
        Set<String> failed = new HashSet<>();
        while (true) {
            List<String> due = work.transact(s -> s.profiles().listPeriodsDue(now, DUE_BATCH + failed.size())).stream()
                    .map(BillingProfileRecord::namespace).filter(ns -> !failed.contains(ns)).toList();
            if (due.isEmpty()) {
                break;
            }
            for (String ns : due) {
                try {
                    Closing.Closed c = work.transact(s -> closing.closeUpTo(s, ns, now));
                    statements += c.statements();
                    arrears += c.arrears();
                } catch (RuntimeException e) { // one account's failure never stops the others
                    failed.add(ns);
                    failures.add("closing the period of " + ns + ": " + e.getMessage());
                    LOG.log(System.Logger.Level.WARNING, "closing the period of " + ns + " failed", e);
                }
            }
        }
        return new DueRun(now, statements, arrears, 0, 0, failures);
    }
}
