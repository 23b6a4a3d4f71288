package dev.billing.jdbc;

import static dev.billing.jdbc.JdbiSession.checkMoney;
import static dev.billing.jdbc.JdbiSession.instant;
import static dev.billing.jdbc.JdbiSession.timestamp;

import dev.billing.spi.AccountRecord;
import dev.billing.spi.AccountStore;
import dev.billing.spi.StorageException;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Accounts and their balances (table {@code accounts}), in one unit of work ({@link JdbiSession}). A
 * balance changes by one conditional {@code UPDATE}, so concurrent units of work never lose an update
 * nor cross the floor or {@link AccountStore#MAX_BALANCE}. Not thread-safe.
 */
final class JdbiAccountStore implements AccountStore {

    static final String ACCOUNT_COLUMNS = "namespace, currency, status, notification, balance, created_at";

    private final JdbiSession session;
    private final Handle handle;

    JdbiAccountStore(JdbiSession session) {
        this.session = session;
        this.handle = session.handle();
    }

    @Override
    public void insertAccount(AccountRecord account) {
        session.refuse(() -> checkMoney("balance", account.balance()));
        session.write("insertAccount", () -> handle.createUpdate("""
                INSERT INTO accounts (namespace, currency, status, notification, balance, created_at)
                VALUES (:namespace, :currency, :status, :notification, :balance, :createdAt)""")
                .bind("namespace", account.namespace())
                .bind("currency", account.currency())
                .bind("status", account.status())
                .bind("notification", account.notification())
                .bind("balance", account.balance())
                .bind("createdAt", timestamp(account.createdAt()))
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

    /**
     * One conditional {@code UPDATE} (the database locks the row, re-evaluates the condition on the
     * newest committed balance and applies the delta) that returns the row as it is after the change,
     * while the lock is held: on H2 as a query of its {@code FINAL TABLE}, on PostgreSQL by
     * {@code RETURNING}; MariaDB has neither for an {@code UPDATE} and reads the row in a second statement.
     * No {@code SELECT ... FOR UPDATE}.
     */
    @Override
    public Optional<AccountRecord> applyBalanceDelta(String namespace, BigDecimal delta, BigDecimal floor) {
        session.refuse(() -> checkMoney("delta", delta));
        return session.write("applyBalanceDelta", () -> {
            Dialect dialect = session.dialect();
            Optional<AccountRecord> changed;
            if (dialect == Dialect.MARIADB) {
                int n = bindDelta(handle.createUpdate(BALANCE_UPDATE), namespace, delta, floor).execute();
                changed = n == 1 ? findAccount(namespace) : Optional.empty();
            } else {
                String sql = dialect == Dialect.H2
                        ? "SELECT " + ACCOUNT_COLUMNS + " FROM FINAL TABLE (" + BALANCE_UPDATE + ")"
                        : BALANCE_UPDATE + " RETURNING " + ACCOUNT_COLUMNS;
                changed = bindDelta(handle.createQuery(sql), namespace, delta, floor).map(JdbiAccountStore::account)
                        .findOne();
            }
            if (changed.isEmpty() && handle.createQuery("SELECT COUNT(*) FROM accounts WHERE namespace = :namespace")
                    .bind("namespace", namespace)
                    .mapTo(Long.class)
                    .one() == 0) {
                throw session.spoil(new StorageException("no account " + namespace));
            }
            return changed;
        });
    }

    private static final String BALANCE_UPDATE = """
            UPDATE accounts SET balance = balance + :delta
            WHERE namespace = :namespace AND balance + :delta < :ceiling AND balance + :delta >= :floor""";

    private static <S extends SqlStatement<S>> S bindDelta(S statement, String namespace, BigDecimal delta,
            BigDecimal floor) {
        return statement.bind("namespace", namespace)
                .bind("delta", delta)
                .bind("ceiling", AccountStore.MAX_BALANCE)
                .bind("floor", floor != null ? floor : AccountStore.MAX_BALANCE.negate());
    }

    /** Maps a row of {@link #ACCOUNT_COLUMNS}. */
    static AccountRecord account(ResultSet rs, StatementContext ctx) throws SQLException {
        return new AccountRecord(rs.getString("namespace"), rs.getString("currency"), rs.getString("status"),
                rs.getBoolean("notification"), rs.getBigDecimal("balance"), instant(rs, ctx, "created_at"));
    }
}
