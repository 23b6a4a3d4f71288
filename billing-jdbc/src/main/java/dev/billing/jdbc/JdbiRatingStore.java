package dev.billing.jdbc;

import static dev.billing.jdbc.JdbiSession.PERCENT_PRECISION;
import static dev.billing.jdbc.JdbiSession.PERCENT_SCALE;
import static dev.billing.jdbc.JdbiSession.RATE_PRECISION;
import static dev.billing.jdbc.JdbiSession.RATE_SCALE;
import static dev.billing.jdbc.JdbiSession.checkDecimal;
import static dev.billing.jdbc.JdbiSession.checkMoney;
import static dev.billing.jdbc.JdbiSession.checkQuantity;
import static dev.billing.jdbc.JdbiSession.instant;
import static dev.billing.jdbc.JdbiSession.sorted;
import static dev.billing.jdbc.JdbiSession.timestamp;

import dev.billing.spi.CommitmentRecord;
import dev.billing.spi.RateRecord;
import dev.billing.spi.RatingStore;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.Update;

/**
 * The rate card (tables {@code rates} and {@code rate_tiers}) and commitments (table
 * {@code commitments}), in one unit of work ({@link JdbiSession}). A put is an {@code UPDATE}, then an
 * {@code INSERT} when no row had the key. Not thread-safe.
 */
final class JdbiRatingStore implements RatingStore {

    static final String COMMITMENT_COLUMNS = "namespace, id, percent_off, threshold, currency, end_date";

    private static final Comparator<RateRecord> RATE_ORDER = Comparator.comparing(RateRecord::offeringCode)
            .thenComparing(RateRecord::chargeType).thenComparing(RateRecord::effectiveFrom);

    private final JdbiSession session;
    private final Handle handle;

    JdbiRatingStore(JdbiSession session) {
        this.session = session;
        this.handle = session.handle();
    }

    /** Updates the rate row (or inserts it when missing), then replaces all its tiers. */
    @Override
    public void putRate(RateRecord rate) {
        session.refuse(() -> checkQuantity("includedQuantity", rate.includedQuantity()));
        for (RateRecord.TierRecord tier : rate.tiers()) {
            if (tier.upTo() != null) {
                session.refuse(() -> checkQuantity("tier upTo", tier.upTo()));
            }
            session.refuse(() -> checkDecimal("tier unitRate", tier.unitRate(), RATE_PRECISION, RATE_SCALE));
        }
        session.write("putRate", () -> {
            int n = bindRateKey(handle.createUpdate("""
                    UPDATE rates SET unit_of_measure = :unitOfMeasure, currency = :currency,
                        included_quantity = :includedQuantity
                    WHERE offering_code = :offeringCode AND charge_type = :chargeType
                        AND effective_from = :effectiveFrom"""), rate)
                    .bind("unitOfMeasure", rate.unitOfMeasure())
                    .bind("currency", rate.currency())
                    .bind("includedQuantity", rate.includedQuantity())
                    .execute();
            if (n == 0) {
                bindRateKey(handle.createUpdate("""
                        INSERT INTO rates (offering_code, charge_type, effective_from, unit_of_measure, currency,
                            included_quantity)
                        VALUES (:offeringCode, :chargeType, :effectiveFrom, :unitOfMeasure, :currency,
                            :includedQuantity)"""), rate)
                        .bind("unitOfMeasure", rate.unitOfMeasure())
                        .bind("currency", rate.currency())
                        .bind("includedQuantity", rate.includedQuantity())
                        .execute();
            } else {
                bindRateKey(handle.createUpdate("""
                        DELETE FROM rate_tiers
                        WHERE offering_code = :offeringCode AND charge_type = :chargeType
                            AND effective_from = :effectiveFrom"""), rate)
                        .execute();
            }
            if (!rate.tiers().isEmpty()) {
                PreparedBatch batch = handle.prepareBatch("""
                        INSERT INTO rate_tiers (offering_code, charge_type, effective_from, tier_no, up_to, unit_rate)
                        VALUES (:offeringCode, :chargeType, :effectiveFrom, :tierNo, :upTo, :unitRate)""");
                for (int i = 0; i < rate.tiers().size(); i++) {
                    RateRecord.TierRecord tier = rate.tiers().get(i);
                    batch.bind("offeringCode", rate.offeringCode())
                            .bind("chargeType", rate.chargeType())
                            .bind("effectiveFrom", rate.effectiveFrom())
                            .bind("tierNo", i)
                            .bindByType("upTo", tier.upTo(), BigDecimal.class)
                            .bind("unitRate", tier.unitRate())
                            .add();
                }
                batch.execute();
            }
            return null;
        });
    }

    private static Update bindRateKey(Update u, RateRecord rate) {
        return u.bind("offeringCode", rate.offeringCode())
                .bind("chargeType", rate.chargeType())
                .bind("effectiveFrom", rate.effectiveFrom());
    }

    @Override
    public List<RateRecord> listRates(String offeringCode, String chargeType) {
        return session.read("listRates", () -> rates(handle, offeringCode, chargeType));
    }

    /**
     * Rates with their tiers in one query (a rate without tiers has one row of NULL tier columns). Runs
     * unwrapped: the caller runs it inside {@link JdbiSession#read}.
     *
     * @param handle the unit of work's handle
     * @param offeringCode the product, or {@code null} for every product
     * @param chargeType the charge type, or {@code null} for every charge type
     * @return the matching rates, by offering code, charge type, then effective date
     */
    static List<RateRecord> rates(Handle handle, String offeringCode, String chargeType) {
        StringBuilder sql = new StringBuilder("""
                SELECT r.offering_code, r.charge_type, r.effective_from, r.unit_of_measure, r.currency,
                       r.included_quantity, t.tier_no, t.up_to, t.unit_rate
                FROM rates r LEFT JOIN rate_tiers t ON t.offering_code = r.offering_code
                    AND t.charge_type = r.charge_type AND t.effective_from = r.effective_from
                WHERE 1 = 1""");
        if (offeringCode != null) {
            sql.append(" AND r.offering_code = :offeringCode");
        }
        if (chargeType != null) {
            sql.append(" AND r.charge_type = :chargeType");
        }
        sql.append(" ORDER BY r.offering_code, r.charge_type, r.effective_from, t.tier_no");
        Query q = handle.createQuery(sql.toString());
        if (offeringCode != null) {
            q.bind("offeringCode", offeringCode);
        }
        if (chargeType != null) {
            q.bind("chargeType", chargeType);
        }
        Map<RateKey, List<RateRow>> byKey = new LinkedHashMap<>();
        q.map(JdbiRatingStore::rateRow).forEach(row -> byKey.computeIfAbsent(row.key(), k -> new ArrayList<>()).add(row));
        List<RateRecord> rates = new ArrayList<>();
        for (List<RateRow> rows : byKey.values()) {
            RateRecord head = rows.get(0).head();
            List<RateRecord.TierRecord> tiers = rows.stream()
                    .filter(r -> r.tier() != null)
                    .sorted(Comparator.comparingInt(RateRow::tierNo))
                    .map(RateRow::tier)
                    .toList();
            rates.add(new RateRecord(head.offeringCode(), head.chargeType(), head.effectiveFrom(),
                    head.unitOfMeasure(), head.currency(), head.includedQuantity(), tiers));
        }
        return sorted(rates, RATE_ORDER);
    }

    /** The key of a rate. */
    private record RateKey(String offeringCode, String chargeType, LocalDate effectiveFrom) {
    }

    /**
     * One row of a rate joined with one of its tiers.
     *
     * @param head the rate, without tiers
     * @param tierNo the tier's position, or -1 for a rate without tiers
     * @param tier the tier, or {@code null} for a rate without tiers
     */
    private record RateRow(RateRecord head, int tierNo, RateRecord.TierRecord tier) {
        RateKey key() {
            return new RateKey(head.offeringCode(), head.chargeType(), head.effectiveFrom());
        }
    }

    private static RateRow rateRow(ResultSet rs, StatementContext ctx) throws SQLException {
        RateRecord head = new RateRecord(rs.getString("offering_code"), rs.getString("charge_type"),
                rs.getObject("effective_from", LocalDate.class), rs.getString("unit_of_measure"),
                rs.getString("currency"), rs.getBigDecimal("included_quantity"), List.of());
        int tierNo = rs.getInt("tier_no");
        if (rs.wasNull()) {
            return new RateRow(head, -1, null);
        }
        return new RateRow(head, tierNo, new RateRecord.TierRecord(rs.getBigDecimal("up_to"),
                rs.getBigDecimal("unit_rate")));
    }

    @Override
    public void putCommitment(CommitmentRecord c) {
        session.refuse(() -> checkDecimal("percentOff", c.percentOff(), PERCENT_PRECISION, PERCENT_SCALE));
        session.refuse(() -> checkMoney("threshold", c.threshold()));
        session.write("putCommitment", () -> {
            int n = bindCommitment(handle.createUpdate("""
                    UPDATE commitments SET percent_off = :percentOff, threshold = :threshold, currency = :currency,
                        end_date = :endDate
                    WHERE namespace = :namespace AND id = :id"""), c).execute();
            if (n == 0) {
                bindCommitment(handle.createUpdate("""
                        INSERT INTO commitments (namespace, id, percent_off, threshold, currency, end_date)
                        VALUES (:namespace, :id, :percentOff, :threshold, :currency, :endDate)"""), c).execute();
            }
            return null;
        });
    }

    private static Update bindCommitment(Update u, CommitmentRecord c) {
        return u.bind("namespace", c.namespace())
                .bind("id", c.id())
                .bind("percentOff", c.percentOff())
                .bind("threshold", c.threshold())
                .bind("currency", c.currency())
                .bind("endDate", timestamp(c.endDate()));
    }

    @Override
    public List<CommitmentRecord> listCommitments(String namespace) {
        return session.read("listCommitments", () -> sorted(handle.createQuery(
                        "SELECT " + COMMITMENT_COLUMNS + " FROM commitments WHERE namespace = :namespace ORDER BY id")
                .bind("namespace", namespace)
                .map(JdbiRatingStore::commitment)
                .list(), Comparator.comparing(CommitmentRecord::id)));
    }

    /** Maps a row of {@link #COMMITMENT_COLUMNS}. */
    static CommitmentRecord commitment(ResultSet rs, StatementContext ctx) throws SQLException {
        return new CommitmentRecord(rs.getString("namespace"), rs.getString("id"), rs.getBigDecimal("percent_off"),
                rs.getBigDecimal("threshold"), rs.getString("currency"), instant(rs, ctx, "end_date"));
    }
}
