package dev.billing.bench;

import dev.billing.core.usage.UsageEvent;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Usage ingestion: {@code usage().ingestBatch} of {@code batch} events ({@link #engine}) beside a plain
 * JDBC batch insert of the same rows into {@code usage_events} (same primary key on (namespace, event
 * id), which the migration creates), one commit per batch ({@link #rawJdbc}), same durability, same run.
 *
 * <p>Each call gets fresh event ids, spread round-robin over {@value #NAMESPACES} accounts of its
 * thread (opened in trial setup; a new account's billing profile is what ingestion needs) and over the
 * four rates of {@link Fixtures#RATES}, stamped with the time the batch was built (in the open
 * period, not in the future). The batch is built before each call, outside the measurement.
 *
 * <p>Events per second are the secondary result {@code events} (an {@link AuxCounters} counter: JMH's
 * {@code @OperationsPerInvocation} takes a constant, not a {@code @Param}); the primary result counts
 * batches. Usage accumulates over the run, so later batches of the engine also sum more stored usage
 * (it checks each period's totals against the storage's limits). The in-memory target has no SQL
 * baseline: its {@code rawJdbc} fails with a message.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class IngestionBenchmark {

    static final int NAMESPACES = 4;

    /** The target and its rate card, for the whole trial. */
    @State(Scope.Benchmark)
    public static class Setting {
        @Param({"memory", "h2-default", "h2-process-crash"})
        public String target;

        @Param({"1000", "10000"})
        public int batch;

        Target t;
        final String run = UUID.randomUUID().toString().substring(0, 8);

        @Setup(Level.Trial)
        public void open() throws Exception {
            t = Target.open(target);
            Fixtures.defineRates(t.engine);
        }

        /** Before each iteration, warm-up included: see {@link Target#analyze()}. */
        @Setup(Level.Iteration)
        public void analyze() throws SQLException {
            t.analyze();
        }

        @TearDown(Level.Trial)
        public void close() {
            t.close();
        }
    }

    /** One thread's accounts and the batch of its next call. */
    @State(Scope.Thread)
    public static class Batch {
        List<String> namespaces;
        List<UsageEvent> events;
        String prefix;
        int calls;

        @Setup(Level.Trial)
        public void open(Setting s, ThreadParams thread) {
            prefix = s.run + "-" + thread.getThreadIndex() + "-";
            namespaces = Bulk.names("u-" + thread.getThreadIndex() + "-", NAMESPACES);
            for (String ns : namespaces) {
                s.t.engine.accounts().openAccount(ns, Fixtures.CNY, "open-" + prefix + ns);
            }
        }

        @Setup(Level.Invocation)
        public void next(Setting s) {
            Instant at = Instant.now();
            String call = prefix + calls++ + "-";
            List<UsageEvent> next = new ArrayList<>(s.batch);
            for (int i = 0; i < s.batch; i++) {
                next.add(Fixtures.event(call + i, namespaces.get(i % NAMESPACES), i / NAMESPACES, at));
            }
            events = next;
        }
    }

    /** Events per second, beside the batches of the primary result. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Events {
        /** Events ingested in this iteration. */
        public long events;

        @Setup(Level.Iteration)
        public void reset() {
            events = 0;
        }
    }

    /** One thread's connection to the baseline database. */
    @State(Scope.Thread)
    public static class Baseline {
        Raw raw;

        @Setup(Level.Trial)
        public void open(Setting s) throws SQLException {
            raw = Raw.open(s.t.requireBaseline());
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            raw.close();
        }
    }

    @Benchmark
    public int engine(Setting s, Batch b, Events counted) {
        int n = Fixtures.ingest(s.t.engine, b.events);
        counted.events += n;
        return n;
    }

    @Benchmark
    public int rawJdbc(Batch b, Baseline c, Events counted) throws SQLException {
        Instant now = Instant.now();
        int n;
        try (PreparedStatement p = c.raw.c.prepareStatement(Raw.INSERT_USAGE)) {
            for (UsageEvent e : b.events) {
                c.raw.addUsage(p, e, now);
            }
            n = p.executeBatch().length;
        }
        c.raw.c.commit();
        counted.events += n;
        return n;
    }
}
