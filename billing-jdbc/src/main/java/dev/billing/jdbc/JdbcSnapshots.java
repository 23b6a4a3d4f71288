package dev.billing.jdbc;

import static dev.billing.jdbc.JdbiSession.instant;
import static dev.billing.jdbc.JdbiSession.sorted;

import dev.billing.spi.AccountRecord;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.CommitmentRecord;
import dev.billing.spi.EventRecord;
import dev.billing.spi.IdempotencyRecord;
import dev.billing.spi.PlanRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.RateRecord;
import dev.billing.spi.RegionRecord;
import dev.billing.spi.StatementLineRecord;
import dev.billing.spi.StatementRecord;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.SubscriptionRecord;
import dev.billing.spi.TransactionRecord;
import dev.billing.spi.UsageRecord;
import java.util.Comparator;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What {@link JdbiStorage#snapshot()} answers: everything the storage holds, read straight from its tables
 * in one unit of work, each list in its documented order. Loads every row.
 */
final class JdbcSnapshots {

    /** Every table the snapshot reads ({@code rate_tiers} with the rates). */
    static final java.util.Set<String> TABLES_READ = java.util.Set.of("regions", "plans", "accounts", "transactions",
            "postings", "subscriptions", "idempotency_keys", "rates", "rate_tiers", "billing_profiles", "usage_events",
            "commitments", "statements", "statement_lines", "statement_ancestors", "usage_totals", "events", "event_cursors",
            "payments", "coupons", "plan_versions");
    /**
     * The tables it leaves out, on purpose: the migrator's bookkeeping, the HTTP handler's remembered
     * answers ({@code JdbiResponseStore}), which are not the engine's storage (the handler's tests compare
     * them), and the outbox's sequencer, whose one row is the last place given (the events show it).
     */
    static final java.util.Set<String> TABLES_LEFT_OUT = java.util.Set.of("billing_schema_version",
            "billing_schema_lock", "http_responses", "event_sequencer");

    private JdbcSnapshots() {
    }

    /**
     * @param storage the storage
     * @return everything it holds, read in one unit of work (a failed statement is classified and
     *     thrown as any of the storage's failures)
     * @throws dev.billing.spi.StorageException when the storage is closed or a statement fails
     */
    static StorageSnapshot of(JdbiStorage storage) {
        return storage.inTransaction(s -> {
            JdbiSession session = (JdbiSession) s;
            return session.read("snapshot", () -> read(session.handle()));
        });
    }

    private static StorageSnapshot read(Handle handle) {
        List<RegionRecord> regions = sorted(handle.createQuery("SELECT " + JdbiCatalogStore.REGION_COLUMNS
                        + " FROM regions")
                .map(JdbiCatalogStore::region).list(), Comparator.comparing(RegionRecord::id));
        List<PlanRecord> plans = sorted(handle.createQuery("SELECT " + JdbiCatalogStore.PLAN_COLUMNS + " FROM plans")
                .map(JdbiCatalogStore::plan).list(), Comparator.comparing(PlanRecord::id));
        List<AccountRecord> accounts = sorted(handle.createQuery("SELECT " + JdbiAccountStore.ACCOUNT_COLUMNS
                        + " FROM accounts")
                .map(JdbiAccountStore::account).list(), Comparator.comparing(AccountRecord::namespace));
        List<TransactionRecord> transactions = handle.createQuery(JdbiLedgerStore.TRANSACTION_SELECT + "ORDER BY t.seq")
                .map(JdbiLedgerStore::transaction).list();
        List<SeqPosting> postings = sorted(handle.createQuery("""
                        SELECT transaction_seq, seq, transaction_id, ledger_account, amount, currency
                        FROM postings ORDER BY transaction_seq, seq""")
                .map((rs, ctx) -> new SeqPosting(rs.getLong(1), rs.getLong(2), new PostingRecord(
                        rs.getString(3), rs.getString(4), rs.getBigDecimal(5), rs.getString(6))))
                .list(), SeqPosting.ORDER);
        List<SubscriptionRecord> subscriptions = sorted(handle.createQuery(
                        "SELECT " + JdbiSubscriptionStore.SUBSCRIPTION_COLUMNS + " FROM subscriptions")
                .map(JdbiSubscriptionStore::subscription).list(), Comparator.comparing(SubscriptionRecord::id));
        List<IdempotencyRecord> idempotency = sorted(handle.createQuery(
                        "SELECT " + JdbiIdempotencyStore.IDEMPOTENCY_COLUMNS + " FROM idempotency_keys")
                .map(JdbiIdempotencyStore::idempotency).list(),
                Comparator.comparing(IdempotencyRecord::namespace).thenComparing(IdempotencyRecord::key));
        List<RateRecord> rates = JdbiRatingStore.rates(handle, null, null);
        List<BillingProfileRecord> profiles = sorted(handle.createQuery(
                        "SELECT " + JdbiProfileStore.PROFILE_COLUMNS + " FROM billing_profiles")
                .map(JdbiProfileStore::profile).list(), Comparator.comparing(BillingProfileRecord::namespace));
        List<UsageRecord> usage = sorted(handle.createQuery("SELECT " + JdbiUsageStore.USAGE_COLUMNS
                        + " FROM usage_events")
                .map(JdbiUsageStore::usage).list(),
                Comparator.comparing(UsageRecord::namespace).thenComparing(UsageRecord::eventId));
        List<CommitmentRecord> commitments = sorted(handle.createQuery(
                        "SELECT " + JdbiRatingStore.COMMITMENT_COLUMNS + " FROM commitments")
                .map(JdbiRatingStore::commitment).list(),
                Comparator.comparing(CommitmentRecord::namespace).thenComparing(CommitmentRecord::id));
        List<StatementRecord> statements = sorted(handle.createQuery(
                        "SELECT " + JdbiStatementStore.STATEMENT_COLUMNS + " FROM statements")
                .map(JdbiStatementStore::statement).list(),
                Comparator.comparing(StatementRecord::namespace).thenComparing(StatementRecord::periodStart));
        List<StatementLineRecord> statementLines = sorted(handle.createQuery(
                        "SELECT " + JdbiStatementStore.STATEMENT_LINE_COLUMNS + " FROM statement_lines")
                .map(JdbiStatementStore::statementLine).list(),
                Comparator.comparing(StatementLineRecord::statementId).thenComparingInt(StatementLineRecord::lineNo));
        List<StorageSnapshot.StatementAncestor> ancestors = handle.createQuery(
                        "SELECT statement_id, ancestor FROM statement_ancestors")
                .map((rs, ctx) -> new StorageSnapshot.StatementAncestor(rs.getString(1), rs.getString(2))).list();
        List<StorageSnapshot.UsageTotal> totals = handle.createQuery("SELECT " + JdbiUsageStore.TOTAL_COLUMNS
                        + " FROM usage_totals")
                .map((rs, ctx) -> new StorageSnapshot.UsageTotal(rs.getString("namespace"),
                        instant(rs, ctx, "period_start"), instant(rs, ctx, "period_end"), JdbiUsageStore.total(rs)))
                .list();
        List<EventRecord> events = handle.createQuery("SELECT " + JdbiEventStore.EVENT_COLUMNS + " FROM events")
                .map(JdbiEventStore::event).list();
        List<StorageSnapshot.EventCursor> cursors = handle.createQuery("SELECT consumer, pos FROM event_cursors")
                .map((rs, ctx) -> new StorageSnapshot.EventCursor(rs.getString(1), rs.getLong(2))).list();
        return new StorageSnapshot(regions, plans, accounts, transactions,
                postings.stream().map(SeqPosting::posting).toList(), subscriptions, idempotency, rates, profiles,
                usage, commitments, statements, statementLines, ancestors, totals, events, cursors,
                handle.createQuery("SELECT " + JdbiPaymentStore.PAYMENT_COLUMNS + " FROM payments")
                        .map(JdbiPaymentStore::payment).list(),
                handle.createQuery("SELECT " + JdbiCouponStore.COUPON_COLUMNS + " FROM coupons")
                        .map(JdbiCouponStore::coupon).list(),
                handle.createQuery("SELECT " + JdbiCatalogStore.PLAN_COLUMNS + " FROM plan_versions")
                        .map(JdbiCatalogStore::plan).list());
    }

    /** A posting with the sequences that order it. */
    private record SeqPosting(long transactionSeq, long seq, PostingRecord posting) {
        static final Comparator<SeqPosting> ORDER = Comparator.comparingLong(SeqPosting::transactionSeq)
                .thenComparing(p -> p.posting().ledgerAccount())
                .thenComparingLong(SeqPosting::seq);
    }
}
