package dev.billing.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
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
 * Recharges per second through the engine ({@link #engine}) and through raw JDBC doing the minimal SQL
 * of a recharge ({@link #rawJdbc}: insert the transaction, its two postings, the conditional balance
 * update, commit), on the same kind of database with the same durability, in the same run. Wallets:
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

        @TearDown(Level.Trial)
        public void close() {
            t.close();
        }
    }

    /** One thread's wallet and baseline connection. */
    @State(Scope.Thread)
    public static class Wallet {
        String namespace;
        Connection raw;
        /** MariaDB keeps instants as {@code DATETIME(6)} in UTC, bound as a local date-time. */
        boolean mariadb;

        @Setup(Level.Trial)
        public void open(Setting s, ThreadParams thread) throws SQLException {
            namespace = s.wallets.equals("one") ? "hot" : "w-" + thread.getThreadIndex();
            s.t.engine.wallet().recharge(namespace, AMOUNT, "open-" + s.run + "-" + thread.getThreadIndex());
            if (s.t.baseline != null) {
                raw = s.t.baseline.getConnection();
                raw.setAutoCommit(false);
                mariadb = raw.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("mariadb");
                try (PreparedStatement p = raw.prepareStatement("SELECT COUNT(*) FROM accounts WHERE namespace = ?")) {
                    p.setString(1, namespace);
                    try (ResultSet rs = p.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) == 0) {
                            try (PreparedStatement ins = raw.prepareStatement("INSERT INTO accounts (namespace, currency,"
                                    + " status, notification, balance, created_at) VALUES (?, 'CNY', 'active', FALSE, 0, ?)")) {
                                ins.setString(1, namespace);
                                bindNow(ins, 2, mariadb);
                                ins.executeUpdate();
                            } catch (SQLException duplicate) {
                                raw.rollback(); // another thread opened the hot wallet first
                            }
                        }
                    }
                }
                raw.commit();
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

    @Benchmark
    public long rawJdbc(Setting s, Wallet w) throws SQLException {
        if (w.raw == null) {
            return 0; // no baseline for this target
        }
        Connection c = w.raw;
        String id = "t-" + s.run + "-" + s.keys.incrementAndGet();
        BigDecimal amount = new BigDecimal("1.25");
        long seq;
        try (PreparedStatement tx = c.prepareStatement("INSERT INTO transactions (id, namespace, kind, amount, currency,"
                + " description, payment_method, balance_after, created_at) VALUES (?, ?, 'recharge', ?, 'CNY',"
                + " 'Recharge', 'balance', 0, ?)", Statement.RETURN_GENERATED_KEYS)) {
            tx.setString(1, id);
            tx.setString(2, w.namespace);
            tx.setBigDecimal(3, amount);
            bindNow(tx, 4, w.mariadb);
            tx.executeUpdate();
            try (ResultSet keys = tx.getGeneratedKeys()) {
                keys.next();
                seq = keys.getLong(1);
            }
        }
        try (PreparedStatement p = c.prepareStatement("INSERT INTO postings (transaction_seq, transaction_id,"
                + " ledger_account, amount, currency) VALUES (?, ?, ?, ?, 'CNY')")) {
            p.setLong(1, seq);
            p.setString(2, id);
            p.setString(3, "wallet:" + w.namespace);
            p.setBigDecimal(4, amount);
            p.addBatch();
            p.setLong(1, seq);
            p.setString(2, id);
            p.setString(3, "funding:balance");
            p.setBigDecimal(4, amount.negate());
            p.addBatch();
            p.executeBatch();
        }
        int updated;
        try (PreparedStatement u = c.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE namespace = ?"
                + " AND balance + ? >= 0")) {
            u.setBigDecimal(1, amount);
            u.setString(2, w.namespace);
            u.setBigDecimal(3, amount);
            updated = u.executeUpdate();
        }
        c.commit();
        return seq + updated;
    }

    private static void bindNow(PreparedStatement p, int index, boolean mariadb) throws SQLException {
        OffsetDateTime now = Instant.now().atOffset(ZoneOffset.UTC);
        if (mariadb) {
            p.setObject(index, now.toLocalDateTime());
        } else {
            p.setObject(index, now, Types.TIMESTAMP_WITH_TIMEZONE);
        }
    }
}
