package dev.billing.core.memory;

import dev.billing.spi.CommitmentRecord;
import dev.billing.spi.RateRecord;
import dev.billing.spi.RatingStore;
import java.util.Comparator;
import java.util.List;

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
