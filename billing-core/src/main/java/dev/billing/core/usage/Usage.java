package dev.billing.core.usage;

import dev.billing.core.BillingEngine;
import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.internal.EngineContext;
import dev.billing.core.internal.Profiles;
import dev.billing.core.internal.UnitOfWork;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Metered usage: ingesting the events a host reports, each counted once by its event id. Reached
 * through {@link BillingEngine#usage()}; the charges area ({@link dev.billing.core.charges.Charges})
 * rates what was ingested.
 *
 * <p>A unit of work's first attempt stores the events without looking up which are stored already and
 * lets the store's uniqueness find a resent one (its attempts after the first, which follow a duplicate
 * key or a transient failure, look up first); either way the results are the same. A batch of fresh events,
 * the usual one, costs no look-up; a resent batch costs a failed first attempt.
 *
 * <p>Thread-safe.
 */
public final class Usage {

    /** The largest batch of {@link #ingestBatch(List)}. */
    public static final int MAX_BATCH = 10_000;

    private final UnitOfWork work;
    private final Clock clock;
    private final Profiles profiles;
    private final RoundingMode rounding;

    /**
     * Made by the engine; hosts reach it through {@link BillingEngine#usage()}.
     *
     * @param context the engine's internals (not API)
     */
    public Usage(EngineContext context) {
        this.work = context.work();
        this.clock = context.clock();
        this.profiles = context.profiles();
        this.rounding = context.rounding();
    }

    /**
     * Ingests one usage event.
     *
     * @param event the event
     * @return {@link IngestStatus#ACCEPTED}, or {@link IngestStatus#DUPLICATE} when its event id was
     *     ingested before (then nothing changed)
     * @throws InvalidRequestException when a field is malformed, the timestamp is in the future or in a
     *     closed period ({@link ErrorCode#PERIOD_CLOSED}), or no rate prices it ({@link ErrorCode#RATE_NOT_FOUND})
     * @throws NotFoundException when no account has the event's namespace
     * @throws ConflictException when the account is closed
     */
    public IngestResult ingest(UsageEvent event) {
        Ingestion.checkShape(event);
        int[] attempts = {0};
        return work.transact(s -> new Ingestion(s, clock.instant(), profiles, rounding, ++attempts[0] > 1).ingest(event));
    }

    /**
     * Ingests a batch of usage events in one unit of work. Each event is accepted, a duplicate (its
     * event id was ingested before in its namespace, or accepted earlier in the batch: ignored), or rejected with
     * a reason naming the field; a rejected event does not keep the others out.
     *
     * @param events at most {@value #MAX_BATCH} events; may contain malformed ones
     * @return one result per event, in order
     * @throws InvalidRequestException when the batch is null or too large
     */
    public List<IngestResult> ingestBatch(List<UsageEvent> events) {
        if (events == null) {
            throw InvalidRequestException.of("events", "is required");
        }
        if (events.size() > MAX_BATCH) {
            throw InvalidRequestException.of("events", "at most " + MAX_BATCH + " per batch, was " + events.size());
        }
        IngestResult[] shaped = new IngestResult[events.size()];
        List<UsageEvent> valid = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            UsageEvent e = events.get(i);
            try {
                Ingestion.checkShape(e);
                valid.add(e);
            } catch (InvalidRequestException x) {
                shaped[i] = Ingestion.rejected(e, x);
                valid.add(null);
            }
        }
        int[] attempts = {0};
        return work.transact(s -> {
            IngestResult[] results = shaped.clone();
            new Ingestion(s, clock.instant(), profiles, rounding, ++attempts[0] > 1).ingestAll(valid, results);
            return List.of(results);
        });
    }
}
