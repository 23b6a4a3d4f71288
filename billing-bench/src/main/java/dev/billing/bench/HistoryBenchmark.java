package dev.billing.bench;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.javamoney.moneta.Money;
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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Recharges per second on a ledger that already holds {@code history} postings, beside the same on an
 * empty one ({@code history=0}), same target, same run: the engine's {@code wallet().recharge}
 * ({@link #engine}) and the raw-JDBC recharge of {@link RechargeBenchmark} ({@link #rawJdbc}: the
 * transaction, its two postings, the conditional balance update, commit), each thread on its own
 * wallet. Threads: JMH's {@code -t}.
 *
 * <p>The history is {@value #OLD_ACCOUNTS} other accounts, each with {@code history / 2000} old recharges
 * of 1.25 CNY (a transaction, a wallet posting and the matching {@code funding:recharge} posting; its
 * balance is their sum, so the ledger balances). On database targets it is loaded in trial setup by raw
 * JDBC batches into the engine's database for {@code engine}, the baseline's for {@code rawJdbc}
 * (transactions in batches of 2,000, their postings set-based by {@code INSERT ... SELECT}); in memory
 * through the engine's recharges (10^6 postings: 500,000 calls). The fork runs with {@code -Xmx4g}. The
 * in-memory target has no SQL baseline: its {@code rawJdbc} fails with a message.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(jvmArgsAppend = "-Xmx4g")
public class HistoryBenchmark {

    static final int OLD_ACCOUNTS = 1000;
    private static final BigDecimal AMOUNT = new BigDecimal("1.25");
    private static final Money MONEY = Money.of(AMOUNT, "CNY");

    /** The target and its history, for the whole trial. */
    @State(Scope.Benchmark)
    public static class Setting {
        @Param({"memory", "h2-default", "h2-process-crash"})
        public String target;

        @Param({"0", "1000000"})
        public int history;

        Target t;
        final AtomicLong keys = new AtomicLong();
        final String run = UUID.randomUUID().toString().substring(0, 8);
        /** When the old recharges were made. */
        final Instant opened = Instant.now().minus(1, ChronoUnit.DAYS);

        @Setup(Level.Trial)
        public void open() throws Exception {
            if (history % (2 * OLD_ACCOUNTS) != 0) {
                throw new IllegalArgumentException("history must be a multiple of " + 2 * OLD_ACCOUNTS);
            }
            t = Target.open(target);
        }

        @TearDown(Level.Trial)
        public void close() {
            t.close();
        }

        String key() {
            return run + "-" + keys.incrementAndGet();
        }

        int recharges() {
            return history / (2 * OLD_ACCOUNTS);
        }
    }

    /** The history on the engine's side, loaded for the trial of {@link #engine}. */
    @State(Scope.Benchmark)
    public static class EngineHistory {
        @Setup(Level.Trial)
        public void load(Setting s) throws SQLException {
            if (s.history > 0) {
                Bulk.fundedAccounts(s.t, Bulk.names("old-", OLD_ACCOUNTS), s.recharges(), AMOUNT, s.opened);
            }
        }
    }

    /** The history on the baseline's side, loaded for the trial of {@link #rawJdbc}. */
    @State(Scope.Benchmark)
    public static class RawHistory {
        @Setup(Level.Trial)
        public void load(Setting s) throws SQLException {
            if (s.history > 0) {
                Bulk.fundedAccounts(s.t.requireBaseline(), Bulk.names("old-", OLD_ACCOUNTS), s.recharges(), AMOUNT,
                        s.opened);
            }
        }
    }

    /** One thread's wallet on the engine. */
    @State(Scope.Thread)
    public static class EngineWallet {
        String namespace;

        @Setup(Level.Trial)
        public void open(Setting s, EngineHistory loaded, ThreadParams thread) {
            namespace = "w-" + thread.getThreadIndex();
            s.t.engine.wallet().recharge(namespace, MONEY, "open-" + s.key());
        }
    }

    /** One thread's wallet and connection on the baseline database. */
    @State(Scope.Thread)
    public static class RawWallet {
        String namespace;
        Raw raw;

        @Setup(Level.Trial)
        public void open(Setting s, RawHistory loaded, ThreadParams thread) throws SQLException {
            namespace = "w-" + thread.getThreadIndex();
            raw = Raw.open(s.t.baseline);
            raw.openAccount(namespace, BigDecimal.ZERO);
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            raw.close();
        }
    }

    @Benchmark
    public Object engine(Setting s, EngineWallet w) {
        return s.t.engine.wallet().recharge(w.namespace, MONEY, "k-" + s.key());
    }

    @Benchmark
    public long rawJdbc(Setting s, RawWallet w) throws SQLException {
        return w.raw.recharge(w.namespace, "t-" + s.key(), AMOUNT);
    }
}
