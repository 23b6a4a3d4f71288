package dev.billing.jdbc;

import static dev.billing.jdbc.JdbiSession.MONEY_SCALE;
import static dev.billing.jdbc.JdbiSession.checkMoney;
import static dev.billing.jdbc.JdbiSession.instant;

import dev.billing.spi.AccountRecord;
import dev.billing.spi.AccountStore;
import dev.billing.spi.LedgerStore;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.StorageException;
import dev.billing.spi.TransactionRecord;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Transactions and their postings (tables {@code transactions} and {@code postings}), in one unit of
 * work ({@link JdbiSession}). The database assigns each transaction its {@code seq}; a transaction's
 * {@code refundedBy} is derived by a self-join on {@code refund_of}. A transaction and its postings are
 * written as plain JDBC ({@link JdbiSession#writeSql}): every money-moving call appends one; on PostgreSQL
 * in one statement, with the balance change that goes with it when the engine asks for both
 * ({@link #applyAndAppend}); on MariaDB that pair, for two postings, is one call of a procedure
 * ({@link #applyAndAppendByProcedure}). Not thread-safe.
 */
final class JdbiLedgerStore implements LedgerStore {

    /** Selects transactions with their {@code refunded_by}; a {@code WHERE} or {@code ORDER BY} follows. */
    static final String TRANSACTION_SELECT = """
            SELECT t.seq, t.id, t.namespace, t.kind, t.amount, t.currency, t.description, t.payment_method,
                   t.plan_id, t.refund_of, t.balance_after, t.created_at, r.id AS refunded_by
            FROM transactions t LEFT JOIN transactions r ON r.refund_of = t.id
            """;

    private final JdbiSession session;
    private final Handle handle;

    JdbiLedgerStore(JdbiSession session) {
        this.session = session;
        this.handle = session.handle();
    }

    @Override
    public long appendTransaction(TransactionRecord transaction, List<PostingRecord> postings) {
        session.refuse(() -> checkMoney("balanceAfter", transaction.balanceAfter()));
        check(transaction, postings);
        Dialect dialect = session.dialect();
        if (dialect == Dialect.POSTGRESQL && !postings.isEmpty()) {
            return session.writeSql("appendTransaction", c -> appendInOneStatement(c, transaction, postings));
        }
        return session.writeSql("appendTransaction", c -> {
            long seq;
            try (PreparedStatement p = c.prepareStatement(INSERT_TRANSACTION, new String[] {"seq"})) {
                bindTransaction(p, transaction, dialect);
                p.executeUpdate();
                try (ResultSet keys = p.getGeneratedKeys()) {
                    keys.next();
                    seq = keys.getLong(1);
                }
            }
            if (!postings.isEmpty()) {
                try (PreparedStatement p = c.prepareStatement(INSERT_POSTING)) {
                    for (PostingRecord posting : postings) {
                        p.setLong(1, seq);
                        p.setString(2, posting.transactionId());
                        p.setString(3, posting.ledgerAccount());
                        p.setBigDecimal(4, posting.amount());
                        p.setString(5, posting.currency());
                        p.addBatch();
                    }
                    p.executeBatch();
                }
            }
            return seq;
        });
    }

    /** Refuses a transaction whose amounts do not fit, or whose postings are not its own or do not balance. */
    private void check(TransactionRecord transaction, List<PostingRecord> postings) {
        session.refuse(() -> checkMoney("amount", transaction.amount()));
        Map<String, BigDecimal> byCurrency = new HashMap<>();
        for (PostingRecord p : postings) {
            if (!p.transactionId().equals(transaction.id())) {
                throw session.spoil(new StorageException("posting of " + p.transactionId() + " in transaction "
                        + transaction.id()));
            }
            session.refuse(() -> checkMoney("posting amount", p.amount()));
            byCurrency.merge(p.currency(), p.amount(), BigDecimal::add);
        }
        if (byCurrency.values().stream().anyMatch(v -> v.signum() != 0)) {
            throw session.spoil(new StorageException("postings of transaction " + transaction.id()
                    + " do not balance: " + byCurrency));
        }
    }

    /**
     * PostgreSQL: {@link dev.billing.spi.StorageSession#applyBalanceDeltaAndAppend} as one statement, the
     * balance change, the transaction (with the balance the change returned) and its postings chained by
     * data-modifying {@code WITH}s: one round trip, after which the account's row is held only for what
     * the unit of work does next and its commit. A refused change inserts nothing (the inserts select
     * from the change's rows).
     */
    Optional<AccountRecord> applyAndAppend(String namespace, BigDecimal delta, BigDecimal floor,
            TransactionRecord transaction, List<PostingRecord> postings) {
        session.refuse(() -> checkMoney("delta", delta));
        check(transaction, postings);
        return session.writeSql("applyBalanceDeltaAndAppend", c -> {
            StringBuilder sql = new StringBuilder("WITH a AS (").append(JdbiAccountStore.BALANCE_UPDATE)
                    .append(" RETURNING ").append(JdbiAccountStore.ACCOUNT_COLUMNS).append("),\n")
                    .append("t AS (").append(INSERT_TRANSACTION_FROM_A).append(" RETURNING seq),\n")
                    .append("p AS (");
            appendPostingsInsert(sql, postings.size());
            sql.append(")\nSELECT ").append(JdbiAccountStore.ACCOUNT_COLUMNS).append(" FROM a, t");
            try (PreparedStatement p = c.prepareStatement(sql.toString())) {
                int i = JdbiAccountStore.bindBalanceUpdate(p, namespace, delta,
                        floor != null ? floor : AccountStore.MAX_BALANCE.negate());
                p.setString(++i, transaction.id());
                p.setString(++i, transaction.namespace());
                p.setString(++i, transaction.kind());
                p.setBigDecimal(++i, transaction.amount());
                p.setString(++i, transaction.currency());
                p.setString(++i, transaction.description());
                p.setString(++i, transaction.paymentMethod());
                p.setString(++i, transaction.planId());
                p.setString(++i, transaction.refundOf());
                Dialect.POSTGRESQL.bindInstant(p, ++i, transaction.createdAt());
                bindPostings(p, i, postings);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(JdbiAccountStore.account(rs, Dialect.POSTGRESQL))
                            : Optional.<AccountRecord>empty();
                }
            }
        });
    }

    /**
     * MariaDB: {@link dev.billing.spi.StorageSession#applyBalanceDeltaAndAppend} for a transaction of two
     * postings as one call of the procedure {@code billing_apply_and_append} (migration V12, replaced by
     * V15 to answer the dunning columns): the row locked and checked, the balance changed, the transaction (with the balance after it) and its
     * postings inserted, the row answered, in one round trip where the statements take four (MariaDB 10.11
     * has no {@code UPDATE ... RETURNING}). A refused change inserts nothing and answers no row.
     */
    Optional<AccountRecord> applyAndAppendByProcedure(String namespace, BigDecimal delta, BigDecimal floor,
            TransactionRecord transaction, List<PostingRecord> postings) {
        if (postings.size() != 2) {
            throw new IllegalArgumentException("the procedure takes two postings, not " + postings.size());
        }
        session.refuse(() -> checkMoney("delta", delta));
        check(transaction, postings);
        return session.writeSql("applyBalanceDeltaAndAppend", c -> {
            try (PreparedStatement p = c.prepareStatement(
                    "CALL billing_apply_and_append(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                p.setString(1, namespace);
                p.setBigDecimal(2, delta);
                p.setBigDecimal(3, AccountStore.MAX_BALANCE);
                p.setBigDecimal(4, floor != null ? floor : AccountStore.MAX_BALANCE.negate());
                p.setString(5, transaction.id());
                p.setString(6, transaction.namespace());
                p.setString(7, transaction.kind());
                p.setBigDecimal(8, transaction.amount());
                p.setString(9, transaction.currency());
                p.setString(10, transaction.description());
                p.setString(11, transaction.paymentMethod());
                p.setString(12, transaction.planId());
                p.setString(13, transaction.refundOf());
                Dialect.MARIADB.bindInstant(p, 14, transaction.createdAt());
                bindPostings(p, 14, postings);
                Optional<AccountRecord> changed = Optional.empty();
                // a result set only when the change was made; then the call's own status
                for (boolean rows = p.execute(); rows || p.getUpdateCount() != -1; rows = p.getMoreResults()) {
                    if (rows) {
                        try (ResultSet rs = p.getResultSet()) {
                            if (rs.next()) {
                                changed = Optional.of(JdbiAccountStore.account(rs, Dialect.MARIADB));
                            }
                        }
                    }
                }
                return changed;
            }
        });
    }

    /**
     * PostgreSQL: the transaction and its postings in one statement, one round trip instead of two (a
     * data-modifying {@code WITH} hands the new {@code seq} to the postings' insert).
     */
    private static long appendInOneStatement(Connection c, TransactionRecord t, List<PostingRecord> postings)
            throws SQLException {
        StringBuilder sql = new StringBuilder("WITH t AS (").append(INSERT_TRANSACTION).append(" RETURNING seq)\n");
        appendPostingsInsert(sql, postings.size());
        sql.append(" RETURNING transaction_seq");
        try (PreparedStatement p = c.prepareStatement(sql.toString())) {
            bindPostings(p, bindTransaction(p, t, Dialect.POSTGRESQL), postings);
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** PostgreSQL: the insert of {@code n} postings of the transaction in CTE {@code t}, from bound values. */
    private static void appendPostingsInsert(StringBuilder sql, int n) {
        sql.append("INSERT INTO postings (transaction_seq, transaction_id, ledger_account, amount, currency)\n")
                .append("SELECT t.seq, v.transaction_id, v.ledger_account, v.amount, v.currency FROM t,\n(VALUES ");
        for (int i = 0; i < n; i++) {
            sql.append(i == 0 ? "" : ", ").append("(").append(i).append(", ?, ?, ?, ?)");
        }
        sql.append(") AS v (n, transaction_id, ledger_account, amount, currency) ORDER BY v.n");
    }

    /** Binds the postings of {@link #appendPostingsInsert} after parameter {@code last}. */
    private static void bindPostings(PreparedStatement p, int last, List<PostingRecord> postings) throws SQLException {
        int i = last;
        for (PostingRecord posting : postings) {
            p.setString(++i, posting.transactionId());
            p.setString(++i, posting.ledgerAccount());
            p.setBigDecimal(++i, posting.amount());
            p.setString(++i, posting.currency());
        }
    }

    /** Binds {@link #INSERT_TRANSACTION}'s parameters; @return the last index bound */
    private static int bindTransaction(PreparedStatement p, TransactionRecord t, Dialect dialect) throws SQLException {
        p.setString(1, t.id());
        p.setString(2, t.namespace());
        p.setString(3, t.kind());
        p.setBigDecimal(4, t.amount());
        p.setString(5, t.currency());
        p.setString(6, t.description());
        p.setString(7, t.paymentMethod());
        p.setString(8, t.planId());
        p.setString(9, t.refundOf());
        p.setBigDecimal(10, t.balanceAfter());
        dialect.bindInstant(p, 11, t.createdAt());
        return 11;
    }

    private static final String INSERT_TRANSACTION = """
            INSERT INTO transactions (id, namespace, kind, amount, currency, description, payment_method, plan_id,
                refund_of, balance_after, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /** PostgreSQL: {@link #INSERT_TRANSACTION} with the balance after taken from the change in CTE {@code a}. */
    private static final String INSERT_TRANSACTION_FROM_A = """
            INSERT INTO transactions (id, namespace, kind, amount, currency, description, payment_method, plan_id,
                refund_of, balance_after, created_at)
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, a.balance, ? FROM a""";

    private static final String INSERT_POSTING = """
            INSERT INTO postings (transaction_seq, transaction_id, ledger_account, amount, currency)
            VALUES (?, ?, ?, ?, ?)""";

    @Override
    public Optional<TransactionRecord> findTransaction(String id) {
        return session.read("findTransaction", () -> handle.createQuery(TRANSACTION_SELECT + "WHERE t.id = :id")
                .bind("id", id)
                .map(JdbiLedgerStore::transaction)
                .findOne());
    }

    @Override
    public List<TransactionRecord> listTransactions(String namespace, long beforeSeq, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return session.read("listTransactions", () -> handle.createQuery(TRANSACTION_SELECT + """
                        WHERE t.namespace = :namespace AND t.seq < :before
                        ORDER BY t.seq DESC
                        FETCH FIRST :limit ROWS ONLY""")
                .bind("namespace", namespace)
                .bind("before", beforeSeq)
                .bind("limit", limit)
                .map(JdbiLedgerStore::transaction)
                .list());
    }

    @Override
    public BigDecimal sumPostings(String ledgerAccount) {
        return session.read("sumPostings", () -> {
            BigDecimal sum = handle.createQuery("SELECT SUM(amount) FROM postings WHERE ledger_account = :ledgerAccount")
                    .bind("ledgerAccount", ledgerAccount)
                    .mapTo(BigDecimal.class)
                    .one();
            return sum == null ? BigDecimal.ZERO.setScale(MONEY_SCALE) : sum;
        });
    }

    @Override
    public Map<String, BigDecimal> sumPostingsByCurrency() {
        return session.read("sumPostingsByCurrency", () -> {
            Map<String, BigDecimal> sums = new TreeMap<>();
            handle.createQuery("SELECT currency, SUM(amount) FROM postings GROUP BY currency")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getBigDecimal(2)))
                    .forEach(e -> sums.put(e.getKey(), e.getValue()));
            return sums;
        });
    }

    /** Maps a row of {@link #TRANSACTION_SELECT}. */
    static TransactionRecord transaction(ResultSet rs, StatementContext ctx) throws SQLException {
        return new TransactionRecord(rs.getLong("seq"), rs.getString("id"), rs.getString("namespace"),
                rs.getString("kind"), rs.getBigDecimal("amount"), rs.getString("currency"), rs.getString("description"),
                rs.getString("payment_method"), rs.getString("plan_id"), rs.getString("refund_of"),
                rs.getBigDecimal("balance_after"), instant(rs, ctx, "created_at"), rs.getString("refunded_by"));
    }
}
