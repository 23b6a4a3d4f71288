package dev.billing.bench;

import dev.billing.core.usage.UsageEvent;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * One connection, auto-commit off, to a database with the engine's schema, and the statements the
 * baselines share: the same SQL on H2, PostgreSQL and MariaDB, but for how an instant is bound (MariaDB
 * keeps instants as {@code DATETIME(6)} in UTC, bound as a local date-time). Not thread-safe: one per
 * thread.
 */
final class Raw implements AutoCloseable {

    final Connection c;
    final boolean mariadb;
    final boolean postgresql;

    private Raw(Connection c) throws SQLException {
        this.c = c;
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        this.mariadb = product.contains("mariadb");
        this.postgresql = product.contains("postgresql");
    }

    /** @return the statements on {@code c}, which the caller configured (auto-commit off) and closes */
    static Raw on(Connection c) throws SQLException {
        return new Raw(c);
    }

    static Raw open(DataSource db) throws SQLException {
        Connection c = db.getConnection();
        c.setAutoCommit(false);
        return new Raw(c);
    }

    /** The insert of one usage event, as the engine's storage writes it. */
    static final String INSERT_USAGE = "INSERT INTO usage_events (namespace, event_id, offering_code, charge_type,"
            + " quantity, occurred_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)";

    /** Adds one event to a batch of {@link #INSERT_USAGE}. */
    void addUsage(PreparedStatement p, UsageEvent e, Instant recordedAt) throws SQLException {
        p.setString(1, e.namespace());
        p.setString(2, e.eventId());
        p.setString(3, e.offeringCode());
        p.setString(4, e.chargeType());
        p.setBigDecimal(5, e.quantity());
        bind(p, 6, e.timestamp());
        bind(p, 7, recordedAt);
        p.addBatch();
    }

    /** Binds an instant as the storage keeps it: UTC, microseconds. */
    void bind(PreparedStatement p, int index, Instant t) throws SQLException {
        Instant micros = t.truncatedTo(ChronoUnit.MICROS);
        if (mariadb) {
            p.setObject(index, LocalDateTime.ofInstant(micros, ZoneOffset.UTC));
        } else {
            p.setObject(index, micros.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
        }
    }

    Instant instant(ResultSet rs, int column) throws SQLException {
        return mariadb ? rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC)
                : rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /**
     * Opens an active CNY account with {@code balance} unless the namespace has one (another thread may
     * open a shared one first), and commits.
     */
    void openAccount(String namespace, BigDecimal balance) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM accounts WHERE namespace = ?")) {
            p.setString(1, namespace);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                if (rs.getLong(1) == 0) {
                    try (PreparedStatement ins = c.prepareStatement("INSERT INTO accounts (namespace, currency,"
                            + " status, notification, balance, created_at) VALUES (?, 'CNY', 'active', FALSE, ?, ?)")) {
                        ins.setString(1, namespace);
                        ins.setBigDecimal(2, balance);
                        bind(ins, 3, Instant.now());
                        ins.executeUpdate();
                    } catch (SQLException duplicate) {
                        c.rollback(); // another thread opened it first
                    }
                }
            }
        }
        c.commit();
    }

    /**
     * Puts {@link Fixtures#REGION} and {@link Fixtures#PLAN} into the baseline's catalog, each unless it is
     * there, and commits. Threads share the baseline's database: a thread that finds one missing but loses
     * the race to insert it (a duplicate key) finds it there on its second look; any other failure is thrown.
     */
    void defineCatalog() throws SQLException {
        for (int attempt = 1;; attempt++) {
            try {
                if (!exists("SELECT COUNT(*) FROM regions WHERE id = ?", Fixtures.REGION)) {
                    try (PreparedStatement r = c.prepareStatement("INSERT INTO regions (id, description, status)"
                            + " VALUES (?, 'Bench region', 'available')")) {
                        r.setString(1, Fixtures.REGION);
                        r.executeUpdate();
                    }
                }
                if (!exists("SELECT COUNT(*) FROM plans WHERE id = ?", Fixtures.PLAN)) {
                    try (PreparedStatement p = c.prepareStatement("INSERT INTO plans (id, plan_type, plan_type_lc,"
                            + " plan_level, name, price, currency, bill_period, description, region, status, created_at)"
                            + " VALUES (?, 'C', 'c', '', '', ?, 'CNY', 'monthly', ?, ?, 'available', ?)")) {
                        p.setString(1, Fixtures.PLAN);
                        p.setBigDecimal(2, Fixtures.PLAN_PRICE);
                        p.setString(3, Fixtures.PLAN_DESCRIPTION);
                        p.setString(4, Fixtures.REGION);
                        bind(p, 5, Instant.now());
                        p.executeUpdate();
                    }
                }
                c.commit();
                return;
            } catch (SQLException e) {
                c.rollback();
                if (attempt > 1) {
                    throw e; // failed again after a fresh look: not a lost race
                }
            }
        }
    }

    private boolean exists(String countSql, String id) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(countSql)) {
            p.setString(1, id);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    /**
     * The price of a plan that can be bought in a region, in one statement: the plan, available, offered
     * in the region, and the region available.
     *
     * @return the price
     * @throws IllegalStateException when the plan cannot be bought there
     */
    BigDecimal price(String planId, String region) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT p.price FROM plans p JOIN regions r ON r.id = p.region"
                + " WHERE p.id = ? AND p.region = ? AND p.status = 'available' AND r.status = 'available'")) {
            p.setString(1, planId);
            p.setString(2, region);
            try (ResultSet rs = p.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("plan " + planId + " cannot be bought in " + region);
                }
                return rs.getBigDecimal(1);
            }
        }
    }

    /** Inserts a transaction (balance after it not read back: 0) and returns its {@code seq}. */
    long insertTransaction(String id, String namespace, String kind, BigDecimal amount, String description,
            String paymentMethod, String planId) throws SQLException {
        String sql = planId == null
                ? "INSERT INTO transactions (id, namespace, kind, amount, currency, description, payment_method,"
                        + " balance_after, created_at) VALUES (?, ?, ?, ?, 'CNY', ?, ?, 0, ?)"
                : "INSERT INTO transactions (id, namespace, kind, amount, currency, description, payment_method,"
                        + " balance_after, created_at, plan_id) VALUES (?, ?, ?, ?, 'CNY', ?, ?, 0, ?, ?)";
        try (PreparedStatement tx = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            tx.setString(1, id);
            tx.setString(2, namespace);
            tx.setString(3, kind);
            tx.setBigDecimal(4, amount);
            tx.setString(5, description);
            tx.setString(6, paymentMethod);
            bind(tx, 7, Instant.now());
            if (planId != null) {
                tx.setString(8, planId);
            }
            tx.executeUpdate();
            try (ResultSet keys = tx.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Inserts a transaction's two postings in one batch: {@code amount} to {@code credited}, minus it to {@code debited}. */
    void insertPostings(long seq, String id, String credited, String debited, BigDecimal amount) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("INSERT INTO postings (transaction_seq, transaction_id,"
                + " ledger_account, amount, currency) VALUES (?, ?, ?, ?, 'CNY')")) {
            p.setLong(1, seq);
            p.setString(2, id);
            p.setString(3, credited);
            p.setBigDecimal(4, amount);
            p.addBatch();
            p.setLong(1, seq);
            p.setString(2, id);
            p.setString(3, debited);
            p.setBigDecimal(4, amount.negate());
            p.addBatch();
            p.executeBatch();
        }
    }

    /**
     * The minimal SQL of a recharge: the transaction, its two postings, the conditional balance update,
     * commit. (RechargeBenchmark's figures were measured with exactly these statements.)
     *
     * @return the transaction's seq plus the updated rows, for JMH to consume
     */
    long recharge(String namespace, String id, BigDecimal amount) throws SQLException {
        long seq = insertTransaction(id, namespace, "recharge", amount, "Recharge", "balance", null);
        insertPostings(seq, id, "wallet:" + namespace, "funding:balance", amount);
        int updated;
        try (PreparedStatement u = c.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE namespace = ?"
                + " AND balance + ? >= 0")) {
            u.setBigDecimal(1, amount);
            u.setString(2, namespace);
            u.setBigDecimal(3, amount);
            updated = u.executeUpdate();
        }
        c.commit();
        return seq + updated;
    }

    /** The columns the storage reads back from a balance change. */
    private static final String ACCOUNT_COLUMNS = "namespace, currency, status, notification, balance, debt, created_at,"
            + " low_balance_threshold, past_due, notified_at";
    private static final String BALANCE_UPDATE = "UPDATE accounts SET balance = balance + ? WHERE namespace = ?"
            + " AND balance + ? < ? AND balance + ? >= ?";
    private static final BigDecimal MAX_BALANCE = dev.billing.spi.AccountStore.MAX_BALANCE;

    /**
     * The statements the engine's recharge runs, as plain JDBC, in the storage's form for each database:
     * the conditional balance change returning the account's row (H2 {@code FINAL TABLE}, PostgreSQL
     * {@code RETURNING}), the transaction with the balance after it and its two postings (on PostgreSQL the
     * balance change, the transaction and its postings are one statement; on MariaDB one call of the storage's
     * procedure), the
     * idempotency key's row, commit. Beside {@link #recharge}
     * it prices what the engine stores and reads beyond the minimal SQL; beside the engine, what the engine
     * does beyond its SQL.
     *
     * @return the transaction's seq (on MariaDB 0: the procedure does not answer it)
     */
    long engineRecharge(String namespace, String id, BigDecimal amount) throws SQLException {
        BigDecimal balance;
        long seq;
        if (postgresql) {
            try (PreparedStatement t = c.prepareStatement("WITH a AS (" + BALANCE_UPDATE + " RETURNING "
                    + ACCOUNT_COLUMNS + "), t AS (INSERT INTO transactions (id, namespace, kind, amount, currency,"
                    + " description, payment_method, plan_id, refund_of, balance_after, created_at)"
                    + " SELECT ?, ?, 'recharge', ?, 'CNY', 'Recharge', 'balance', NULL, NULL, a.balance, ? FROM a"
                    + " RETURNING seq), p AS (INSERT INTO postings (transaction_seq, transaction_id, ledger_account,"
                    + " amount, currency) SELECT t.seq, v.transaction_id, v.ledger_account, v.amount, v.currency"
                    + " FROM t, (VALUES (0, ?, ?, ?, 'CNY'), (1, ?, ?, ?, 'CNY')) AS v (n, transaction_id,"
                    + " ledger_account, amount, currency) ORDER BY v.n)"
                    + " SELECT " + ACCOUNT_COLUMNS + ", t.seq FROM a, t")) {
                bindBalanceUpdate(t, namespace, amount);
                t.setString(7, id);
                t.setString(8, namespace);
                t.setBigDecimal(9, amount);
                bind(t, 10, Instant.now());
                t.setString(11, id);
                t.setString(12, "wallet:" + namespace);
                t.setBigDecimal(13, amount);
                t.setString(14, id);
                t.setString(15, "funding:balance");
                t.setBigDecimal(16, amount.negate());
                try (ResultSet rs = t.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("the balance change changed no row");
                    }
                    balance = rs.getBigDecimal("balance");
                    seq = rs.getLong("seq");
                }
            }
        } else if (mariadb) {
            // the storage's procedure (migration V12): the same in one call
            try (PreparedStatement call = c.prepareStatement("CALL billing_apply_and_append(?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                call.setString(1, namespace);
                call.setBigDecimal(2, amount);
                call.setBigDecimal(3, MAX_BALANCE);
                call.setBigDecimal(4, MAX_BALANCE.negate());
                call.setString(5, id);
                call.setString(6, namespace);
                call.setString(7, "recharge");
                call.setBigDecimal(8, amount);
                call.setString(9, "CNY");
                call.setString(10, "Recharge");
                call.setString(11, "balance");
                call.setString(12, null);
                call.setString(13, null);
                bind(call, 14, Instant.now());
                call.setString(15, id);
                call.setString(16, "wallet:" + namespace);
                call.setBigDecimal(17, amount);
                call.setString(18, "CNY");
                call.setString(19, id);
                call.setString(20, "funding:balance");
                call.setBigDecimal(21, amount.negate());
                call.setString(22, "CNY");
                if (!call.execute()) {
                    throw new IllegalStateException("the balance change changed no row");
                }
                balance = balanceOf(call.getResultSet());
                while (call.getMoreResults() || call.getUpdateCount() != -1) {
                    // the call's own status
                }
            }
            seq = 0;
        } else {
            try (PreparedStatement u = c.prepareStatement("SELECT " + ACCOUNT_COLUMNS + " FROM FINAL TABLE ("
                    + BALANCE_UPDATE + ")")) {
                bindBalanceUpdate(u, namespace, amount);
                balance = balanceOf(u.executeQuery());
            }
            seq = insertTransaction(id, namespace, "recharge", amount, "Recharge", "balance", null);
            insertPostings(seq, id, "wallet:" + namespace, "funding:balance", amount);
        }
        try (PreparedStatement k = c.prepareStatement("INSERT INTO idempotency_keys (namespace, idem_key, fingerprint,"
                + " transaction_id, balance, status, created_at) VALUES (?, ?, ?, ?, ?, 'active', ?)")) {
            k.setString(1, namespace);
            k.setString(2, id);
            k.setString(3, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
            k.setString(4, id);
            k.setBigDecimal(5, balance);
            bind(k, 6, Instant.now());
            k.executeUpdate();
        }
        c.commit();
        return seq;
    }

    private static void bindBalanceUpdate(PreparedStatement u, String namespace, BigDecimal amount) throws SQLException {
        u.setBigDecimal(1, amount);
        u.setString(2, namespace);
        u.setBigDecimal(3, amount);
        u.setBigDecimal(4, MAX_BALANCE);
        u.setBigDecimal(5, amount);
        u.setBigDecimal(6, MAX_BALANCE.negate());
    }

    private static BigDecimal balanceOf(ResultSet rs) throws SQLException {
        try (rs) {
            if (!rs.next()) {
                throw new IllegalStateException("the balance change changed no row");
            }
            return rs.getBigDecimal("balance");
        }
    }

    /**
     * Debits a balance if it covers {@code amount}: {@code UPDATE accounts SET balance = balance - ?
     * WHERE namespace = ? AND balance - ? >= 0}.
     *
     * @return whether it did
     */
    boolean debit(String namespace, BigDecimal amount) throws SQLException {
        try (PreparedStatement u = c.prepareStatement("UPDATE accounts SET balance = balance - ? WHERE namespace = ?"
                + " AND balance - ? >= 0")) {
            u.setBigDecimal(1, amount);
            u.setString(2, namespace);
            u.setBigDecimal(3, amount);
            return u.executeUpdate() == 1;
        }
    }

    /** @return the balance of {@code namespace} */
    BigDecimal balance(String namespace) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT balance FROM accounts WHERE namespace = ?")) {
            p.setString(1, namespace);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                BigDecimal b = rs.getBigDecimal(1);
                c.commit();
                return b;
            }
        }
    }

    /** H2's {@code CHECKPOINT SYNC}: the database written to its file and synced to the device. */
    void checkpointSync() throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CHECKPOINT SYNC");
        }
    }

    @Override
    public void close() throws SQLException {
        c.close();
    }
}
