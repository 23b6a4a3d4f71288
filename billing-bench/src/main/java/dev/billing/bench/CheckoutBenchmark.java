package dev.billing.bench;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
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
 * Checkouts per second: {@code subscriptions().checkout} of a monthly plan ({@link Fixtures#PLAN},
 * {@link Fixtures#PLAN_PRICE}) through the engine ({@link #engine}), beside raw JDBC doing the minimal SQL
 * of a checkout on the baseline database ({@link #rawJdbc}: read the plan's price where plan and region
 * are available (one joined {@code SELECT}: a checkout names a plan, not a price), insert the purchase
 * transaction, its two postings, the conditional debit, the subscription row, commit), same durability,
 * same run. Wallets:
 * {@code many} (each thread its own) or {@code one} (every thread on one hot wallet), funded with
 * {@link #FUNDING} in trial setup and topped up before an iteration when below a tenth of it, so they
 * never run dry. Threads: JMH's {@code -t}. The in-memory target has no SQL baseline: its
 * {@code rawJdbc} fails with a message.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CheckoutBenchmark {

    static final BigDecimal FUNDING = new BigDecimal("1000000000.00");
    private static final BigDecimal LOW = FUNDING.movePointLeft(1);

    /** The target and its catalog, for the whole trial. */
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
            Fixtures.defineCatalog(t.engine);
        }

        @TearDown(Level.Trial)
        public void close() {
            t.close();
        }

        String key() {
            return run + "-" + keys.incrementAndGet();
        }

        String namespace(ThreadParams thread) {
            return wallets.equals("one") ? "hot" : "c-" + thread.getThreadIndex();
        }
    }

    /** One thread's funded wallet on the engine. */
    @State(Scope.Thread)
    public static class EngineWallet {
        String namespace;

        @Setup(Level.Trial)
        public void open(Setting s, ThreadParams thread) {
            namespace = s.namespace(thread);
            s.t.engine.wallet().recharge(namespace, Money.of(FUNDING, "CNY"), "fund-" + s.key());
        }

        @Setup(Level.Iteration)
        public void topUp(Setting s) {
            BigDecimal balance = s.t.engine.wallet().balance(namespace).amount().getNumber()
                    .numberValueExact(BigDecimal.class);
            if (balance.compareTo(LOW) < 0) {
                s.t.engine.wallet().recharge(namespace, Money.of(FUNDING, "CNY"), "top-" + s.key());
            }
        }
    }

    /** One thread's funded wallet and connection on the baseline database. */
    @State(Scope.Thread)
    public static class RawWallet {
        String namespace;
        Raw raw;

        @Setup(Level.Trial)
        public void open(Setting s, ThreadParams thread) throws SQLException {
            namespace = s.namespace(thread);
            raw = Raw.open(s.t.requireBaseline());
            raw.defineCatalog();
            raw.openAccount(namespace, FUNDING);
        }

        @Setup(Level.Iteration)
        public void topUp(Setting s) throws SQLException {
            if (raw.balance(namespace).compareTo(LOW) < 0) {
                raw.recharge(namespace, "top-" + s.key(), FUNDING);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            raw.close();
        }
    }

    @Benchmark
    public Object engine(Setting s, EngineWallet w) {
        return s.t.engine.subscriptions().checkout(w.namespace, Fixtures.PLAN, Fixtures.REGION, "k-" + s.key());
    }

    @Benchmark
    public long rawJdbc(Setting s, RawWallet w) throws SQLException {
        Raw r = w.raw;
        String id = "t-" + s.key();
        BigDecimal price = r.price(Fixtures.PLAN, Fixtures.REGION);
        long seq = r.insertTransaction(id, w.namespace, "purchase", price, Fixtures.PLAN_DESCRIPTION, "balance",
                Fixtures.PLAN);
        r.insertPostings(seq, id, "revenue:plans", "wallet:" + w.namespace, price);
        if (!r.debit(w.namespace, price)) {
            r.c.rollback();
            throw new IllegalStateException("wallet " + w.namespace + " ran dry");
        }
        Instant now = Instant.now();
        try (PreparedStatement sub = r.c.prepareStatement("INSERT INTO subscriptions (id, namespace, plan_id, region,"
                + " period_start, period_end, status, transaction_id, started_at, zone)"
                + " VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, 'UTC')")) {
            sub.setString(1, "s-" + id);
            sub.setString(2, w.namespace);
            sub.setString(3, Fixtures.PLAN);
            sub.setString(4, Fixtures.REGION);
            r.bind(sub, 5, now);
            r.bind(sub, 6, now.atZone(ZoneOffset.UTC).plusMonths(1).toInstant());
            sub.setString(7, id);
            r.bind(sub, 8, now);
            sub.executeUpdate();
        }
        r.c.commit();
        return seq;
    }
}
