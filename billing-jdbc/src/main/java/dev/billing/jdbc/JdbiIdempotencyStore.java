package dev.billing.jdbc;

import static dev.billing.jdbc.JdbiSession.checkMoney;
import static dev.billing.jdbc.JdbiSession.instant;

import dev.billing.spi.IdempotencyRecord;
import dev.billing.spi.IdempotencyStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Remembered calls by idempotency key (table {@code idempotency_keys}, unique on
 * {@code (namespace, idem_key)}), in one unit of work ({@link JdbiSession}). Not thread-safe.
 */
final class JdbiIdempotencyStore implements IdempotencyStore {

    static final String IDEMPOTENCY_COLUMNS =
            "namespace, idem_key, fingerprint, transaction_id, balance, status, created_at";

    private final JdbiSession session;
    private final Handle handle;

    JdbiIdempotencyStore(JdbiSession session) {
        this.session = session;
        this.handle = session.handle();
    }

    @Override
    public Optional<IdempotencyRecord> findIdempotency(String namespace, String key) {
        return session.read("findIdempotency", () -> handle.createQuery("SELECT " + IDEMPOTENCY_COLUMNS
                        + " FROM idempotency_keys WHERE namespace = :namespace AND idem_key = :key")
                .bind("namespace", namespace)
                .bind("key", key)
                .map(JdbiIdempotencyStore::idempotency)
                .findOne());
    }

    @Override
    public void insertIdempotency(IdempotencyRecord r) {
        if (r.balance() != null) {
            session.refuse(() -> checkMoney("balance", r.balance()));
        }
        Dialect dialect = session.dialect();
        session.writeSql("insertIdempotency", c -> {
            try (PreparedStatement p = c.prepareStatement("""
                    INSERT INTO idempotency_keys (namespace, idem_key, fingerprint, transaction_id, balance, status,
                        created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                p.setString(1, r.namespace());
                p.setString(2, r.key());
                p.setString(3, r.fingerprint());
                p.setString(4, r.transactionId());
                p.setBigDecimal(5, r.balance());
                p.setString(6, r.status());
                dialect.bindInstant(p, 7, r.createdAt());
                return p.executeUpdate();
            }
        });
    }

    /** Maps a row of {@link #IDEMPOTENCY_COLUMNS}. */
    static IdempotencyRecord idempotency(ResultSet rs, StatementContext ctx) throws SQLException {
        return new IdempotencyRecord(rs.getString("namespace"), rs.getString("idem_key"), rs.getString("fingerprint"),
                rs.getString("transaction_id"), rs.getBigDecimal("balance"), rs.getString("status"),
                instant(rs, ctx, "created_at"));
    }
}
