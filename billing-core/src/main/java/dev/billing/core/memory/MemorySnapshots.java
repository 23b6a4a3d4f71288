package dev.billing.core.memory;

import dev.billing.spi.IdempotencyRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.StatementRecord;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.TransactionRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@link InMemoryStorage#snapshot()} answers: its tables as a {@link StorageSnapshot}, read under its lock. */
final class MemorySnapshots {

    private MemorySnapshots() {
    }

    static StorageSnapshot of(MemoryTables t) {
        List<TransactionRecord> txs = t.ledger.stream().map(b -> t.withRefund(b.transaction())).toList();
        List<PostingRecord> ps = new ArrayList<>();
        for (TransactionRecord tx : txs) {
            ps.addAll(t.ledger.get(Math.toIntExact(tx.seq() - 1)).postings());
        }
        Map<MemoryTables.IdemKey, IdempotencyRecord> idem = new LinkedHashMap<>();
        t.idempotency.values().stream()
                .sorted(Comparator.comparing(IdempotencyRecord::namespace).thenComparing(IdempotencyRecord::key))
                .forEach(r -> idem.put(new MemoryTables.IdemKey(r.namespace(), r.key()), r));
        return new StorageSnapshot(List.copyOf(t.regions.values()), List.copyOf(t.plans.values()),
                List.copyOf(t.accounts.values()), txs, ps, List.copyOf(t.subscriptions.values()),
                List.copyOf(idem.values()), List.copyOf(t.rates.values()), List.copyOf(t.profiles.values()),
                List.copyOf(t.usage.values()), List.copyOf(t.commitments.values()),
                t.statements.values().stream().sorted(Comparator.comparing(StatementRecord::namespace)
                        .thenComparing(StatementRecord::periodStart)).toList(),
                t.statementLines.entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .flatMap(e -> e.getValue().stream()).toList(),
                t.statementAncestors.entrySet().stream().flatMap(e -> e.getValue().stream()
                        .map(a -> new StorageSnapshot.StatementAncestor(e.getKey(), a))).toList(),
                t.usageTotals.entrySet().stream().flatMap(e -> e.getValue().entrySet().stream()
                        .flatMap(p -> p.getValue().totals().stream().map(sum -> new StorageSnapshot.UsageTotal(
                                e.getKey(), p.getKey(), p.getValue().end(), sum)))).toList(),
                List.copyOf(t.eventsById.values()),
                t.eventCursors.entrySet().stream().map(e -> new StorageSnapshot.EventCursor(e.getKey(), e.getValue()))
                        .toList(),
                List.copyOf(t.payments.values()),
                List.copyOf(t.coupons.values()),
                List.copyOf(t.planVersions.values()));
    }
}
