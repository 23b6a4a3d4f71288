package dev.billing.bench;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.javamoney.moneta.Money;
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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Recharges per second through the engine ({@link #engine}) and through raw JDBC doing the minimal SQL
 * of a recharge ({@link #rawJdbc}: insert the transaction, its two postings, the conditional balance
 * update, commit), on the same kind of database with the same durability, in the same run; and the
 * engine's own statements as raw JDBC ({@link #engineStatements}). Wallets:
 * {@code many} (each thread its own) or {@code one} (every thread on one hot wallet). Threads: JMH's
 * {@code -t}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RechargeBenchmark {

    private static final Money AMOUNT = Money.of(new BigDecimal("1.25"), "CNY");

    /** The target and its wallets, for the whole trial. */
    @State(Scope.Benchmark)
    public static class Setting {
        @Param({"memory", "h2-default", "h2-process-crash"})
        public String target;

        @Param({"many", "one"})
        public String wallets;

        Target t;
        final AtomicLong keys = new AtomicLong();
        final String run = UUID.randomUUID().toString().substring(0, 8);

        @Setup(Level.Trial)
        public void open() throws Exception {
            t = Target.open(target);
        }

        /**
         * In memory, every iteration after the first starts from an empty storage (a wallet's next recharge
         * opens it again): the in-memory storage keeps every transaction on the heap, and over a trial's
         * millions of recharges the figure became one of the garbage collector's (45 % of each 5-s
         * iteration in collections, then a full collection that took an iteration to 946/s; {@code -prof gc}).
         */
        @Setup(Level.Iteration)
        public void emptyInMemory() throws Exception {
            if (target.equals("memory") && iterations++ > 0) {
                t.close();
                t = Target.open(target);
            }
        }

        private int iterations;

        @TearDown(Level.Trial)
        public void close() {
            t.close();
        }
    }

    /** One thread's wallet and baseline connection. */
    @State(Scope.Thread)
    public static class Wallet {
        String namespace;
        Raw raw;

        @Setup(Level.Trial)
        public void open(Setting s, ThreadParams thread) throws SQLException {
            namespace = s.wallets.equals("one") ? "hot" : "w-" + thread.getThreadIndex();
            s.t.engine.wallet().recharge(namespace, AMOUNT, "open-" + s.run + "-" + thread.getThreadIndex());
            if (s.t.baseline != null) {
                raw = Raw.open(s.t.baseline);
                raw.openAccount(namespace, BigDecimal.ZERO);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            if (raw != null) {
                raw.close();
            }
        }
    }

    @Benchmark
    public Object engine(Setting s, Wallet w) {
        return s.t.engine.wallet().recharge(w.namespace, AMOUNT, "k-" + s.run + "-" + s.keys.incrementAndGet());
    }

    /**
     * The engine's own statements as raw JDBC on the baseline's database ({@link Raw#engineRecharge}): how
     * much of the engine's figure its SQL explains.
     */
    @Benchmark
    public long engineStatements(Setting s, Wallet w) throws SQLException {
        if (w.raw == null) {
            s.t.requireBaseline();
        }
        long done = w.raw.engineRecharge(w.namespace, "s-" + s.run + "-" + s.keys.incrementAndGet(), new BigDecimal("1.25"));
        if (s.t.syncsEachCommit()) {
            w.raw.checkpointSync();
        }
        return done;
    }

    @Benchmark
    public long rawJdbc(Setting s, Wallet w) throws SQLException {
        if (w.raw == null) {
            s.t.requireBaseline(); // the in-memory target has none: fails with a message, measures nothing
        }
        long done = w.raw.recharge(w.namespace, "t-" + s.run + "-" + s.keys.incrementAndGet(), new BigDecimal("1.25"));
        if (s.t.syncsEachCommit()) {
            w.raw.checkpointSync();
        }
        return done;
    }
}
