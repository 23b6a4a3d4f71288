package dev.billing.bench;

import dev.billing.core.DueRun;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Closing the ended billing periods of {@code accounts} accounts (10^4 by default), one invocation at a
 * time ({@link Mode#SingleShotTime}): {@code engine.runDue()} ({@link #engine}) beside the minimal SQL of
 * the same closes as raw JDBC batches with one commit ({@link #rawJdbc}), same durability, same run.
 *
 * <p>Trial setup opens the accounts, each funded with {@link #FUNDING} (so none goes into arrears), on
 * monthly periods from {@link #T0} in UTC: on database targets as the rows a recharge leaves (account,
 * billing profile, transaction, postings) by JDBC batches; in memory by the engine's recharges. Before each
 * invocation, every account gets one usage event (1.5 CSITES/COMPUTE_CYCLE_OVERAGE at 0.12: a 0.18 line) an hour
 * into its open period {@code k}, and the engine's clock ({@link SteppingClock}) moves to that period's end,
 * so the invocation closes all of them again: period {@code k}, a statement with one line, a usage
 * charge with two postings, a debit, the next period opened. {@code runDue} must report one statement per
 * account, and the baseline must close as many.
 *
 * <p>The baseline, in one transaction: one {@code SELECT} of the due profiles left-joined to their usage in
 * the period, summed per (namespace, offering code, charge type); priced in Java; then batches of
 * {@code INSERT INTO statements}, {@code INSERT INTO statement_lines} and {@code INSERT INTO transactions}
 * (kind {@code usage_charge}), two set-based {@code INSERT INTO postings ... SELECT} (wallet and
 * {@code revenue:usage}), {@code UPDATE accounts SET balance = balance - ? WHERE namespace = ? AND
 * balance - ? >= 0} and {@code UPDATE billing_profiles SET period_start = ?, period_end = ? WHERE
 * namespace = ? AND period_start = ?}; commit. The in-memory target has no SQL baseline: its
 * {@code rawJdbc} fails with a message.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RunDueBenchmark {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final BigDecimal FUNDING = new BigDecimal("1000000.00");
    private static final int BATCH = 2_000;

    /** A clock that stands still where setup puts it. Thread-safe. */
    static final class SteppingClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(T0);

        void set(Instant t) {
            now.set(t);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the engine reads the zone once");
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    /** The target and its funded accounts, for the whole trial. */
    @State(Scope.Benchmark)
    public static class Setting {
        @Param({"memory", "h2-default", "h2-process-crash"})
        public String target;

        @Param({"10000"})
        public int accounts;

        final SteppingClock clock = new SteppingClock();
        Target t;
        List<String> namespaces;
        /** The period the next invocation closes. */
        int period;

        @Setup(Level.Trial)
        public void open() throws Exception {
            t = Target.open(target, clock);
            Fixtures.defineRates(t.engine);
            namespaces = Bulk.names("due-", accounts);
        }

        @TearDown(Level.Trial)
        public void close() {
            t.close();
        }

        static Instant start(int k) {
            return T0.atZone(ZoneOffset.UTC).plusMonths(k).toInstant();
        }
    }

    /** The engine's funded accounts; before each invocation, usage in their open period and the clock at its end. */
    @State(Scope.Benchmark)
    public static class EngineDue {
        @Setup(Level.Trial)
        public void open(Setting s) throws SQLException {
            Bulk.fundedAccounts(s.t, s.namespaces, 1, FUNDING, T0);
        }

        @Setup(Level.Invocation)
        public void due(Setting s) throws SQLException {
            Instant at = Setting.start(s.period).plus(1, ChronoUnit.HOURS);
            s.clock.set(at);
            Bulk.usage(s.t, s.namespaces, 1, "p" + s.period + "-", at);
            s.clock.set(Setting.start(++s.period));
        }
    }

    /** The baseline's funded accounts, and before each invocation, usage in their open period. */
    @State(Scope.Benchmark)
    public static class RawDue {
        Raw raw;
        Instant now;

        @Setup(Level.Trial)
        public void open(Setting s) throws SQLException {
            Bulk.fundedAccounts(s.t.requireBaseline(), s.namespaces, 1, FUNDING, T0);
            raw = Raw.open(s.t.baseline);
        }

        @Setup(Level.Invocation)
        public void due(Setting s) throws SQLException {
            Instant at = Setting.start(s.period).plus(1, ChronoUnit.HOURS);
            Bulk.usage(s.t.baseline, s.namespaces, 1, "p" + s.period + "-", at);
            now = Setting.start(++s.period);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            raw.close();
        }
    }

    @Benchmark
    public DueRun engine(Setting s, EngineDue due) {
        DueRun run = s.t.engine.runDue();
        if (run.statements() != s.accounts || !run.failures().isEmpty()) {
            throw new IllegalStateException("runDue closed " + run.statements() + " of " + s.accounts + " periods: " + run);
        }
        return run;
    }

    /** A due period and its usage, summed per (offering code, charge type). */
    private record Due(String namespace, Instant start, Instant end, List<Sum> sums) {
    }

    private record Sum(String offeringCode, String chargeType, BigDecimal quantity) {
    }

    @Benchmark
    public int rawJdbc(Setting s, RawDue due) throws SQLException {
        Raw r = due.raw;
        Map<String, Due> periods = new LinkedHashMap<>();
        try (PreparedStatement q = r.c.prepareStatement("SELECT p.namespace, p.period_start, p.period_end,"
                + " u.offering_code, u.charge_type, SUM(u.quantity) FROM billing_profiles p"
                + " LEFT JOIN usage_events u ON u.namespace = p.namespace AND u.occurred_at >= p.period_start"
                + " AND u.occurred_at < p.period_end WHERE p.period_end <= ?"
                + " GROUP BY p.namespace, p.period_start, p.period_end, u.offering_code, u.charge_type"
                + " ORDER BY p.namespace, u.offering_code, u.charge_type")) {
            r.bind(q, 1, due.now);
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    Due d = periods.get(rs.getString(1));
                    if (d == null) {
                        d = new Due(rs.getString(1), r.instant(rs, 2), r.instant(rs, 3), new ArrayList<>());
                        periods.put(d.namespace(), d);
                    }
                    if (rs.getString(4) != null) {
                        d.sums().add(new Sum(rs.getString(4), rs.getString(5), rs.getBigDecimal(6)));
                    }
                }
            }
        }
        if (periods.size() != s.accounts) {
            throw new IllegalStateException(periods.size() + " of " + s.accounts + " periods are due");
        }
        String prefix = "p" + s.period + "-";
        try (PreparedStatement st = r.c.prepareStatement("INSERT INTO statements (id, namespace, period_start, period_end,"
                + " currency, charge_sub_total, discount_total, charge_total, charge_hierarchy_total, total, transaction_id,"
                + " created_at) VALUES (?, ?, ?, ?, 'CNY', ?, 0, ?, 0, ?, ?, ?)");
                PreparedStatement line = r.c.prepareStatement("INSERT INTO statement_lines (statement_id, line_no,"
                        + " offering_code, charge_type, category, quantity, unit_of_measure, rate, amount)"
                        + " VALUES (?, ?, ?, ?, 'charge', ?, ?, ?, ?)");
                PreparedStatement tx = r.c.prepareStatement("INSERT INTO transactions (id, namespace, kind, amount,"
                        + " currency, description, payment_method, balance_after, created_at)"
                        + " VALUES (?, ?, 'usage_charge', ?, 'CNY', ?, 'balance', 0, ?)");
                PreparedStatement debit = r.c.prepareStatement("UPDATE accounts SET balance = balance - ?"
                        + " WHERE namespace = ? AND balance - ? >= 0");
                PreparedStatement next = r.c.prepareStatement("UPDATE billing_profiles SET period_start = ?,"
                        + " period_end = ? WHERE namespace = ? AND period_start = ?")) {
            int n = 0;
            for (Due d : periods.values()) {
                String statementId = prefix + "st-" + d.namespace();
                String txId = prefix + "tx-" + d.namespace();
                BigDecimal charge = BigDecimal.ZERO.setScale(2);
                for (int i = 0; i < d.sums().size(); i++) {
                    Sum sum = d.sums().get(i);
                    Fixtures.Line rate = Fixtures.rate(sum.offeringCode(), sum.chargeType());
                    BigDecimal amount = Fixtures.price(rate.offeringCode(), rate.chargeType(), sum.quantity());
                    charge = charge.add(amount);
                    line.setString(1, statementId);
                    line.setInt(2, i);
                    line.setString(3, rate.offeringCode());
                    line.setString(4, rate.chargeType());
                    line.setBigDecimal(5, sum.quantity());
                    line.setString(6, rate.unitOfMeasure());
                    line.setBigDecimal(7, rate.unitRate());
                    line.setBigDecimal(8, amount);
                    line.addBatch();
                }
                boolean charged = charge.signum() > 0;
                st.setString(1, statementId);
                st.setString(2, d.namespace());
                r.bind(st, 3, d.start());
                r.bind(st, 4, d.end());
                st.setBigDecimal(5, charge);
                st.setBigDecimal(6, charge);
                st.setBigDecimal(7, charge);
                if (charged) {
                    st.setString(8, txId);
                } else {
                    st.setNull(8, Types.VARCHAR);
                }
                r.bind(st, 9, due.now);
                st.addBatch();
                if (charged) {
                    tx.setString(1, txId);
                    tx.setString(2, d.namespace());
                    tx.setBigDecimal(3, charge);
                    tx.setString(4, "Usage charges " + d.start() + " to " + d.end());
                    r.bind(tx, 5, due.now);
                    tx.addBatch();
                    debit.setBigDecimal(1, charge);
                    debit.setString(2, d.namespace());
                    debit.setBigDecimal(3, charge);
                    debit.addBatch();
                }
                r.bind(next, 1, d.end());
                r.bind(next, 2, d.end().atZone(ZoneOffset.UTC).plusMonths(1).toInstant());
                next.setString(3, d.namespace());
                r.bind(next, 4, d.start());
                next.addBatch();
                if (++n % BATCH == 0) {
                    flush(st, line, tx, debit, next);
                }
            }
            flush(st, line, tx, debit, next);
        }
        String posting = "INSERT INTO postings (transaction_seq, transaction_id, ledger_account, amount, currency)"
                + " SELECT seq, id, ";
        try (PreparedStatement wallet = r.c.prepareStatement(posting + "CONCAT('wallet:', namespace), 0 - amount, currency"
                + " FROM transactions WHERE id LIKE ?");
                PreparedStatement revenue = r.c.prepareStatement(posting + "'revenue:usage', amount, currency"
                        + " FROM transactions WHERE id LIKE ?")) {
            for (PreparedStatement p : List.of(wallet, revenue)) {
                p.setString(1, prefix + "tx-%");
                p.executeUpdate();
            }
        }
        r.c.commit();
        return periods.size();
    }

    /** Executes the batches in the order of their foreign keys; a debit or period move that matched no row fails. */
    private static void flush(PreparedStatement statements, PreparedStatement lines, PreparedStatement transactions,
            PreparedStatement debits, PreparedStatement periods) throws SQLException {
        statements.executeBatch();
        lines.executeBatch();
        transactions.executeBatch();
        for (PreparedStatement p : List.of(debits, periods)) {
            for (int n : p.executeBatch()) {
                if (n == 0) {
                    throw new IllegalStateException("a balance ran dry or a period moved meanwhile");
                }
            }
        }
    }
}
