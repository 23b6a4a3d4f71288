package dev.billing.spi;

import java.util.List;

/**
 * Everything a storage holds, each list in its documented order, for tests ({@link SnapshotSource}): it
 * loads every row. Immutable, thread-safe.
 *
 * @param regions by id
 * @param plans by id
 * @param accounts by namespace
 * @param transactions by seq
 * @param postings by transaction seq, then ledger account
 * @param subscriptions by id
 * @param idempotency by namespace, then key
 * @param rates by offering code, charge type, then effective date
 * @param billingProfiles by namespace
 * @param usage by namespace, then event id
 * @param commitments by namespace, then id
 * @param statements by namespace, then period start
 * @param statementLines by statement id, then line number
 * @param statementAncestors by statement id, then ancestor
 * @param usageTotals the running usage totals kept, by namespace, period start, offering code, then charge type
 * @param events the outbox, placed events by position, then unplaced ones by id
 * @param eventCursors consumers' cursors, by consumer
 * @param payments payments through providers, by id
 * @param coupons coupons, by code
 * @param planVersions every kept version of every plan, by id, then version
 */
public record StorageSnapshot(
        List<RegionRecord> regions,
        List<PlanRecord> plans,
        List<AccountRecord> accounts,
        List<TransactionRecord> transactions,
        List<PostingRecord> postings,
        List<SubscriptionRecord> subscriptions,
        List<IdempotencyRecord> idempotency,
        List<RateRecord> rates,
        List<BillingProfileRecord> billingProfiles,
        List<UsageRecord> usage,
        List<CommitmentRecord> commitments,
        List<StatementRecord> statements,
        List<StatementLineRecord> statementLines,
        List<StatementAncestor> statementAncestors,
        List<UsageTotal> usageTotals,
        List<EventRecord> events,
        List<EventCursor> eventCursors,
        List<PaymentRecord> payments,
        List<CouponRecord> coupons,
        List<PlanRecord> planVersions) {

    /**
     * A consumer's cursor in the outbox ({@link EventStore#moveCursor}).
     *
     * @param consumer the consumer's name
     * @param position the position of the last event it handled
     */
    public record EventCursor(String consumer, long position) {
        /** The order snapshots list them in. */
        public static final java.util.Comparator<EventCursor> ORDER = java.util.Comparator.comparing(EventCursor::consumer);
    }

    /** The order snapshots list events in: placed ones by position, then unplaced ones by id. */
    public static final java.util.Comparator<EventRecord> EVENT_ORDER = java.util.Comparator
            .comparing((EventRecord e) -> e.position() == 0)
            .thenComparingLong(EventRecord::position)
            .thenComparing(EventRecord::id);

    /**
     * One line of the running usage totals a storage keeps for a period ({@link
     * dev.billing.spi.UsageStore#putUsageTotals}).
     *
     * @param namespace the account
     * @param periodStart the period's start
     * @param periodEnd the period's end
     * @param total the line's quantity and event count
     */
    public record UsageTotal(String namespace, java.time.Instant periodStart, java.time.Instant periodEnd,
            dev.billing.spi.UsageSum total) {
        /** The order snapshots list them in. */
        public static final java.util.Comparator<UsageTotal> ORDER = java.util.Comparator
                .comparing(UsageTotal::namespace).thenComparing(UsageTotal::periodStart)
                .thenComparing(t -> t.total().offeringCode()).thenComparing(t -> t.total().chargeType());
    }

    /**
     * A statement recorded under one of its account's ancestors (the hierarchy totals count it).
     *
     * @param statementId the statement
     * @param ancestor the ancestor's namespace
     */
    public record StatementAncestor(String statementId, String ancestor) {
        /** The order snapshots list them in. */
        public static final java.util.Comparator<StatementAncestor> ORDER = java.util.Comparator
                .comparing(StatementAncestor::statementId).thenComparing(StatementAncestor::ancestor);
    }

    /** Copies every list. */
    public StorageSnapshot {
        regions = List.copyOf(regions);
        plans = List.copyOf(plans);
        statementAncestors = statementAncestors.stream().sorted(StatementAncestor.ORDER).toList();
        usageTotals = usageTotals.stream().sorted(UsageTotal.ORDER).toList();
        accounts = List.copyOf(accounts);
        transactions = List.copyOf(transactions);
        postings = List.copyOf(postings);
        subscriptions = List.copyOf(subscriptions);
        idempotency = List.copyOf(idempotency);
        rates = List.copyOf(rates);
        billingProfiles = List.copyOf(billingProfiles);
        usage = List.copyOf(usage);
        commitments = List.copyOf(commitments);
        statements = List.copyOf(statements);
        statementLines = List.copyOf(statementLines);
        events = events.stream().sorted(EVENT_ORDER).toList();
        eventCursors = eventCursors.stream().sorted(EventCursor.ORDER).toList();
        payments = payments.stream().sorted(java.util.Comparator.comparing(PaymentRecord::id)).toList();
        coupons = coupons.stream().sorted(java.util.Comparator.comparing(CouponRecord::code)).toList();
        planVersions = planVersions.stream().sorted(java.util.Comparator.comparing(PlanRecord::id)
                .thenComparingInt(PlanRecord::version)).toList();
    }

    /**
     * @param storage a storage under test that implements {@link SnapshotSource}
     * @return everything it holds
     * @throws IllegalArgumentException when it does not implement {@link SnapshotSource}
     */
    public static StorageSnapshot of(BillingStorage storage) {
        if (storage instanceof SnapshotSource source) {
            return source.snapshot();
        }
        throw new IllegalArgumentException(storage.describe() + " does not implement SnapshotSource: wrap the storage "
                + "under test in one that shows its state (see SnapshotSource)");
    }
}
