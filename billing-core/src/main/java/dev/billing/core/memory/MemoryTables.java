package dev.billing.core.memory;

import dev.billing.spi.AccountRecord;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.CommitmentRecord;
import dev.billing.spi.CouponRecord;
import dev.billing.spi.EventRecord;
import dev.billing.spi.IdempotencyRecord;
import dev.billing.spi.PaymentRecord;
import dev.billing.spi.PlanRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.RateRecord;
import dev.billing.spi.RegionRecord;
import dev.billing.spi.StatementLineRecord;
import dev.billing.spi.StatementRecord;
import dev.billing.spi.SubscriptionRecord;
import dev.billing.spi.TransactionRecord;
import dev.billing.spi.UsageRecord;
import dev.billing.spi.UsageSum;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything an {@link InMemoryStorage} holds. Read and written only under the storage's lock, by
 * one unit of work at a time; every write goes through {@link MemorySession#put} so that it can be undone.
 */
final class MemoryTables {

    final NavigableMap<String, RegionRecord> regions = new TreeMap<>();
    final NavigableMap<String, PlanRecord> plans = new TreeMap<>();
    /** Every kept version of every plan, by id + U+0000 + version. */
    final Map<String, PlanRecord> planVersions = new HashMap<>();
    final NavigableMap<String, AccountRecord> accounts = new TreeMap<>();
    /** Every transaction with its postings (sorted by ledger account), the one of seq {@code n} at {@code n - 1}. */
    final ArrayList<Booked> ledger = new ArrayList<>();
    final Map<String, Long> transactionSeqById = new HashMap<>();
    final Map<String, SeqList> seqsByNamespace = new HashMap<>();
    final Map<String, String> refundByPurchase = new HashMap<>();
    final Map<String, BigDecimal> postingSums = new HashMap<>();
    /** Each ledger account's name once, for the postings kept: one string per account, not per posting. */
    final Map<String, String> ledgerAccountNames = new HashMap<>();
    final NavigableMap<String, SubscriptionRecord> subscriptions = new TreeMap<>();
    final Map<IdemKey, IdempotencyRecord> idempotency = new HashMap<>();
    final NavigableMap<String, RateRecord> rates = new TreeMap<>();
    final NavigableMap<String, BillingProfileRecord> profiles = new TreeMap<>();
    final NavigableMap<String, UsageRecord> usage = new TreeMap<>();
    /** Namespace to the running usage totals kept for its periods, by period start; replaced, never changed. */
    final Map<String, NavigableMap<Instant, KeptTotals>> usageTotals = new HashMap<>();
    final NavigableMap<String, CommitmentRecord> commitments = new TreeMap<>();
    final Map<String, StatementRecord> statements = new HashMap<>();
    final Map<String, List<StatementLineRecord>> statementLines = new HashMap<>();
    /** Statement id to the ancestors it was recorded under. */
    final Map<String, List<String>> statementAncestors = new HashMap<>();
    /** The outbox: every event by id; the unplaced ones' ids in append order; the placed ones kept, by position. */
    final Map<String, EventRecord> eventsById = new HashMap<>();
    final java.util.ArrayDeque<String> unplacedEvents = new java.util.ArrayDeque<>();
    final ArrayList<EventRecord> placedEvents = new ArrayList<>();
    /** How many of the oldest placed events were deleted: the placed event at position p is at p - 1 - this. */
    long deletedEvents;
    /** Namespace to its placed events, by position. */
    final Map<String, List<EventRecord>> placedEventsByNamespace = new HashMap<>();
    /** Consumer to the position of the last event it handled. */
    final Map<String, Long> eventCursors = new HashMap<>();
    /** Payments through providers, by id; and provider + U+0000 + reference to the id. */
    final Map<String, PaymentRecord> payments = new HashMap<>();
    final Map<String, String> paymentsByProviderRef = new HashMap<>();
    /** Coupons by code. */
    final Map<String, CouponRecord> coupons = new HashMap<>();
    /** Batch id + U+0000 + place of every coupon. */
    final java.util.Set<String> couponPlaces = new java.util.HashSet<>();
    // indexes, kept by the stores that write what they index, so that no call scans a whole table
    /** Parent to its children's namespaces, in order. */
    final Map<String, NavigableSet<String>> childrenByParent = new HashMap<>();
    /** Every billing profile, by period end, then namespace. */
    final NavigableSet<BillingProfileRecord> profilesByPeriodEnd = new TreeSet<>(
            Comparator.comparing(BillingProfileRecord::periodEnd).thenComparing(BillingProfileRecord::namespace));
    /** Namespace to its statements' ids by period start. */
    final Map<String, Map<Instant, String>> statementsByNamespace = new HashMap<>();
    /** Ancestor to the ids of the statements recorded under it, oldest first. */
    final Map<String, List<String>> statementsByAncestor = new HashMap<>();

    /** A transaction as stored, with its postings. */
    record Booked(TransactionRecord transaction, List<PostingRecord> postings) {
    }

    /** The key of an idempotency record (its strings cache their hashes; no key string is built). */
    record IdemKey(String namespace, String key) {
    }

    /** @return the stored transaction of {@code seq}, which exists */
    TransactionRecord transaction(long seq) {
        return ledger.get(Math.toIntExact(seq - 1)).transaction();
    }

    /** The running totals kept for one period. */
    record KeptTotals(Instant end, List<UsageSum> totals) {
    }

    /** @return {@code t} with the refund that names it, if any */
    TransactionRecord withRefund(TransactionRecord t) {
        return t.asStored(t.seq(), refundByPurchase.get(t.id()));
    }

    /** Joins key parts with U+0000, which never appears in a validated part; sorts part by part. */
    static String key(String... parts) {
        return String.join("\u0000", parts);
    }
}
