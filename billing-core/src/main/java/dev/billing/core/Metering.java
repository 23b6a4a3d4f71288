package dev.billing.core;

import dev.billing.core.charges.AccountKind;
import dev.billing.core.charges.BillingPeriod;
import dev.billing.core.charges.BillingProfile;
import dev.billing.core.charges.ChargeCategory;
import dev.billing.core.charges.ChargeLine;
import dev.billing.core.charges.Commitment;
import dev.billing.core.charges.EstimatedCharges;
import dev.billing.core.charges.Rate;
import dev.billing.core.charges.Statement;
import dev.billing.core.charges.Tier;
import dev.billing.core.usage.IngestResult;
import dev.billing.core.usage.IngestStatus;
import dev.billing.core.usage.UsageEvent;
import dev.billing.core.wallet.AccountStatus;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.CommitmentRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.RateRecord;
import dev.billing.spi.StatementLineRecord;
import dev.billing.spi.StatementRecord;
import dev.billing.spi.StorageSession;
import dev.billing.spi.TransactionRecord;
import dev.billing.spi.TransientStorageException;
import dev.billing.spi.UsageRecord;
import dev.billing.spi.UsageSum;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.money.CurrencyUnit;
import javax.money.Monetary;

/**
 * The metering side of the engine, inside units of work: usage ingestion, rating a period into
 * charge lines and totals, closing periods into statements, and paying debt. Stateless apart from
 * its settings; thread-safe.
 */
final class Metering {

    static final String REVENUE_USAGE = "revenue:usage";
    /** Quantities and rates keep at most this many decimals, so every store holds them exactly. */
    static final int MAX_QUANTITY_SCALE = 6;
    private static final int MAX_DEPTH = 32;

    private final ZoneId zone;
    private final Period cycleLength;
    private final RoundingMode rounding;
    private final IdGenerator ids;

    /**
     * @param zone the zone of new accounts' billing cycles
     * @param cycleLength the length of new accounts' billing cycles
     */
    Metering(ZoneId zone, Period cycleLength, RoundingMode rounding, IdGenerator ids) {
        this.zone = zone;
        this.cycleLength = BillingCycle.check(cycleLength);
        this.rounding = rounding;
        this.ids = ids;
    }

    // ------------------------------------------------------------------ profiles

    static String receivable(String namespace) {
        return "receivable:" + namespace;
    }

    /**
     * A new account's profile: a cycle of the engine's default length and zone, anchored at its opening
     * truncated to the whole second, so that usage stamped with second precision in the second the
     * account opened falls in its first period.
     */
    BillingProfileRecord newProfile(AccountRecord a) {
        Instant anchor = a.createdAt().truncatedTo(ChronoUnit.SECONDS);
        BillingPeriod first = new BillingCycle(anchor, zone, cycleLength).periodAt(anchor);
        return new BillingProfileRecord(a.namespace(), null, Records.code(AccountKind.CLOUD), first.start(), first.end(),
                anchor, cycleLength.toString(), zone.getId(), null, null);
    }

    /**
     * A profile stored before cycles were kept gets the cycle it was laid out with: monthly from the
     * account's opening, in this engine's zone (the only zone it knew). Its open period stays as stored.
     */
    BillingProfileRecord complete(BillingProfileRecord p, AccountRecord a) {
        if (p.cycleAnchor() != null && p.cycleLength() != null && p.cycleZone() != null) {
            return p;
        }
        return new BillingProfileRecord(p.namespace(), p.parent(), p.kind(), p.periodStart(), p.periodEnd(),
                p.cycleAnchor() != null ? p.cycleAnchor() : a.createdAt().truncatedTo(ChronoUnit.SECONDS),
                p.cycleLength() != null ? p.cycleLength() : BillingCycle.MONTHLY.toString(),
                p.cycleZone() != null ? p.cycleZone() : zone.getId(), p.nextCycleLength(), p.nextCycleZone());
    }

    /** The stored profile (completed), or the one the account was opened with when it predates profiles. */
    BillingProfileRecord profile(StorageSession s, AccountRecord a) {
        return s.findBillingProfile(a.namespace()).map(p -> complete(p, a)).orElseGet(() -> newProfile(a));
    }

    /**
     * Like {@link #profile}, but locks the profile's row for this unit of work first, and stores a
     * missing profile (and completes one stored before cycles were kept).
     */
    BillingProfileRecord storedProfile(StorageSession s, AccountRecord a) {
        Optional<BillingProfileRecord> p = s.lockBillingProfile(a.namespace());
        if (p.isPresent()) {
            BillingProfileRecord completed = complete(p.get(), a);
            if (!completed.equals(p.get()) && !s.replaceBillingProfile(completed, completed.periodStart())) {
                throw new TransientStorageException("period of " + a.namespace() + " closed concurrently", null);
            }
            return completed;
        }
        BillingProfileRecord created = newProfile(a);
        s.insertBillingProfile(created);
        return created;
    }

    static BillingProfile view(BillingProfileRecord p) {
        return new BillingProfile(p.namespace(), p.parent(), Records.parse(AccountKind.class, p.kind()),
                new BillingPeriod(p.periodStart(), p.periodEnd()), Period.parse(p.cycleLength()),
                ZoneId.of(p.cycleZone()),
                p.nextCycleLength() == null ? null : Period.parse(p.nextCycleLength()),
                p.nextCycleZone() == null ? null : ZoneId.of(p.nextCycleZone()));
    }

    /** The cycle that laid out the open period of a completed profile. */
    static BillingCycle cycle(BillingProfileRecord p) {
        return new BillingCycle(p.cycleAnchor(), ZoneId.of(p.cycleZone()), Period.parse(p.cycleLength()));
    }

    /** The cycle that lays out the periods after the open one: a pending change anchored at its end, or the same. */
    static BillingCycle cycleAfter(BillingProfileRecord p) {
        return p.nextCycleLength() == null ? cycle(p)
                : new BillingCycle(p.periodEnd(), ZoneId.of(p.nextCycleZone()), Period.parse(p.nextCycleLength()));
    }

    /** The cycle that lays out {@code period}, which is the open period or a later one. */
    static BillingCycle cycleOf(BillingProfileRecord p, BillingPeriod period) {
        return period.start().isBefore(p.periodEnd()) ? cycle(p) : cycleAfter(p);
    }

    /** The period after the open one: it starts exactly where the open one ends. */
    static BillingPeriod nextPeriod(BillingProfileRecord p) {
        return cycleAfter(p).next(new BillingPeriod(p.periodStart(), p.periodEnd()));
    }

    /**
     * The period of a completed profile that contains {@code t}: the open one, or a later one when
     * closing lags behind. An instant before the open period gets the open period.
     */
    static BillingPeriod periodAt(BillingProfileRecord p, Instant t) {
        if (t.isBefore(p.periodEnd())) {
            return new BillingPeriod(p.periodStart(), p.periodEnd());
        }
        BillingPeriod next = nextPeriod(p);
        return t.isBefore(next.end()) ? next : cycleAfter(p).periodAt(t);
    }

    // ------------------------------------------------------------------ rate card

    static RateRecord toRecord(Rate r) {
        return new RateRecord(r.offeringCode(), r.chargeType(), r.effectiveFrom(), r.unitOfMeasure(),
                r.currency().getCurrencyCode(), plain(r.includedQuantity()),
                r.tiers().stream().map(t -> new RateRecord.TierRecord(t.upTo() == null ? null : plain(t.upTo()),
                        plain(t.unitRate()))).toList());
    }

    static Rate rate(RateRecord r) {
        return new Rate(r.offeringCode(), r.chargeType(), r.unitOfMeasure(), Monetary.getCurrency(r.currency()),
                plain(r.includedQuantity()), r.tiers().stream()
                        .map(t -> new Tier(t.upTo() == null ? null : plain(t.upTo()), plain(t.unitRate()))).toList(),
                r.effectiveFrom());
    }

    /**
     * A quantity or rate without trailing zeros (never in exponent form), so that every store gives
     * back the same value whatever scale its columns have.
     */
    static BigDecimal plain(BigDecimal n) {
        BigDecimal stripped = n.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** The rate card, indexed by (offering code, charge type), each list by effective date. */
    static Map<List<String>, List<RateRecord>> rateCard(StorageSession s) {
        Map<List<String>, List<RateRecord>> card = new HashMap<>();
        for (RateRecord r : s.listRates(null, null)) {
            card.computeIfAbsent(List.of(r.offeringCode(), r.chargeType()), k -> new ArrayList<>()).add(r);
        }
        return card;
    }

    /** @return the rate in force on the day (in the cycle's zone) the period starts */
    static Optional<RateRecord> inForce(List<RateRecord> versions, Instant periodStart, ZoneId zone) {
        LocalDate day = periodStart.atZone(zone).toLocalDate();
        RateRecord found = null;
        for (RateRecord r : versions) {
            if (!r.effectiveFrom().isAfter(day)) {
                found = r;
            }
        }
        return Optional.ofNullable(found);
    }

    // ------------------------------------------------------------------ usage

    /** Shape checks that need no storage; throws {@link InvalidRequestException} naming the field. */
    static BigDecimal checkShape(UsageEvent e) {
        if (e == null) {
            throw InvalidRequestException.of("event", "is required");
        }
        Checks.token("event_id", e.eventId(), Checks.MAX_KEY);
        Checks.namespace(e.namespace());
        Checks.token("offering_code", e.offeringCode(), Checks.MAX_NAMESPACE);
        Checks.token("charge_type", e.chargeType(), Checks.MAX_NAMESPACE);
        if (e.timestamp() == null) {
            throw InvalidRequestException.of("timestamp", "is required");
        }
        return quantity("quantity", e.quantity(), false);
    }

    /** An exact, non-negative quantity (positive when {@code positive}) with at most 6 decimals, below 10^15. */
    static BigDecimal quantity(String field, BigDecimal q, boolean positive) {
        if (q == null) {
            throw InvalidRequestException.of(field, "is required");
        }
        if (q.signum() < 0 || positive && q.signum() == 0) {
            throw InvalidRequestException.of(field, "must be " + (positive ? "positive" : "zero or more") + ", was "
                    + q.toPlainString());
        }
        if (Math.max(0, q.stripTrailingZeros().scale()) > MAX_QUANTITY_SCALE) {
            throw InvalidRequestException.of(field, q.toPlainString() + " has more than " + MAX_QUANTITY_SCALE + " decimals");
        }
        if (q.compareTo(Checks.MAX_AMOUNT) >= 0) {
            throw InvalidRequestException.of(field, q.toPlainString() + " is too large (at most 15 integer digits)");
        }
        return q;
    }

    /**
     * Ingests shape-checked events in one unit of work: each is accepted, a duplicate, or rejected
     * for a reason only the store knows. Nothing is written for duplicates and rejections.
     *
     * @param events the events; {@code null} entries were rejected by shape already
     * @param results the results so far, filled in place for the non-null entries
     */
    void ingest(StorageSession s, List<UsageEvent> events, IngestResult[] results, Instant now) {
        Ingestion ingestion = new Ingestion(s, now);
        for (int i = 0; i < events.size(); i++) {
            UsageEvent e = events.get(i);
            if (e == null) {
                continue;
            }
            try {
                results[i] = ingestion.ingest(e);
            } catch (BillingException x) {
                results[i] = rejected(e, x.code(), x.getMessage());
            }
        }
    }

    /**
     * Ingests one shape-checked event.
     *
     * @return accepted or duplicate
     * @throws BillingException naming the field, when the event is rejected (nothing was written)
     */
    IngestResult ingestOne(StorageSession s, UsageEvent e, Instant now) {
        return new Ingestion(s, now).ingest(e);
    }

    /** One unit of work's ingestion, with what it has read so far. */
    private final class Ingestion {

        private final StorageSession s;
        private final Instant now;
        private final Map<List<String>, List<RateRecord>> card;
        private final Map<String, Optional<AccountRecord>> accounts = new HashMap<>();
        private final Map<String, BillingProfileRecord> profiles = new HashMap<>();
        private final Set<List<String>> accepted = new HashSet<>();

        Ingestion(StorageSession s, Instant now) {
            this.s = s;
            this.now = now;
            this.card = rateCard(s);
        }

        /** @throws BillingException naming the field, when the event is rejected (checked before any write) */
        IngestResult ingest(UsageEvent e) {
            List<String> id = List.of(e.namespace(), e.eventId());
            if (accepted.contains(id) || s.findUsage(e.namespace(), e.eventId()).isPresent()) {
                return new IngestResult(e.eventId(), IngestStatus.DUPLICATE, null, null);
            }
            AccountRecord a = accounts.computeIfAbsent(e.namespace(), s::findAccount).orElseThrow(() ->
                    new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND, "namespace", "no account " + e.namespace()));
            if (a.status().equals(Records.code(AccountStatus.CLOSED))) {
                throw new ConflictException(ErrorCode.ACCOUNT_NOT_ACTIVE, "namespace: account " + e.namespace()
                        + " is closed");
            }
            if (e.timestamp().isAfter(now)) {
                throw InvalidRequestException.of("timestamp", e.timestamp() + " is in the future (the engine's clock reads "
                        + now + ")");
            }
            BillingProfileRecord p = profiles.computeIfAbsent(e.namespace(), ns -> storedProfile(s, a));
            if (e.timestamp().isBefore(a.createdAt().truncatedTo(ChronoUnit.SECONDS))) {
                throw InvalidRequestException.of("timestamp", e.timestamp() + " is before the account opened ("
                        + a.createdAt().truncatedTo(ChronoUnit.SECONDS) + ")");
            }
            if (e.timestamp().isBefore(p.periodStart())) {
                throw new InvalidRequestException(ErrorCode.PERIOD_CLOSED, "timestamp", e.timestamp()
                        + " falls in a closed period (the open period of " + e.namespace() + " starts "
                        + p.periodStart() + ")");
            }
            List<RateRecord> versions = card.get(List.of(e.offeringCode(), e.chargeType()));
            if (versions == null) {
                throw new InvalidRequestException(ErrorCode.RATE_NOT_FOUND, "offering_code/charge_type",
                        "the rate card has no rate for " + e.offeringCode() + "/" + e.chargeType());
            }
            BillingPeriod period = periodAt(p, e.timestamp());
            Instant periodStart = period.start();
            RateRecord rate = inForce(versions, periodStart, cycleOf(p, period).zone()).orElseThrow(() -> new InvalidRequestException(
                    ErrorCode.RATE_NOT_FOUND, "timestamp", "no rate for " + e.offeringCode() + "/" + e.chargeType()
                            + " is in force for the period starting " + periodStart));
            if (!rate.currency().equals(a.currency())) {
                throw new InvalidRequestException(ErrorCode.CURRENCY_MISMATCH, "offering_code", "the rate for "
                        + e.offeringCode() + "/" + e.chargeType() + " is in " + rate.currency() + ", the account is in "
                        + a.currency());
            }
            s.insertUsage(new UsageRecord(e.namespace(), e.eventId(), e.offeringCode(), e.chargeType(), plain(e.quantity()),
                    e.timestamp(), now));
            accepted.add(id);
            return new IngestResult(e.eventId(), IngestStatus.ACCEPTED, null, null);
        }
    }

    static IngestResult rejected(UsageEvent e, ErrorCode code, String reason) {
        return new IngestResult(e == null ? null : e.eventId(), IngestStatus.REJECTED, code, reason);
    }

    // ------------------------------------------------------------------ rating

    /** Every line of a period and its totals, exact and rounded once per line. */
    record Rated(CurrencyUnit currency, List<ChargeLine> charges, List<ChargeLine> discounts, BigDecimal subTotal,
            BigDecimal discountTotal) {

        BigDecimal chargeTotal() {
            return subTotal.add(discountTotal);
        }

        List<ChargeLine> lines() {
            List<ChargeLine> all = new ArrayList<>(charges);
            all.addAll(discounts);
            return all;
        }
    }

    /**
     * Rates an account's usage in {@code [period.start, period.end)}, with its commitments; the period
     * is one of the profile's (the open one or a later one), and each sum is priced by the rate in
     * force on the day, in that period's zone, the period starts: the version its usage was accepted
     * with.
     *
     * @throws ConflictException when stored usage has no rate to price it or the rate is in another
     *     currency than the account ({@link ErrorCode#CURRENCY_MISMATCH}): never a wrong figure
     */
    Rated rate(StorageSession s, AccountRecord a, BillingProfileRecord p, BillingPeriod period,
            Map<List<String>, List<RateRecord>> card) {
        CurrencyUnit currency = Monetary.getCurrency(a.currency());
        ZoneId periodZone = cycleOf(p, period).zone();
        List<ChargeLine> charges = new ArrayList<>();
        for (UsageSum sum : s.sumUsage(a.namespace(), period.start(), period.end())) {
            List<RateRecord> versions = card.getOrDefault(List.of(sum.offeringCode(), sum.chargeType()), List.of());
            // a profile completed with another zone than the one its usage was accepted in may see the
            // first version start a day late: that version is still the one the usage was accepted with;
            // anything further off is missing data, refused rather than priced
            LocalDate dayAfterStart = period.start().atZone(periodZone).toLocalDate().plusDays(1);
            RateRecord r = inForce(versions, period.start(), periodZone)
                    .or(() -> versions.stream().findFirst().filter(v -> !v.effectiveFrom().isAfter(dayAfterStart)))
                    .orElseThrow(() -> new ConflictException(ErrorCode.RATE_NOT_FOUND, "offering_code/charge_type: "
                            + "the rate card has no rate for the stored usage of " + sum.offeringCode() + "/"
                            + sum.chargeType()));
            if (!r.currency().equals(a.currency())) {
                throw new ConflictException(ErrorCode.CURRENCY_MISMATCH, "currency: the rate for " + sum.offeringCode()
                        + "/" + sum.chargeType() + " from " + r.effectiveFrom() + " is in " + r.currency()
                        + ", account " + a.namespace() + " is in " + a.currency());
            }
            charges.add(Rating.charge(new Rating.Sum(sum.offeringCode(), sum.chargeType(), plain(sum.quantity())), rate(r),
                    currency, rounding));
        }
        charges.sort(Rating.ORDER);
        BigDecimal subTotal = Amounts.scaled(Rating.sum(charges), currency);
        List<Commitment> commitments = s.listCommitments(a.namespace()).stream().map(Metering::commitment).toList();
        List<ChargeLine> discounts = Rating.discounts(subTotal, commitments, period.start(), currency, rounding);
        return new Rated(currency, charges, discounts, subTotal, Amounts.scaled(Rating.sum(discounts), currency));
    }

    /**
     * For an estimate of the parent's {@code period}: what its statement will count if the period
     * closed now: the descendant statements already recorded under it that ended within the period,
     * and each current descendant's periods that are not closed yet and end within it, rated as they
     * stand.
     */
    BigDecimal hierarchyTotal(StorageSession s, AccountRecord root, BillingPeriod period,
            Map<List<String>, List<RateRecord>> card) {
        BigDecimal total = s.sumAncestorShares(root.namespace(), period.start(), period.end());
        for (BillingProfileRecord d : descendants(s, root)) {
            AccountRecord a = s.findAccount(d.namespace()).orElseThrow();
            BillingProfileRecord p = complete(d, a);
            BillingPeriod q = new BillingPeriod(p.periodStart(), p.periodEnd());
            while (!q.end().isAfter(period.end())) {
                if (q.end().isAfter(period.start())) {
                    total = total.add(rate(s, a, p, q, card).chargeTotal());
                }
                q = periodAt(p, q.end());
            }
        }
        return Amounts.scaled(total, Monetary.getCurrency(root.currency()));
    }

    /**
     * For a parent's statement of {@code period}: the charge totals of the statements recorded under it
     * (made while their account was its descendant) whose period ended within it ({@code start < end
     * <= period.end}). {@link #closeUpTo} closes those periods first, in the same unit of work, so they
     * are final. Period ends partition time and each statement is recorded under the ancestors it had,
     * so each descendant period counts exactly once for each ancestor, even when the hierarchy changes.
     */
    private static BigDecimal statementHierarchyTotal(StorageSession s, AccountRecord root, BillingPeriod period) {
        return Amounts.scaled(s.sumAncestorShares(root.namespace(), period.start(), period.end()),
                Monetary.getCurrency(root.currency()));
    }

    /** @return the parent of {@code namespace}, its parent, and so on */
    private static List<String> ancestors(StorageSession s, String namespace) {
        List<String> up = new ArrayList<>();
        String at = s.findBillingProfile(namespace).map(BillingProfileRecord::parent).orElse(null);
        while (at != null && up.size() <= MAX_DEPTH) {
            up.add(at);
            at = s.findBillingProfile(at).map(BillingProfileRecord::parent).orElse(null);
        }
        return up;
    }

    /** @return the profiles of every descendant of {@code root}, breadth first */
    private static List<BillingProfileRecord> descendants(StorageSession s, AccountRecord root) {
        List<BillingProfileRecord> all = new ArrayList<>();
        Set<String> visited = new HashSet<>(Set.of(root.namespace()));
        Deque<String> todo = new ArrayDeque<>(List.of(root.namespace()));
        while (!todo.isEmpty()) {
            for (BillingProfileRecord child : s.listChildren(todo.pop())) {
                if (visited.add(child.namespace())) {
                    all.add(child);
                    todo.add(child.namespace());
                }
            }
        }
        return all;
    }

    EstimatedCharges estimate(StorageSession s, AccountRecord a, Instant now, String offeringCode, String chargeType,
            int marker, int limit) {
        BillingProfileRecord p = profile(s, a);
        BillingPeriod period = periodAt(p, now);
        Map<List<String>, List<RateRecord>> card = rateCard(s);
        Rated rated = rate(s, a, p, period, card);
        BigDecimal hierarchy = hierarchyTotal(s, a, period, card);
        boolean dedicated = p.kind().equals(Records.code(AccountKind.DEDICATED));
        List<ChargeLine> filtered = dedicated ? List.of() : rated.lines().stream()
                .filter(l -> offeringCode == null || offeringCode.equals(l.offeringCode()))
                .filter(l -> chargeType == null || chargeType.equals(l.chargeType()))
                .toList();
        int from = Math.min(marker, filtered.size());
        int to = Math.min(filtered.size(), from + limit);
        CurrencyUnit c = rated.currency();
        return new EstimatedCharges(a.namespace(), dedicated, c, period, cycleOf(p, period)
                .remaining(period, now), filtered.subList(from, to), Amounts.of(rated.subTotal(), c),
                Amounts.of(rated.discountTotal(), c), Amounts.of(rated.chargeTotal(), c), Amounts.of(hierarchy, c),
                Amounts.of(rated.chargeTotal().add(hierarchy), c), marker, limit, to < filtered.size(), from > 0);
    }

    static Commitment commitment(CommitmentRecord c) {
        return new Commitment(c.id(), plain(c.percentOff()), Amounts.of(c.threshold(), c.currency()), c.endDate());
    }

    // ------------------------------------------------------------------ closing

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
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException("account hierarchy under " + namespace + " is deeper than " + MAX_DEPTH);
        }
        AccountRecord a = s.findAccount(namespace).orElse(null);
        BillingProfileRecord stored = a == null ? null : s.lockBillingProfile(namespace).orElse(null);
        if (stored == null) {
            return Closed.NOTHING;
        }
        Closed done = Closed.NOTHING;
        while (!stored.periodEnd().isAfter(upTo)) {
            for (BillingProfileRecord child : s.listChildren(namespace)) {
                done = done.plus(closeUpTo(s, child.namespace(), stored.periodEnd(), now, depth + 1));
            }
            done = done.plus(closeOpen(s, a, complete(stored, a), now));
            stored = s.lockBillingProfile(namespace).orElseThrow();
        }
        for (BillingProfileRecord child : s.listChildren(namespace)) {
            done = done.plus(closeUpTo(s, child.namespace(), upTo, now, depth + 1));
        }
        return done;
    }

    /** Closes the open period of {@code p}, which has ended: a statement, a charge, and the next period opens. */
    private Closed closeOpen(StorageSession s, AccountRecord a, BillingProfileRecord p, Instant now) {
        String namespace = a.namespace();
        BillingPeriod period = new BillingPeriod(p.periodStart(), p.periodEnd());
        BillingPeriod next = nextPeriod(p);
        BillingCycle after = cycleAfter(p);
        // the next period starts exactly where this one ends; a pending cycle change takes over, anchored there
        if (!s.replaceBillingProfile(new BillingProfileRecord(namespace, p.parent(), p.kind(), next.start(), next.end(),
                p.nextCycleLength() == null ? p.cycleAnchor() : after.anchor(), after.length().toString(),
                after.zone().getId(), null, null), p.periodStart())) {
            // another engine closed it between our read and our write: start over and see
            throw new TransientStorageException("period of " + namespace + " closed concurrently", null);
        }
        Rated rated = rate(s, a, p, period, rateCard(s));
        BigDecimal hierarchy = statementHierarchyTotal(s, a, period);
        BigDecimal charge = rated.chargeTotal();
        String statementId = ids.next();
        String txId = null;
        Closed outcome = new Closed(1, 0);
        if (charge.signum() > 0) {
            txId = ids.next();
            // a zero change locks the wallet's row and reads its balance as of now, not as of our first read
            BigDecimal current = s.applyBalanceDelta(namespace, BigDecimal.ZERO, null).orElseThrow();
            BigDecimal paid = charge.min(current.max(BigDecimal.ZERO));
            BigDecimal debt = charge.subtract(paid);
            BigDecimal balance = paid.signum() > 0
                    ? s.applyBalanceDelta(namespace, paid.negate(), BigDecimal.ZERO).orElseThrow(() ->
                            new TransientStorageException("balance of " + namespace + " changed concurrently", null))
                    : current;
            ZoneId periodZone = cycle(p).zone();
            String description = "Usage charges " + period.start().atZone(periodZone).toLocalDate() + " to "
                    + period.end().atZone(periodZone).toLocalDate();
            List<PostingRecord> postings = new ArrayList<>();
            postings.add(new PostingRecord(txId, BillingEngine.wallet(namespace), paid.negate(), a.currency()));
            if (debt.signum() > 0) {
                description += ", " + debt.toPlainString() + " " + a.currency() + " unpaid";
                postings.add(new PostingRecord(txId, receivable(namespace), debt.negate(), a.currency()));
                s.updateAccountState(namespace, Records.code(AccountStatus.SUSPENDED), true);
                outcome = new Closed(1, 1);
            }
            postings.add(new PostingRecord(txId, REVENUE_USAGE, charge, a.currency()));
            postings.removeIf(x -> x.amount().signum() == 0);
            s.appendTransaction(new TransactionRecord(0, txId, namespace, Records.code(TransactionKind.USAGE_CHARGE),
                    charge, a.currency(), description, BillingEngine.BALANCE_PAYMENT, null, null, balance, now, null),
                    postings);
        }
        List<StatementLineRecord> lines = new ArrayList<>();
        List<ChargeLine> all = rated.lines();
        for (int i = 0; i < all.size(); i++) {
            ChargeLine l = all.get(i);
            lines.add(new StatementLineRecord(statementId, i, l.offeringCode(), l.chargeType(), l.category().name(),
                    l.quantity(), l.unitOfMeasure(), l.rate(), Amounts.exact(l.amount()), l.endDate(), l.chargeDetails(),
                    l.chargeDescription()));
        }
        s.insertStatement(new StatementRecord(statementId, namespace, period.start(), period.end(), a.currency(),
                rated.subTotal(), rated.discountTotal(), charge, hierarchy, charge.add(hierarchy), txId, now), lines,
                ancestors(s, namespace));
        return outcome;
    }

    static Statement statement(StatementRecord st, List<StatementLineRecord> lines) {
        CurrencyUnit c = Monetary.getCurrency(st.currency());
        List<ChargeLine> view = lines.stream().map(l -> new ChargeLine(l.offeringCode(), l.chargeType(),
                ChargeCategory.valueOf(l.category()), plain(l.quantity()), l.unitOfMeasure(), plain(l.rate()),
                Amounts.of(l.amount(), c),
                l.endDate(), l.chargeDetails(), l.chargeDescription())).toList();
        return new Statement(st.id(), st.namespace(), new BillingPeriod(st.periodStart(), st.periodEnd()), c, view,
                Amounts.of(st.chargeSubTotal(), c), Amounts.of(st.discountTotal(), c), Amounts.of(st.chargeTotal(), c),
                Amounts.of(st.chargeHierarchyTotal(), c), Amounts.of(st.total(), c), st.transactionId(), st.createdAt());
    }

    // ------------------------------------------------------------------ debt

    /** @return what the account owes from periods its wallet could not cover */
    static BigDecimal debt(StorageSession s, String namespace) {
        return s.sumPostings(receivable(namespace)).negate();
    }

    /**
     * Pays debt from the wallet, as far as the balance goes, and reactivates a suspended account
     * whose debt is paid off.
     *
     * @return the balance after
     */
    BigDecimal payDebt(StorageSession s, AccountRecord a, BigDecimal balance, Instant now) {
        BigDecimal debt = debt(s, a.namespace());
        if (debt.signum() <= 0) {
            return balance;
        }
        BigDecimal pay = debt.min(balance);
        if (pay.signum() > 0) {
            balance = s.applyBalanceDelta(a.namespace(), pay.negate(), BigDecimal.ZERO).orElseThrow();
            String txId = ids.next();
            s.appendTransaction(new TransactionRecord(0, txId, a.namespace(), Records.code(TransactionKind.DEBT_PAYMENT),
                    pay, a.currency(), "Payment of unpaid usage charges", BillingEngine.BALANCE_PAYMENT, null, null,
                    balance, now, null), List.of(
                            new PostingRecord(txId, BillingEngine.wallet(a.namespace()), pay.negate(), a.currency()),
                            new PostingRecord(txId, receivable(a.namespace()), pay, a.currency())));
        }
        if (pay.compareTo(debt) == 0 && a.status().equals(Records.code(AccountStatus.SUSPENDED))) {
            AccountRecord now2 = s.findAccount(a.namespace()).orElseThrow();
            s.updateAccountState(a.namespace(), Records.code(AccountStatus.ACTIVE), now2.notification());
        }
        return balance;
    }

    /** @throws InvalidRequestException when making {@code parent} the parent of {@code namespace} makes a cycle */
    static void checkNoCycle(StorageSession s, String namespace, String parent) {
        String at = parent;
        int above = 0;
        for (; at != null; above++) {
            if (at.equals(namespace)) {
                throw InvalidRequestException.of("parent", parent + " is " + namespace + " or one of its descendants");
            }
            if (above > MAX_DEPTH) {
                throw InvalidRequestException.of("parent", "the hierarchy would be deeper than " + MAX_DEPTH);
            }
            // locking each ancestor: two concurrent changes that would close a loop wait for each other
            // (a deadlock the store breaks; the retry sees the other's parent and refuses)
            at = s.lockBillingProfile(at).map(BillingProfileRecord::parent).orElse(null);
        }
        // the levels the account brings along: itself and its descendants
        List<String> level = List.of(namespace);
        for (int below = 1; !level.isEmpty(); below++) {
            if (above + below > MAX_DEPTH) {
                throw InvalidRequestException.of("parent", "the hierarchy would be deeper than " + MAX_DEPTH);
            }
            List<String> next = new ArrayList<>();
            for (String ns : level) {
                s.listChildren(ns).forEach(c -> next.add(c.namespace()));
            }
            level = next;
        }
    }
}
