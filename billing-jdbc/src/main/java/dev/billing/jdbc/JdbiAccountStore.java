package dev.billing.jdbc;

import static dev.billing.jdbc.JdbiSession.checkMoney;
import static dev.billing.jdbc.JdbiSession.timestamp;

import dev.billing.spi.AccountRecord;
import dev.billing.spi.AccountStore;
import dev.billing.spi.StorageException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Accounts and their balances (table {@code accounts}), in one unit of work ({@link JdbiSession}). A
 * balance changes by one conditional {@code UPDATE}, so concurrent units of work never lose an update
 * nor cross the floor or {@link AccountStore#MAX_BALANCE}. Not thread-safe.
 */
final class JdbiAccountStore implements AccountStore {

    static final String ACCOUNT_COLUMNS = "namespace, currency, status, notification, balance, debt, created_at,"
            + " low_balance_threshold, past_due, notified_at";

    private final JdbiSession session;
    private final Handle handle;

    JdbiAccountStore(JdbiSession session) {
        this.session = session;
        this.handle = session.handle();
    }

    @Override
    public void insertAccount(AccountRecord account) {
        session.refuse(() -> checkMoney("balance", account.balance()));
        session.refuse(() -> checkMoney("debt", account.debt()));
        session.write("insertAccount", () -> handle.createUpdate("""
                INSERT INTO accounts (namespace, currency, status, notification, balance, debt, created_at, past_due,
                    notified_at)
                VALUES (:namespace, :currency, :status, :notification, :balance, :debt, :createdAt, :pastDue,
                    :notifiedAt)""")
                .bind("namespace", account.namespace())
                .bind("currency", account.currency())
                .bind("status", account.status())
                .bind("notification", account.notification())
                .bind("balance", account.balance())
                .bind("debt", account.debt())
                .bind("createdAt", timestamp(account.createdAt()))
                .bind("pastDue", account.pastDue())
                .bind("notifiedAt", JdbiSession.nullableTimestamp(account.notifiedAt()))
                .execute());
    }

    @Override
    public Optional<AccountRecord> findAccount(String namespace) {
        return session.read("findAccount", () -> handle.createQuery(
                        "SELECT " + ACCOUNT_COLUMNS + " FROM accounts WHERE namespace = :namespace")
                .bind("namespace", namespace)
                .map(JdbiAccountStore::account)
                .findOne());
    }

    @Override
    public void updateAccountState(String namespace, String status, boolean notification) {
        int n = session.write("updateAccountState", () -> handle.createUpdate(
                        "UPDATE accounts SET status = :status, notification = :notification WHERE namespace = :namespace")
                .bind("namespace", namespace)
                .bind("status", status)
                .bind("notification", notification)
                .execute());
        if (n == 0) {
            throw session.spoil(new StorageException("no account " + namespace));
        }
    }

    @Override
    public void updateDunning(String namespace, boolean pastDue, Instant notifiedAt) {
        int n = session.write("updateDunning", () -> handle.createUpdate(
                        "UPDATE accounts SET past_due = :pastDue, notified_at = :notifiedAt WHERE namespace = :namespace")
                .bind("namespace", namespace)
                .bind("pastDue", pastDue)
                .bind("notifiedAt", JdbiSession.nullableTimestamp(notifiedAt))
                .execute());
        if (n == 0) {
            throw session.spoil(new StorageException("no account " + namespace));
        }
    }

    @Override
    public void setLowBalanceThreshold(String namespace, BigDecimal threshold) {
        if (threshold != null) {
            session.refuse(() -> checkMoney("lowBalanceThreshold", threshold));
        }
        int n = session.write("setLowBalanceThreshold", () -> handle.createUpdate(
                        "UPDATE accounts SET low_balance_threshold = :threshold WHERE namespace = :namespace")
                .bind("namespace", namespace)
                .bindByType("threshold", threshold, BigDecimal.class)
                .execute());
        if (n == 0) {
            throw session.spoil(new StorageException("no account " + namespace));
        }
    }

    /**
     * One conditional {@code UPDATE} (the database locks the row, re-evaluates the condition on the
     * newest committed balance and applies the delta) that returns the row as it is after the change,
     * while the lock is held: on H2 as a query of its {@code FINAL TABLE}, on PostgreSQL by
     * {@code RETURNING}; MariaDB has neither for an {@code UPDATE} and reads the row in a second statement.
     * No {@code SELECT ... FOR UPDATE}, and no read of the account before: a missing account and a
     * refused change both change no row, and the caller tells them apart if it must.
     */
    @Override
    public Optional<AccountRecord> applyBalanceDelta(String namespace, BigDecimal delta, BigDecimal floor) {
        session.refuse(() -> checkMoney("delta", delta));
        return change("applyBalanceDelta", BALANCE_UPDATE, namespace, delta,
                floor != null ? floor : AccountStore.MAX_BALANCE.negate());
    }

    /** Like {@link #applyBalanceDelta}, on the {@code debt} column, with zero as its floor. */
    @Override
    public Optional<AccountRecord> applyDebtDelta(String namespace, BigDecimal delta) {
        session.refuse(() -> checkMoney("delta", delta));
        return change("applyDebtDelta", DEBT_UPDATE, namespace, delta, BigDecimal.ZERO);
    }

    private Optional<AccountRecord> change(String what, String update, String namespace, BigDecimal delta,
            BigDecimal floor) {
        Dialect dialect = session.dialect();
        return session.writeSql(what, c -> {
            String sql = switch (dialect) {
                case H2 -> "SELECT " + ACCOUNT_COLUMNS + " FROM FINAL TABLE (" + update + ")";
                case POSTGRESQL -> update + " RETURNING " + ACCOUNT_COLUMNS;
                case MARIADB -> update;
            };
            try (PreparedStatement p = c.prepareStatement(sql)) {
                bindBalanceUpdate(p, namespace, delta, floor);
                if (dialect == Dialect.MARIADB) {
                    return p.executeUpdate() == 1 ? read(c, dialect, namespace) : Optional.<AccountRecord>empty();
                }
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(account(rs, dialect)) : Optional.<AccountRecord>empty();
                }
            }
        });
    }

    private static Optional<AccountRecord> read(Connection c, Dialect dialect, String namespace) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT " + ACCOUNT_COLUMNS + " FROM accounts WHERE namespace = ?")) {
            p.setString(1, namespace);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? Optional.of(account(rs, dialect)) : Optional.empty();
            }
        }
    }

    /**
     * Binds {@link #BALANCE_UPDATE}'s or {@link #DEBT_UPDATE}'s parameters.
     *
     * @return the last index bound
     */
    static int bindBalanceUpdate(PreparedStatement p, String namespace, BigDecimal delta, BigDecimal floor)
            throws SQLException {
        p.setBigDecimal(1, delta);
        p.setString(2, namespace);
        p.setBigDecimal(3, delta);
        p.setBigDecimal(4, AccountStore.MAX_BALANCE);
        p.setBigDecimal(5, delta);
        p.setBigDecimal(6, floor);
        return 6;
    }

    static final String BALANCE_UPDATE = """
            UPDATE accounts SET balance = balance + ?
            WHERE namespace = ? AND balance + ? < ? AND balance + ? >= ?""";

    private static final String DEBT_UPDATE = """
            UPDATE accounts SET debt = debt + ?
            WHERE namespace = ? AND debt + ? < ? AND debt + ? >= ?""";

    /** Maps a row of {@link #ACCOUNT_COLUMNS}. */
    static AccountRecord account(ResultSet rs, Dialect dialect) throws SQLException {
        return new AccountRecord(rs.getString("namespace"), rs.getString("currency"), rs.getString("status"),
                rs.getBoolean("notification"), rs.getBigDecimal("balance"), rs.getBigDecimal("debt"),
                dialect.readInstant(rs, "created_at"), rs.getBigDecimal("low_balance_threshold"), rs.getBoolean("past_due"),
                dialect.readInstant(rs, "notified_at"));
    }

    /** Maps a row of {@link #ACCOUNT_COLUMNS}. */
    static AccountRecord account(ResultSet rs, StatementContext ctx) throws SQLException {
        return account(rs, Dialect.of(ctx));
    }
}
