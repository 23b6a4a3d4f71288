package dev.billing.bench;

import dev.billing.core.usage.Usage;
import dev.billing.core.usage.UsageEvent;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.javamoney.moneta.Money;

/**
 * Bulk data for trial and invocation setup, loaded as fast as the target allows: on a database by
 * plain JDBC batches (and set-based {@code INSERT ... SELECT}), the rows the engine itself would have
 * written; in memory through the engine's API. Used on the engine's database
 * ({@link Target#engineSql}) only between the engine's calls, never during them.
 */
final class Bulk {

    private static final int BATCH = 2_000;
    private static final int COMMIT_EVERY = 50_000;

    private Bulk() {
    }

    /** {@code prefix + i} for {@code i} in {@code [0, n)}. */
    static List<String> names(String prefix, int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    /**
     * Opens {@code namespaces} as active CNY accounts, each funded by {@code recharges} recharges of
     * {@code amount}: in the engine's database when it has one, else through the engine (whose clock
     * then stamps them).
     */
    static void fundedAccounts(Target t, List<String> namespaces, int recharges, BigDecimal amount, Instant opened)
            throws SQLException {
        if (t.engineSql != null) {
            fundedAccounts(t.engineSql, namespaces, recharges, amount, opened);
            return;
        }
        Money money = Money.of(amount, "CNY");
        for (String ns : namespaces) {
            for (int r = 0; r < recharges; r++) {
                t.engine.wallet().recharge(ns, money, "bulk-" + r);
            }
        }
    }

    /**
     * Inserts what {@code recharges} recharges of {@code amount} on each new account leave: the account
     * (its balance their sum), its billing profile (monthly from {@code opened}, truncated to the second,
     * in UTC), each recharge's transaction, and its two postings (wallet and {@code funding:recharge}), so
     * that the ledger balances. Transactions get the ids {@code bulk-<random>:<namespace>:r<k>}.
     */
    static void fundedAccounts(DataSource db, List<String> namespaces, int recharges, BigDecimal amount, Instant opened)
            throws SQLException {
        Instant start = opened.truncatedTo(ChronoUnit.SECONDS);
        Instant end = start.atZone(ZoneOffset.UTC).plusMonths(1).toInstant();
        BigDecimal balance = amount.multiply(BigDecimal.valueOf(recharges));
        String marker = "bulk-" + UUID.randomUUID().toString().substring(0, 8) + ":";
        try (Raw raw = Raw.open(db);
                PreparedStatement a = raw.c.prepareStatement("INSERT INTO accounts (namespace, currency, status,"
                        + " notification, balance, created_at) VALUES (?, 'CNY', 'active', FALSE, ?, ?)");
                PreparedStatement p = raw.c.prepareStatement("INSERT INTO billing_profiles (namespace, kind, period_start,"
                        + " period_end, cycle_anchor, cycle_length, cycle_zone) VALUES (?, 'cloud', ?, ?, ?, 'P1M', 'UTC')");
                PreparedStatement tx = raw.c.prepareStatement("INSERT INTO transactions (id, namespace, kind, amount,"
                        + " currency, description, payment_method, balance_after, created_at)"
                        + " VALUES (?, ?, 'recharge', ?, 'CNY', 'Recharge', 'recharge', ?, ?)")) {
            int rows = 0;
            for (String ns : namespaces) {
                a.setString(1, ns);
                a.setBigDecimal(2, balance);
                raw.bind(a, 3, opened);
                a.addBatch();
                p.setString(1, ns);
                raw.bind(p, 2, start);
                raw.bind(p, 3, end);
                raw.bind(p, 4, start);
                p.addBatch();
                if (++rows % BATCH == 0) {
                    a.executeBatch();
                    p.executeBatch();
                }
            }
            a.executeBatch();
            p.executeBatch();
            raw.c.commit();
            rows = 0;
            for (int r = 0; r < recharges; r++) {
                BigDecimal after = amount.multiply(BigDecimal.valueOf(r + 1L));
                for (String ns : namespaces) {
                    tx.setString(1, marker + ns + ":r" + r);
                    tx.setString(2, ns);
                    tx.setBigDecimal(3, amount);
                    tx.setBigDecimal(4, after);
                    raw.bind(tx, 5, opened);
                    tx.addBatch();
                    if (++rows % BATCH == 0) {
                        tx.executeBatch();
                    }
                    if (rows % COMMIT_EVERY == 0) {
                        raw.c.commit();
                    }
                }
            }
            tx.executeBatch();
            raw.c.commit();
            postings(raw, marker);
            raw.c.commit();
        }
    }

    /**
     * The wallet and funding postings of every transaction whose id starts with {@code marker}, set-based:
     * two {@code INSERT ... SELECT} (the marker holds no {@code _} or {@code %}).
     */
    private static void postings(Raw raw, String marker) throws SQLException {
        String insert = "INSERT INTO postings (transaction_seq, transaction_id, ledger_account, amount, currency)"
                + " SELECT seq, id, ";
        String where = " FROM transactions WHERE id LIKE ?";
        for (String sql : List.of(insert + "CONCAT('wallet:', namespace), amount, currency" + where,
                insert + "'funding:recharge', 0 - amount, currency" + where)) {
            try (PreparedStatement p = raw.c.prepareStatement(sql)) {
                p.setString(1, marker + "%");
                p.executeUpdate();
            }
        }
    }

    /**
     * Loads {@code perNamespace} usage events on each namespace, ids {@code idPrefix + i}, all at
     * {@code at}, of the rates in turn ({@link Fixtures#event}): rows of {@code usage_events} in the
     * engine's database when it has one, else ingested in batches of {@value Usage#MAX_BATCH} (the
     * engine's clock must then read {@code at} or later).
     */
    static void usage(Target t, List<String> namespaces, int perNamespace, String idPrefix, Instant at)
            throws SQLException {
        if (t.engineSql != null) {
            usage(t.engineSql, namespaces, perNamespace, idPrefix, at);
            return;
        }
        List<UsageEvent> batch = new ArrayList<>(Usage.MAX_BATCH);
        for (String ns : namespaces) {
            for (int i = 0; i < perNamespace; i++) {
                batch.add(Fixtures.event(idPrefix + i, ns, i, at));
                if (batch.size() == Usage.MAX_BATCH) {
                    Fixtures.ingest(t.engine, batch);
                    batch.clear();
                }
            }
        }
        if (!batch.isEmpty()) {
            Fixtures.ingest(t.engine, batch);
        }
    }

    /** Inserts usage rows by JDBC batches, as {@link #usage(Target, List, int, String, Instant)} describes. */
    static void usage(DataSource db, List<String> namespaces, int perNamespace, String idPrefix, Instant at)
            throws SQLException {
        try (Raw raw = Raw.open(db); PreparedStatement p = raw.c.prepareStatement(Raw.INSERT_USAGE)) {
            int rows = 0;
            for (String ns : namespaces) {
                for (int i = 0; i < perNamespace; i++) {
                    raw.addUsage(p, Fixtures.event(idPrefix + i, ns, i, at), at);
                    if (++rows % BATCH == 0) {
                        p.executeBatch();
                    }
                    if (rows % COMMIT_EVERY == 0) {
                        raw.c.commit();
                    }
                }
            }
            p.executeBatch();
            raw.c.commit();
        }
    }
}
