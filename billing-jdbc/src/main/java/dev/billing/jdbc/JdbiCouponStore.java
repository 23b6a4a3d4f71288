package dev.billing.jdbc;

import static dev.billing.jdbc.JdbiSession.checkMoney;
import static dev.billing.jdbc.JdbiSession.instant;
import static dev.billing.jdbc.JdbiSession.nullableTimestamp;
import static dev.billing.jdbc.JdbiSession.sorted;
import static dev.billing.jdbc.JdbiSession.timestamp;

import dev.billing.spi.CouponRecord;
import dev.billing.spi.CouponStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Coupons (table {@code coupons}, primary key {@code code}), in one unit of work ({@link JdbiSession}).
 * Redeeming and revoking are one conditional {@code UPDATE ... WHERE status = 'available'}: the
 * database locks the row and re-evaluates the condition on the newest committed state, so of many
 * concurrent redemptions of a code one updates a row. Not thread-safe.
 */
final class JdbiCouponStore implements CouponStore {

    static final String COUPON_COLUMNS = "code, batch_id, batch_index, amount, currency, status, created_at, expires_at, redeemed_by,"
            + " settled_at, transaction_id";

    private final JdbiSession session;
    private final Handle handle;

    JdbiCouponStore(JdbiSession session) {
        this.session = session;
        this.handle = session.handle();
    }

    @Override
    public void insertCoupons(List<CouponRecord> coupons) {
        if (coupons.isEmpty()) {
            return;
        }
        session.refuse(() -> coupons.forEach(c -> checkMoney("amount", c.amount())));
        session.write("insertCoupons", () -> {
            PreparedBatch batch = handle.prepareBatch("INSERT INTO coupons (" + COUPON_COLUMNS + """
                    ) VALUES (:code, :batchId, :batchIndex, :amount, :currency, :status, :createdAt, :expiresAt, :redeemedBy,
                        :settledAt, :transactionId)""");
            for (CouponRecord c : coupons) {
                batch.bind("code", c.code())
                        .bind("batchId", c.batchId())
                        .bind("batchIndex", c.batchIndex())
                        .bind("amount", c.amount())
                        .bind("currency", c.currency())
                        .bind("status", c.status())
                        .bind("createdAt", timestamp(c.createdAt()))
                        .bind("expiresAt", timestamp(c.expiresAt()))
                        .bindByType("redeemedBy", c.redeemedBy(), String.class)
                        .bind("settledAt", nullableTimestamp(c.settledAt()))
                        .bindByType("transactionId", c.transactionId(), String.class)
                        .add();
            }
            return batch.execute();
        });
    }

    @Override
    public Optional<CouponRecord> findCoupon(String code) {
        return session.read("findCoupon", () -> handle.createQuery("SELECT " + COUPON_COLUMNS
                        + " FROM coupons WHERE code = :code")
                .bind("code", code)
                .map(JdbiCouponStore::coupon)
                .findOne());
    }

    @Override
    public boolean settleCoupon(CouponRecord settled) {
        boolean redeeming = settled.status().equals("redeemed");
        return session.write("settleCoupon", () -> handle.createUpdate("""
                UPDATE coupons SET status = :status, redeemed_by = :redeemedBy, settled_at = :settledAt,
                    transaction_id = :transactionId
                WHERE code = :code AND status = 'available'"""
                        + (redeeming ? " AND expires_at > :settledAt" : ""))
                .bind("code", settled.code())
                .bind("status", settled.status())
                .bindByType("redeemedBy", settled.redeemedBy(), String.class)
                .bind("settledAt", nullableTimestamp(settled.settledAt()))
                .bindByType("transactionId", settled.transactionId(), String.class)
                .execute()) == 1;
    }

    @Override
    public List<CouponRecord> listCoupons(String batchId) {
        return session.read("listCoupons", () -> sorted(handle.createQuery("SELECT " + COUPON_COLUMNS
                        + " FROM coupons WHERE batch_id = :batchId ORDER BY code")
                .bind("batchId", batchId)
                .map(JdbiCouponStore::coupon)
                .list(), Comparator.comparing(CouponRecord::code)));
    }

    /** Maps a row of {@link #COUPON_COLUMNS}. */
    static CouponRecord coupon(ResultSet rs, StatementContext ctx) throws SQLException {
        return new CouponRecord(rs.getString("code"), rs.getString("batch_id"), rs.getInt("batch_index"),
                rs.getBigDecimal("amount"),
                rs.getString("currency"), rs.getString("status"), instant(rs, ctx, "created_at"),
                instant(rs, ctx, "expires_at"), rs.getString("redeemed_by"), instant(rs, ctx, "settled_at"),
                rs.getString("transaction_id"));
    }
}
