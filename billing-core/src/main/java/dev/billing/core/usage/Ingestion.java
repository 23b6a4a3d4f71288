package dev.billing.core.usage;

import dev.billing.core.BillingException;
import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.accounts.BillingPeriod;
import dev.billing.core.internal.Amounts;
import dev.billing.core.internal.Checks;
import dev.billing.core.internal.Codes;
import dev.billing.core.internal.Limits;
import dev.billing.core.internal.Profiles;
import dev.billing.core.internal.RateCard;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.RateRecord;
import dev.billing.spi.StorageSession;
import dev.billing.spi.UsageRecord;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One unit of work's ingestion of usage events, with what it has read so far. Not thread-safe.
 *
 * <p>Two ways to tell duplicates. Looking up first ({@code lookUpFirst}) reads which of the batch's ids
 * are stored before checking any event. Storing first (the first attempt of a unit of work, see
 * {@link Usage}) takes every event for new and lets the store's uniqueness find the rest: an accepted
 * event that is stored already makes the batched insert fail with a duplicate key, the unit of work rolls
 * back and runs again looking up first; an event rejected for a reason the store knows (a closed period, a
 * closed account) is looked up before its rejection is answered, so that a resent event is a duplicate
 * whatever has changed since it was stored. Both give the same results; a batch of fresh events, the
 * usual one, is stored without its look-up.
 */
final class Ingestion {

    private final StorageSession s;
    private final Instant now;
    private final Profiles profiles;
    private final RateCard card;
    private final Limits limits;
    private final Map<String, Optional<AccountRecord>> accounts = new HashMap<>();
    private final Map<String, BillingProfileRecord> open = new HashMap<>();
    /** Per namespace, the event ids accepted so far. */
    private final Map<String, Set<String>> accepted = new HashMap<>();
    /** Per namespace, the event ids of this batch that are stored already. */
    private final Map<String, Set<String>> taken = new HashMap<>();
    /** Accepted events, stored together by {@link #store()}. */
    private final List<UsageRecord> pending = new ArrayList<>();
    private final boolean lookUpFirst;

    /**
     * @param lookUpFirst whether to read which ids are stored before checking the events, rather than
     *     storing first (see the class comment)
     */
    Ingestion(StorageSession s, Instant now, Profiles profiles, RoundingMode rounding, boolean lookUpFirst) {
        this.s = s;
        this.lookUpFirst = lookUpFirst;
        this.now = now;
        this.profiles = profiles;
        this.card = RateCard.read(s);
        this.limits = new Limits(s, profiles, rounding, card);
    }

    /** Shape checks that need no storage; throws {@link InvalidRequestException} naming the field. */
    static void checkShape(UsageEvent e) {
        if (e == null) {
            throw InvalidRequestException.of("event", "is required");
        }
        Checks.token("event.eventId", e.eventId(), Checks.MAX_KEY);
        Checks.token("event.namespace", e.namespace(), Checks.MAX_NAMESPACE);
        Checks.token("event.offeringCode", e.offeringCode(), Checks.MAX_NAMESPACE);
        Checks.token("event.chargeType", e.chargeType(), Checks.MAX_NAMESPACE);
        if (e.timestamp() == null) {
            throw InvalidRequestException.of("event.timestamp", "is required");
        }
        Checks.quantity("event.quantity", e.quantity(), false);
    }

    static IngestResult rejected(UsageEvent e, BillingException why) {
        return new IngestResult(e == null ? null : e.eventId(), IngestStatus.REJECTED, why.code(), why.field(),
                why.reason());
    }

    /**
     * Ingests shape-checked events: each is accepted, a duplicate, or rejected for a reason only the
     * store knows. Nothing is written for duplicates and rejections; the accepted ones are stored together
     * at the end, in one batched step of the store.
     *
     * @param events the events; {@code null} entries were rejected by shape already
     * @param results the results so far, filled in place for the non-null entries
     */
    void ingestAll(List<UsageEvent> events, IngestResult[] results) {
        if (lookUpFirst) {
            findTaken(events);
        }
        List<Integer> refused = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            UsageEvent e = events.get(i);
            if (e == null) {
                continue;
            }
            try {
                results[i] = check(e);
            } catch (BillingException x) {
                results[i] = rejected(e, x);
                refused.add(i);
            }
        }
        if (!lookUpFirst && !refused.isEmpty()) {
            findTaken(refused.stream().map(events::get).toList());
            for (int i : refused) {
                if (isTaken(events.get(i))) {
                    results[i] = duplicate(events.get(i));
                }
            }
        }
        store();
    }

    /**
     * Ingests one shape-checked event.
     *
     * @return accepted or duplicate
     * @throws BillingException naming the field, when the event is rejected (then nothing is written)
     */
    IngestResult ingest(UsageEvent e) {
        if (lookUpFirst) {
            findTaken(List.of(e));
        }
        IngestResult result;
        try {
            result = check(e);
        } catch (BillingException x) {
            if (lookUpFirst) {
                throw x;
            }
            findTaken(List.of(e));
            if (!isTaken(e)) {
                throw x;
            }
            result = duplicate(e);
        }
        store();
        return result;
    }

    /** Reads which of the events' ids are stored already: one look-up per namespace, not per event. */
    private void findTaken(List<UsageEvent> events) {
        Map<String, List<String>> ids = new HashMap<>();
        for (UsageEvent e : events) {
            if (e != null) {
                ids.computeIfAbsent(e.namespace(), ns -> new ArrayList<>()).add(e.eventId());
            }
        }
        ids.forEach((ns, list) -> taken.computeIfAbsent(ns, n -> new HashSet<>())
                .addAll(s.usage().findUsageIds(ns, list)));
    }

    private boolean isTaken(UsageEvent e) {
        return taken.getOrDefault(e.namespace(), Set.of()).contains(e.eventId());
    }

    private static IngestResult duplicate(UsageEvent e) {
        return new IngestResult(e.eventId(), IngestStatus.DUPLICATE, null, null, null);
    }

    private void store() {
        if (!pending.isEmpty()) {
            s.usage().insertUsages(List.copyOf(pending));
            pending.clear();
            limits.storeTotals();
        }
    }

    /**
     * Checks one event and queues it for {@link #store()} when it is accepted.
     *
     * @return accepted or duplicate
     * @throws BillingException naming the field, when the event is rejected
     */
    private IngestResult check(UsageEvent e) {
        Set<String> acceptedHere = accepted.computeIfAbsent(e.namespace(), ns -> new HashSet<>());
        if (acceptedHere.contains(e.eventId()) || isTaken(e)) {
            return duplicate(e);
        }
        AccountRecord a = accounts.computeIfAbsent(e.namespace(), s.accounts()::findAccount).orElseThrow(() ->
                new NotFoundException(ErrorCode.ACCOUNT_NOT_FOUND, "event.namespace", "no account " + e.namespace()));
        if (a.status().equals(Codes.code(AccountStatus.CLOSED))) {
            throw new ConflictException(ErrorCode.ACCOUNT_NOT_ACTIVE, "event.namespace", "account " + e.namespace()
                    + " is closed");
        }
        if (e.timestamp().isAfter(now)) {
            throw InvalidRequestException.of("event.timestamp", e.timestamp() + " is in the future (the engine's clock reads "
                    + now + ")");
        }
        // held (row lock) until the unit of work ends: a concurrent close waits, so it never misses this usage
        BillingProfileRecord p = open.computeIfAbsent(e.namespace(), ns -> profiles.storedProfile(s, a));
        if (e.timestamp().isBefore(a.createdAt().truncatedTo(ChronoUnit.SECONDS))) {
            throw InvalidRequestException.of("event.timestamp", e.timestamp() + " is before the account opened ("
                    + a.createdAt().truncatedTo(ChronoUnit.SECONDS) + ")");
        }
        if (e.timestamp().isBefore(p.periodStart())) {
            throw new InvalidRequestException(ErrorCode.PERIOD_CLOSED, "event.timestamp", e.timestamp()
                    + " falls in a closed period (the open period of " + e.namespace() + " starts "
                    + p.periodStart() + ")");
        }
        List<RateRecord> versions = card.versions(e.offeringCode(), e.chargeType());
        if (versions == null) {
            throw new InvalidRequestException(ErrorCode.RATE_NOT_FOUND, "event.offeringCode",
                    "the rate card has no rate for " + e.offeringCode() + "/" + e.chargeType());
        }
        BillingPeriod period = Profiles.periodAt(p, e.timestamp());
        Instant periodStart = period.start();
        RateRecord rate = RateCard.inForce(versions, periodStart, Profiles.zoneOf(p, period))
                .orElseThrow(() -> new InvalidRequestException(ErrorCode.RATE_NOT_FOUND, "event.timestamp", "no rate for "
                        + e.offeringCode() + "/" + e.chargeType() + " is in force for the period starting " + periodStart));
        if (!rate.currency().equals(a.currency())) {
            throw new InvalidRequestException(ErrorCode.CURRENCY_MISMATCH, "event.offeringCode", "the rate for "
                    + e.offeringCode() + "/" + e.chargeType() + " is in " + rate.currency() + ", the account is in "
                    + a.currency());
        }
        // every figure the period sums stays within what the storage holds, or the period could never close
        limits.admitUsage(a, p, period, rate, e.offeringCode(), e.chargeType(), Amounts.plain(e.quantity()),
                "event.quantity");
        pending.add(new UsageRecord(e.namespace(), e.eventId(), e.offeringCode(), e.chargeType(),
                Amounts.plain(e.quantity()), e.timestamp(), now));
        acceptedHere.add(e.eventId());
        return new IngestResult(e.eventId(), IngestStatus.ACCEPTED, null, null, null);
    }
}
