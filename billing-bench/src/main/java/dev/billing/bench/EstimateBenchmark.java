package dev.billing.bench;

import dev.billing.core.accounts.BillingPeriod;
import dev.billing.core.charges.EstimatedCharges;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Estimated charges of an account holding {@code rows} usage events in its current period:
 * {@code charges().estimatedCharges(namespace)} ({@link #engine}: the account, its profile, the rate
 * card, one {@code GROUP BY} sum of its usage, its commitments and hierarchy, priced into four lines)
 * beside the plain aggregation the estimate needs on the baseline database's same rows
 * ({@link #rawJdbc}: {@code SELECT offering_code, charge_type, SUM(quantity), COUNT(*) FROM usage_events
 * WHERE namespace = ? AND occurred_at >= ? AND occurred_at < ? GROUP BY offering_code, charge_type ORDER
 * BY offering_code, charge_type}, each sum priced at its flat rate in Java), same run.
 *
 * <p>Loading, in trial setup: on database targets the rows go in by plain JDBC batches of 2,000
 * (commits every 50,000) into the engine's database for {@code engine}, the baseline's for {@code rawJdbc},
 * as the storage writes them (faster than ingestion, which checks every event, at 10^6); in memory
 * through {@code ingestBatch} in batches of 10,000. All events are stamped with one instant in the open
 * period, spread evenly over the four rates of {@link Fixtures#RATES}. Setup then checks that the
 * engine's subtotal is the expected one. The fork runs with {@code -Xmx4g}, in which the 10^6 case fits
 * on the in-memory target too; that target has no SQL baseline: its {@code rawJdbc} fails with a message.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = "-Xmx4g")
public class EstimateBenchmark {

    static final String NAMESPACE = "est";
    private static final String SUM = "SELECT offering_code, charge_type, SUM(quantity), COUNT(*) FROM usage_events"
            + " WHERE namespace = ? AND occurred_at >= ? AND occurred_at < ?"
            + " GROUP BY offering_code, charge_type ORDER BY offering_code, charge_type";

    /** The target and its loaded account, for the whole trial. */
    @State(Scope.Benchmark)
    public static class Setting {
        @Param({"memory", "h2-default", "h2-process-crash"})
        public String target;

        @Param({"1000", "100000", "1000000"})
        public int rows;

        Target t;
        BillingPeriod period;
        /** When the events happened. */
        Instant at;

        @Setup(Level.Trial)
        public void open() throws Exception {
            t = Target.open(target);
            Fixtures.defineRates(t.engine);
            t.engine.accounts().openAccount(NAMESPACE, Fixtures.CNY, "open-" + NAMESPACE);
            period = t.engine.accounts().billingProfile(NAMESPACE).openPeriod();
            at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        }

        @TearDown(Level.Trial)
        public void close() {
            t.close();
        }
    }

    /** The events on the engine's side, loaded and checked for the trial of {@link #engine}. */
    @State(Scope.Benchmark)
    public static class EngineRows {
        @Setup(Level.Trial)
        public void load(Setting s) throws SQLException {
            int rows = s.rows;
            Bulk.usage(s.t, List.of(NAMESPACE), rows, "e-", s.at);
            EstimatedCharges e = s.t.engine.charges().estimatedCharges(NAMESPACE);
            BigDecimal got = e.totals().chargeSubTotal().getNumber().numberValueExact(BigDecimal.class);
            if (e.lines().size() != Fixtures.RATES.size() || got.compareTo(expected(rows)) != 0) {
                throw new IllegalStateException("the estimate of " + rows + " events is " + got + " in " + e.lines().size()
                        + " lines, expected " + expected(rows));
            }
        }
    }

    /** The same events on the baseline's side, loaded for the trial of {@link #rawJdbc}. */
    @State(Scope.Benchmark)
    public static class BaselineRows {
        @Setup(Level.Trial)
        public void load(Setting s) throws SQLException {
            Bulk.usage(s.t.requireBaseline(), List.of(NAMESPACE), s.rows, "e-", s.at);
        }
    }

    /** The subtotal of {@code rows} events: event {@code i} is of rate {@code i mod 4}. */
    static BigDecimal expected(int rows) {
        BigDecimal total = BigDecimal.ZERO;
        for (int k = 0; k < Fixtures.RATES.size(); k++) {
            Fixtures.Line l = Fixtures.RATES.get(k);
            long n = rows / Fixtures.RATES.size() + (k < rows % Fixtures.RATES.size() ? 1 : 0);
            BigDecimal quantity = Fixtures.QUANTITY.multiply(BigDecimal.valueOf(n));
            total = total.add(Fixtures.price(l.offeringCode(), l.chargeType(), quantity));
        }
        return total;
    }

    /** One thread's connection to the baseline database. */
    @State(Scope.Thread)
    public static class Baseline {
        Raw raw;

        @Setup(Level.Trial)
        public void open(Setting s, BaselineRows loaded) throws SQLException {
            raw = Raw.open(s.t.baseline);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            raw.close();
        }
    }

    @Benchmark
    public EstimatedCharges engine(Setting s, EngineRows loaded) {
        return s.t.engine.charges().estimatedCharges(NAMESPACE);
    }

    @Benchmark
    public BigDecimal rawJdbc(Setting s, Baseline b) throws SQLException {
        BigDecimal total = BigDecimal.ZERO;
        try (PreparedStatement p = b.raw.c.prepareStatement(SUM)) {
            p.setString(1, NAMESPACE);
            b.raw.bind(p, 2, s.period.start());
            b.raw.bind(p, 3, s.period.end());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    total = total.add(Fixtures.price(rs.getString(1), rs.getString(2), rs.getBigDecimal(3)));
                }
            }
        }
        b.raw.c.commit();
        return total;
    }
}
