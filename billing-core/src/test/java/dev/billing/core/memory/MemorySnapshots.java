package dev.billing.core.memory;

import dev.billing.core.contract.SnapshotSource;
import dev.billing.core.contract.SnapshottingStorage;
import dev.billing.core.contract.StorageSnapshot;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.IdempotencyRecord;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.StatementRecord;
import dev.billing.spi.TransactionRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Snapshots of an {@link InMemoryStorage}, read from its tables under its lock: the test kit's view of it. */
public final class MemorySnapshots {

    private MemorySnapshots() {
    }

    /** @return a new, empty in-memory storage that is also a {@link SnapshotSource} */
    public static BillingStorage storage() {
        return snapshotting(InMemoryStorage.create());
    }

    /** @return {@code storage}, also as a {@link SnapshotSource} */
    public static BillingStorage snapshotting(InMemoryStorage storage) {
        return SnapshottingStorage.of(storage, () -> of(storage));
    }

    /** @return everything {@code storage} holds, each list in its documented order */
    public static StorageSnapshot of(InMemoryStorage storage) {
        return storage.read(MemorySnapshots::of);
    }

    private static StorageSnapshot of(MemoryTables t) {
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
                                e.getKey(), p.getKey(), p.getValue().end(), sum)))).toList());
    }
}
