package dev.billing.core.memory;

import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.UsageRecord;
import dev.billing.spi.UsageStore;
import dev.billing.spi.UsageSum;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/** The in-memory {@link UsageStore} of one unit of work. */
final class MemoryUsage implements UsageStore {

    private final MemorySession session;
    private final MemoryTables t;

    MemoryUsage(MemorySession session, MemoryTables t) {
        this.session = session;
        this.t = t;
    }

    @Override
    public void insertUsage(UsageRecord record) {
        session.check();
        String k = MemoryTables.key(record.namespace(), record.eventId());
        if (t.usage.containsKey(k)) {
            throw session.spoil(new DuplicateKeyException("usage event " + record.eventId() + " exists", null));
        }
        session.put(t.usage, k, record);
    }

    @Override
    public Optional<UsageRecord> findUsage(String namespace, String eventId) {
        session.check();
        return Optional.ofNullable(t.usage.get(MemoryTables.key(namespace, eventId)));
    }

    @Override
    public List<UsageSum> sumUsage(String namespace, Instant from, Instant to) {
        session.check();
        Map<String, BigDecimal> sums = new TreeMap<>();
        Map<String, Long> counts = new HashMap<>();
        for (UsageRecord u : t.usage.subMap(namespace + '\u0000', namespace + '\u0001').values()) {
            if (!u.occurredAt().isBefore(from) && u.occurredAt().isBefore(to)) {
                String k = MemoryTables.key(u.offeringCode(), u.chargeType());
                sums.merge(k, u.quantity(), BigDecimal::add);
                counts.merge(k, 1L, Long::sum);
            }
        }
        List<UsageSum> result = new ArrayList<>();
        sums.forEach((k, q) -> {
            String[] parts = k.split("\u0000", 2);
            result.add(new UsageSum(parts[0], parts[1], q, counts.get(k)));
        });
        return result;
    }

    @Override
    public List<UsageSum> findUsageTotals(String namespace, Instant start, Instant end) {
        session.check();
        MemoryTables.KeptTotals kept = t.usageTotals.getOrDefault(namespace, EMPTY).get(start);
        return kept == null || !kept.end().equals(end) ? List.of() : kept.totals();
    }

    @Override
    public void putUsageTotals(String namespace, Instant start, Instant end, List<UsageSum> totals) {
        session.check();
        NavigableMap<Instant, MemoryTables.KeptTotals> kept =
                new TreeMap<>(t.usageTotals.getOrDefault(namespace, EMPTY).tailMap(end, true));
        kept.put(start, new MemoryTables.KeptTotals(end, List.copyOf(totals)));
        session.put(t.usageTotals, namespace, Collections.unmodifiableNavigableMap(kept));
    }

    private static final NavigableMap<Instant, MemoryTables.KeptTotals> EMPTY = Collections.emptyNavigableMap();

    @Override
    public boolean anyUsageSince(String offeringCode, String chargeType, Instant from) {
        session.check();
        return t.usage.values().stream().anyMatch(u -> u.offeringCode().equals(offeringCode)
                && u.chargeType().equals(chargeType) && !u.occurredAt().isBefore(from));
    }
}
