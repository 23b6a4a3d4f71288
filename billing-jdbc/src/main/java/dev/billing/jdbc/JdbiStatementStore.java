package dev.billing.jdbc;

import static dev.billing.jdbc.JdbiSession.RATE_PRECISION;
import static dev.billing.jdbc.JdbiSession.RATE_SCALE;
import static dev.billing.jdbc.JdbiSession.checkDecimal;
import static dev.billing.jdbc.JdbiSession.checkMoney;
import static dev.billing.jdbc.JdbiSession.checkQuantity;
import static dev.billing.jdbc.JdbiSession.instant;
import static dev.billing.jdbc.JdbiSession.nullableTimestamp;
import static dev.billing.jdbc.JdbiSession.sorted;
import static dev.billing.jdbc.JdbiSession.timestamp;

import dev.billing.spi.StatementLineRecord;
import dev.billing.spi.StatementRecord;
import dev.billing.spi.StatementStore;
import dev.billing.spi.StorageException;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Statements, their lines and the ancestors they are recorded under (tables {@code statements},
 * {@code statement_lines} and {@code statement_ancestors}), in one unit of work ({@link JdbiSession}).
 * Hierarchy shares are summed by the database. Not thread-safe.
 */
final class JdbiStatementStore implements StatementStore {

    static final String STATEMENT_COLUMNS = """
            id, namespace, period_start, period_end, currency, charge_sub_total, discount_total, charge_total,
            charge_hierarchy_total, total, transaction_id, created_at""";
    static final String STATEMENT_LINE_COLUMNS = """
            statement_id, line_no, offering_code, charge_type, category, quantity, unit_of_measure, rate, amount,
            end_date, charge_details, charge_description""";

    private final JdbiSession session;
    private final Handle handle;

    JdbiStatementStore(JdbiSession session) {
        this.session = session;
        this.handle = session.handle();
    }

    /**
     * Refuses, before writing, lines of another statement, repeated line numbers and amounts the
     * columns would round; then inserts the statement and its lines.
     */
    @Override
    public void insertStatement(StatementRecord st, List<StatementLineRecord> lines, List<String> ancestors) {
        session.refuse(() -> checkMoney("chargeSubTotal", st.chargeSubTotal()));
        session.refuse(() -> checkMoney("discountTotal", st.discountTotal()));
        session.refuse(() -> checkMoney("chargeTotal", st.chargeTotal()));
        session.refuse(() -> checkMoney("chargeHierarchyTotal", st.chargeHierarchyTotal()));
        session.refuse(() -> checkMoney("total", st.total()));
        Set<Integer> lineNos = new HashSet<>();
        for (StatementLineRecord line : lines) {
            if (!line.statementId().equals(st.id())) {
                throw session.spoil(new StorageException("line of statement " + line.statementId() + " in statement "
                        + st.id()));
            }
            if (!lineNos.add(line.lineNo())) {
                throw session.spoil(new StorageException("statement " + st.id() + " has two lines numbered "
                        + line.lineNo()));
            }
            session.refuse(() -> checkQuantity("line quantity", line.quantity()));
            session.refuse(() -> checkDecimal("line rate", line.rate(), RATE_PRECISION, RATE_SCALE));
            session.refuse(() -> checkMoney("line amount", line.amount()));
        }
        session.write("insertStatement", () -> {
            handle.createUpdate("""
                    INSERT INTO statements (id, namespace, period_start, period_end, currency, charge_sub_total,
                        discount_total, charge_total, charge_hierarchy_total, total, transaction_id, created_at)
                    VALUES (:id, :namespace, :periodStart, :periodEnd, :currency, :chargeSubTotal,
                        :discountTotal, :chargeTotal, :chargeHierarchyTotal, :total, :transactionId, :createdAt)""")
                    .bind("id", st.id())
                    .bind("namespace", st.namespace())
                    .bind("periodStart", timestamp(st.periodStart()))
                    .bind("periodEnd", timestamp(st.periodEnd()))
                    .bind("currency", st.currency())
                    .bind("chargeSubTotal", st.chargeSubTotal())
                    .bind("discountTotal", st.discountTotal())
                    .bind("chargeTotal", st.chargeTotal())
                    .bind("chargeHierarchyTotal", st.chargeHierarchyTotal())
                    .bind("total", st.total())
                    .bindByType("transactionId", st.transactionId(), String.class)
                    .bind("createdAt", timestamp(st.createdAt()))
                    .execute();
            if (!lines.isEmpty()) {
                PreparedBatch batch = handle.prepareBatch("""
                        INSERT INTO statement_lines (statement_id, line_no, offering_code, charge_type, category,
                            quantity, unit_of_measure, rate, amount, end_date, charge_details, charge_description)
                        VALUES (:statementId, :lineNo, :offeringCode, :chargeType, :category,
                            :quantity, :unitOfMeasure, :rate, :amount, :endDate, :chargeDetails, :chargeDescription)""");
                for (StatementLineRecord line : lines) {
                    batch.bind("statementId", line.statementId())
                            .bind("lineNo", line.lineNo())
                            .bindByType("offeringCode", line.offeringCode(), String.class)
                            .bind("chargeType", line.chargeType())
                            .bind("category", line.category())
                            .bind("quantity", line.quantity())
                            .bind("unitOfMeasure", line.unitOfMeasure())
                            .bind("rate", line.rate())
                            .bind("amount", line.amount())
                            .bind("endDate", nullableTimestamp(line.endDate()))
                            .bindByType("chargeDetails", line.chargeDetails(), String.class)
                            .bindByType("chargeDescription", line.chargeDescription(), String.class)
                            .add();
                }
                batch.execute();
            }
            if (!ancestors.isEmpty()) {
                PreparedBatch batch = handle.prepareBatch(
                        "INSERT INTO statement_ancestors (ancestor, statement_id) VALUES (:ancestor, :statementId)");
                for (String ancestor : ancestors) {
                    batch.bind("ancestor", ancestor).bind("statementId", st.id()).add();
                }
                batch.execute();
            }
            return null;
        });
    }

    /** Summed by the database over the {@code (ancestor, statement_id)} key; no statement is loaded. */
    @Override
    public BigDecimal sumAncestorShares(String ancestor, Instant endAfter, Instant endUpTo) {
        return session.read("sumAncestorShares", () -> handle.createQuery("""
                        SELECT COALESCE(SUM(s.charge_total), 0) FROM statement_ancestors a
                        JOIN statements s ON s.id = a.statement_id
                        WHERE a.ancestor = :ancestor AND s.period_end > :endAfter AND s.period_end <= :endUpTo""")
                .bind("ancestor", ancestor)
                .bind("endAfter", timestamp(endAfter))
                .bind("endUpTo", timestamp(endUpTo))
                .mapTo(BigDecimal.class)
                .one());
    }

    @Override
    public List<StatementRecord> listStatements(String namespace) {
        return session.read("listStatements", () -> sorted(handle.createQuery("SELECT " + STATEMENT_COLUMNS
                        + " FROM statements WHERE namespace = :namespace ORDER BY period_start DESC")
                .bind("namespace", namespace)
                .map(JdbiStatementStore::statement)
                .list(), Comparator.comparing(StatementRecord::periodStart).reversed()));
    }

    @Override
    public List<StatementLineRecord> listStatementLines(String statementId) {
        return session.read("listStatementLines", () -> handle.createQuery("SELECT " + STATEMENT_LINE_COLUMNS
                        + " FROM statement_lines WHERE statement_id = :statementId ORDER BY line_no")
                .bind("statementId", statementId)
                .map(JdbiStatementStore::statementLine)
                .list());
    }

    /** Maps a row of {@link #STATEMENT_COLUMNS}. */
    static StatementRecord statement(ResultSet rs, StatementContext ctx) throws SQLException {
        return new StatementRecord(rs.getString("id"), rs.getString("namespace"), instant(rs, ctx, "period_start"),
                instant(rs, ctx, "period_end"), rs.getString("currency"), rs.getBigDecimal("charge_sub_total"),
                rs.getBigDecimal("discount_total"), rs.getBigDecimal("charge_total"),
                rs.getBigDecimal("charge_hierarchy_total"), rs.getBigDecimal("total"), rs.getString("transaction_id"),
                instant(rs, ctx, "created_at"));
    }

    /** Maps a row of {@link #STATEMENT_LINE_COLUMNS}. */
    static StatementLineRecord statementLine(ResultSet rs, StatementContext ctx) throws SQLException {
        return new StatementLineRecord(rs.getString("statement_id"), rs.getInt("line_no"),
                rs.getString("offering_code"), rs.getString("charge_type"), rs.getString("category"),
                rs.getBigDecimal("quantity"), rs.getString("unit_of_measure"), rs.getBigDecimal("rate"),
                rs.getBigDecimal("amount"), instant(rs, ctx, "end_date"), rs.getString("charge_details"),
                rs.getString("charge_description"));
    }
}
