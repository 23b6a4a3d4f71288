package dev.billing.jdbc;

import static dev.billing.jdbc.JdbiSession.checkMoney;
import static dev.billing.jdbc.JdbiSession.instant;
import static dev.billing.jdbc.JdbiSession.nullableTimestamp;
import static dev.billing.jdbc.JdbiSession.sorted;
import static dev.billing.jdbc.JdbiSession.timestamp;

import dev.billing.spi.PaymentRecord;
import dev.billing.spi.PaymentStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Payments through providers (table {@code payments}, unique on {@code (provider, provider_ref)}), in one
 * unit of work ({@link JdbiSession}). Settling is one conditional {@code UPDATE ... WHERE status =
 * 'pending'}: the database locks the row and re-evaluates the condition on the newest committed state,
 * so of a confirmation and a failure racing, one updates a row. Not thread-safe.
 */
final class JdbiPaymentStore implements PaymentStore {

    static final String PAYMENT_COLUMNS = "id, namespace, provider, provider_ref, amount, currency, status, created_at,"
            + " expires_at, settled_at, transaction_id, reason";

    private final JdbiSession session;
    private final Handle handle;

    JdbiPaymentStore(JdbiSession session) {
        this.session = session;
        this.handle = session.handle();
    }

    @Override
    public void insertPayment(PaymentRecord p) {
        session.refuse(() -> checkMoney("amount", p.amount()));
        session.write("insertPayment", () -> handle.createUpdate("INSERT INTO payments (" + PAYMENT_COLUMNS + """
                ) VALUES (:id, :namespace, :provider, :providerRef, :amount, :currency, :status, :createdAt, :expiresAt,
                    :settledAt, :transactionId, :reason)""")
                .bind("id", p.id())
                .bind("namespace", p.namespace())
                .bind("provider", p.provider())
                .bind("providerRef", p.providerRef())
                .bind("amount", p.amount())
                .bind("currency", p.currency())
                .bind("status", p.status())
                .bind("createdAt", timestamp(p.createdAt()))
                .bind("expiresAt", timestamp(p.expiresAt()))
                .bind("settledAt", nullableTimestamp(p.settledAt()))
                .bindByType("transactionId", p.transactionId(), String.class)
                .bindByType("reason", p.reason(), String.class)
                .execute());
    }

    @Override
    public Optional<PaymentRecord> findPayment(String provider, String providerRef) {
        return session.read("findPayment", () -> handle.createQuery("SELECT " + PAYMENT_COLUMNS
                        + " FROM payments WHERE provider = :provider AND provider_ref = :providerRef")
                .bind("provider", provider)
                .bind("providerRef", providerRef)
                .map(JdbiPaymentStore::payment)
                .findOne());
    }

    @Override
    public boolean settlePayment(PaymentRecord settled) {
        return session.write("settlePayment", () -> handle.createUpdate("""
                UPDATE payments SET status = :status, settled_at = :settledAt, transaction_id = :transactionId,
                    reason = :reason
                WHERE id = :id AND status = 'pending'""")
                .bind("id", settled.id())
                .bind("status", settled.status())
                .bind("settledAt", nullableTimestamp(settled.settledAt()))
                .bindByType("transactionId", settled.transactionId(), String.class)
                .bindByType("reason", settled.reason(), String.class)
                .execute()) == 1;
    }

    @Override
    public List<PaymentRecord> listPayments(String namespace) {
        return session.read("listPayments", () -> sorted(handle.createQuery("SELECT " + PAYMENT_COLUMNS
                        + " FROM payments WHERE namespace = :namespace ORDER BY created_at, id")
                .bind("namespace", namespace)
                .map(JdbiPaymentStore::payment)
                .list(), Comparator.comparing(PaymentRecord::createdAt).thenComparing(PaymentRecord::id)));
    }

    @Override
    public List<PaymentRecord> listPaymentsExpired(Instant now, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        return session.read("listPaymentsExpired", () -> sorted(handle.createQuery("SELECT " + PAYMENT_COLUMNS + """
                         FROM payments WHERE status = 'pending' AND expires_at <= :now
                        ORDER BY expires_at, id FETCH FIRST :limit ROWS ONLY""")
                .bind("now", timestamp(now))
                .bind("limit", limit)
                .map(JdbiPaymentStore::payment)
                .list(), Comparator.comparing(PaymentRecord::expiresAt).thenComparing(PaymentRecord::id)));
    }

    /** Maps a row of {@link #PAYMENT_COLUMNS}. */
    static PaymentRecord payment(ResultSet rs, StatementContext ctx) throws SQLException {
        return new PaymentRecord(rs.getString("id"), rs.getString("namespace"), rs.getString("provider"),
                rs.getString("provider_ref"), rs.getBigDecimal("amount"), rs.getString("currency"), rs.getString("status"),
                instant(rs, ctx, "created_at"), instant(rs, ctx, "expires_at"), instant(rs, ctx, "settled_at"),
                rs.getString("transaction_id"), rs.getString("reason"));
    }
}
