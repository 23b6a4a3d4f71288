package dev.billing.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Statements of closed billing periods and their lines, immutable once stored. Statement ids are
 * unique, and so is {@code (namespace, periodStart)}: a period is stated once.
 *
 * <p>Valid only inside the unit of work whose {@link StorageSession} handed it out; not to be shared
 * between threads.
 */
public interface StatementStore {

    /**
     * Stores a statement and its lines, for an account with no ancestors.
     *
     * @throws DuplicateKeyException when the id, or {@code (namespace, periodStart)}, exists
     */
    default void insertStatement(StatementRecord statement, List<StatementLineRecord> lines) {
        insertStatement(statement, lines, List.of());
    }

    /**
     * Stores a statement and its lines, and records it under its account's ancestors at the time it
     * was made: the hierarchy totals of those ancestors count it ({@link #sumAncestorShares}), whatever
     * the hierarchy becomes later.
     *
     * @param ancestors the parent, the parent's parent, and so on; empty for a root
     * @throws DuplicateKeyException when the id, or {@code (namespace, periodStart)}, exists
     */
    void insertStatement(StatementRecord statement, List<StatementLineRecord> lines, List<String> ancestors);

    /**
     * The hierarchy share of {@code ancestor} in a period: the charge totals of the statements recorded
     * under it whose period ends within {@code (endAfter, endUpTo]}, summed by the store.
     *
     * @return the sum, zero when there are none
     */
    BigDecimal sumAncestorShares(String ancestor, Instant endAfter, Instant endUpTo);

    /** @return the namespace's statements, newest period first */
    List<StatementRecord> listStatements(String namespace);

    /** @return the statement's lines, by line number */
    List<StatementLineRecord> listStatementLines(String statementId);
}
