package dev.billing.core.memory;

import dev.billing.spi.CommitmentRecord;
import dev.billing.spi.RateRecord;
import dev.billing.spi.RatingStore;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/** The in-memory {@link RatingStore} of one unit of work. */
final class MemoryRating implements RatingStore {

    private final MemorySession session;
    private final MemoryTables t;

    MemoryRating(MemorySession session, MemoryTables t) {
        this.session = session;
        this.t = t;
    }

    @Override
    public void putRate(RateRecord rate) {
        session.check();
        session.put(t.rates, MemoryTables.key(rate.offeringCode(), rate.chargeType(), rate.effectiveFrom().toString()), rate);
    }

    @Override
    public List<RateRecord> listRates(String offeringCode, String chargeType) {
        session.check();
        return t.rates.values().stream()
                .filter(r -> offeringCode == null || r.offeringCode().equals(offeringCode))
                .filter(r -> chargeType == null || r.chargeType().equals(chargeType))
                .sorted(Comparator.comparing(RateRecord::offeringCode).thenComparing(RateRecord::chargeType)
                        .thenComparing(RateRecord::effectiveFrom))
                .toList();
    }

    @Override
    public void putCommitment(CommitmentRecord commitment) {
        session.check();
        session.put(t.commitments, MemoryTables.key(commitment.namespace(), commitment.id()), commitment);
    }

    @Override
    public List<CommitmentRecord> listCommitments(String namespace) {
        session.check();
        return List.copyOf(t.commitments.subMap(namespace + '\u0000', namespace + '\u0001').values());
    }
}
