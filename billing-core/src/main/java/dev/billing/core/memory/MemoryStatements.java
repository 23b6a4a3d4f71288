package dev.billing.core.memory;

import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.StatementLineRecord;
import dev.billing.spi.StatementRecord;
import dev.billing.spi.StatementStore;
import dev.billing.spi.StorageException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The in-memory {@link StatementStore} of one unit of work. */
final class MemoryStatements implements StatementStore {

    private final MemorySession session;
    private final MemoryTables t;

    MemoryStatements(MemorySession session, MemoryTables t) {
        this.session = session;
        this.t = t;
    }

    @Override
    public void insertStatement(StatementRecord statement, List<StatementLineRecord> lines, List<String> ancestors) {
        session.check();
        if (t.statements.containsKey(statement.id())) {
            throw session.spoil(new DuplicateKeyException("statement " + statement.id() + " exists", null));
        }
        Map<Instant, String> own = t.statementsByNamespace.computeIfAbsent(statement.namespace(), ns -> new HashMap<>());
        if (own.containsKey(statement.periodStart())) {
            throw session.spoil(new DuplicateKeyException("namespace " + statement.namespace() + " has a statement for the period from "
                    + statement.periodStart(), null));
        }
        session.put(t.statements, statement.id(), statement);
        session.put(own, statement.periodStart(), statement.id());
        for (StatementLineRecord l : lines) {
            if (!l.statementId().equals(statement.id())) {
                throw session.spoil(new StorageException("line of " + l.statementId() + " in statement " + statement.id()));
            }
        }
        List<StatementLineRecord> sorted = new ArrayList<>(lines);
        sorted.sort(Comparator.comparingInt(StatementLineRecord::lineNo));
        session.put(t.statementLines, statement.id(), List.copyOf(sorted));
        if (!ancestors.isEmpty()) {
            session.put(t.statementAncestors, statement.id(), List.copyOf(ancestors));
            for (String a : ancestors) {
                List<String> under = t.statementsByAncestor.computeIfAbsent(a, k -> new ArrayList<>());
                under.add(statement.id());
                session.onUndo(() -> under.remove(under.size() - 1));
            }
        }
    }

    @Override
    public BigDecimal sumAncestorShares(String ancestor, Instant endAfter, Instant endUpTo) {
        session.check();
        return t.statementsByAncestor.getOrDefault(ancestor, List.of()).stream()
                .map(t.statements::get)
                .filter(st -> st.periodEnd().isAfter(endAfter) && !st.periodEnd().isAfter(endUpTo))
                .map(StatementRecord::chargeTotal)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    @Override
    public List<StatementRecord> listStatements(String namespace) {
        session.check();
        return t.statementsByNamespace.getOrDefault(namespace, Map.of()).values().stream()
                .map(t.statements::get)
                .sorted(Comparator.comparing(StatementRecord::periodStart).reversed())
                .toList();
    }

    @Override
    public List<StatementLineRecord> listStatementLines(String statementId) {
        session.check();
        return t.statementLines.getOrDefault(statementId, List.of());
    }
}
