package dev.billing.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.billing.core.BillingEngine;
import dev.billing.jdbc.Durability;
import dev.billing.jdbc.JdbiStorage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.jdbcx.JdbcDataSource;
import org.javamoney.moneta.Money;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Where the time of a recharge on H2 goes, layer by layer, on one H2 file with H2's default write delay,
 * one thread: {@link #rawJdbc} (the baseline's four statements and a commit on one long-lived
 * connection), {@link #pooledJdbc} (the same, on a connection taken from H2's pool per transaction at
 * READ COMMITTED, as the storage does), {@link #jdbi} (the same four statements through a JDBI handle per
 * transaction, as the storage runs them), and {@link #engine} (the engine's recharge: idempotency, the
 * account, the debt check and the ledger, on its own database of the same kind). Each step's ratio to the
 * one before is the cost of that layer. Beside them, the pool's share: {@link #hikariJdbc} (the baseline's
 * statements on a connection from a HikariCP pool per transaction), {@link #engineStatements} (the
 * statements the engine runs, {@link Raw#engineRecharge}, on the same pool) and {@link #engineOnHikari} (the engine on
 * the same kind of H2 file through {@code JdbiStorage.of} a HikariCP pool, auto-commit off).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class LayersBenchmark {

    private static final BigDecimal AMOUNT = new BigDecimal("1.25");

    private Path dir;
    private JdbiStorage storage;
    private BillingEngine engine;
    private Raw raw;
    private JdbcConnectionPool pool;
    private Jdbi jdbi;
    private HikariDataSource hikari;
    private HikariDataSource engineHikari;
    private JdbiStorage hikariStorage;
    private BillingEngine hikariEngine;
    private final AtomicLong keys = new AtomicLong();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Setup(Level.Trial)
    public void open() throws IOException, SQLException {
        dir = Files.createTempDirectory("billing-layers");
        storage = JdbiStorage.builder().jdbcUrl("jdbc:h2:file:" + dir.resolve("engine")).user("sa").password("")
                .durability(Durability.H2_DEFAULT).build();
        engine = BillingEngine.builder().storage(storage).build();
        engine.wallet().recharge("w", Money.of(AMOUNT, "CNY"), "open-" + run);
        JdbiStorage.h2File(dir.resolve("raw")).close(); // the schema
        String url = "jdbc:h2:file:" + dir.resolve("raw") + ";OPTIMIZE_REUSE_RESULTS=0";
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser("sa");
        ds.setPassword("");
        raw = Raw.open(ds);
        raw.openAccount("w", BigDecimal.ZERO);
        pool = JdbcConnectionPool.create(url, "sa", "");
        jdbi = Jdbi.create(pool);
        hikari = hikari(url);
        JdbiStorage.h2File(dir.resolve("hikari")).close(); // the schema
        engineHikari = hikari("jdbc:h2:file:" + dir.resolve("hikari")
                + ";LOCK_TIMEOUT=10000;OPTIMIZE_REUSE_RESULTS=0;QUERY_CACHE_SIZE=64");
        hikariStorage = JdbiStorage.of(engineHikari);
        hikariEngine = BillingEngine.builder().storage(hikariStorage).build();
        hikariEngine.wallet().recharge("w", Money.of(AMOUNT, "CNY"), "open-" + run);
    }

    private static HikariDataSource hikari(String url) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setUsername("sa");
        c.setPassword("");
        c.setMaximumPoolSize(2);
        c.setAutoCommit(false);
        c.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        return new HikariDataSource(c);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        raw.close();
        pool.dispose();
        storage.close();
        hikari.close();
        hikariStorage.close();
        engineHikari.close();
        Target.deleteTree(dir);
    }

    private String key(String kind) {
        return kind + "-" + run + "-" + keys.incrementAndGet();
    }

    @Benchmark
    public long rawJdbc() throws SQLException {
        return raw.recharge("w", key("r"), AMOUNT);
    }

    @Benchmark
    public long pooledJdbc() throws SQLException {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            return Raw.on(c).recharge("w", key("p"), AMOUNT);
        }
    }

    @Benchmark
    public long hikariJdbc() throws SQLException {
        try (Connection c = hikari.getConnection()) {
            return Raw.on(c).recharge("w", key("h"), AMOUNT);
        }
    }

    /**
     * The statements the engine's recharge runs on H2, as plain JDBC on a HikariCP connection per
     * transaction: the balance change returning the account row ({@code FINAL TABLE}), the transaction
     * with the balance after it, its two postings, the idempotency key's row, commit. Beside
     * {@link #hikariJdbc}, the cost of what the engine stores beyond the baseline; beside {@link #engine},
     * the cost of everything else the engine does.
     */
    @Benchmark
    public long engineStatements() throws SQLException {
        try (Connection c = hikari.getConnection()) {
            return Raw.on(c).engineRecharge("w", key("s"), AMOUNT);
        }
    }

    @Benchmark
    public long jdbi() {
        String id = key("j");
        return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, h -> {
            long seq = h.createUpdate("INSERT INTO transactions (id, namespace, kind, amount, currency, description,"
                            + " payment_method, balance_after, created_at) VALUES (:id, 'w', 'recharge', :amount, 'CNY',"
                            + " 'Recharge', 'balance', 0, :at)")
                    .bind("id", id)
                    .bind("amount", AMOUNT)
                    .bind("at", OffsetDateTime.now(ZoneOffset.UTC))
                    .executeAndReturnGeneratedKeys("seq")
                    .mapTo(Long.class)
                    .one();
            PreparedBatch b = h.prepareBatch("INSERT INTO postings (transaction_seq, transaction_id, ledger_account,"
                    + " amount, currency) VALUES (:seq, :id, :account, :amount, 'CNY')");
            b.bind("seq", seq).bind("id", id).bind("account", "wallet:w").bind("amount", AMOUNT).add();
            b.bind("seq", seq).bind("id", id).bind("account", "funding:balance").bind("amount", AMOUNT.negate()).add();
            b.execute();
            return seq + h.createUpdate("UPDATE accounts SET balance = balance + :d WHERE namespace = 'w' AND balance + :d >= 0")
                    .bind("d", AMOUNT)
                    .execute();
        });
    }

    @Benchmark
    public Object engine() {
        return engine.wallet().recharge("w", Money.of(AMOUNT, "CNY"), key("e"));
    }

    @Benchmark
    public Object engineOnHikari() {
        return hikariEngine.wallet().recharge("w", Money.of(AMOUNT, "CNY"), key("k"));
    }
}
