package dev.billing.core.memory;

import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.ProfileStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The in-memory {@link ProfileStore} of one unit of work. */
final class MemoryProfiles implements ProfileStore {

    private final MemorySession session;
    private final MemoryTables t;

    MemoryProfiles(MemorySession session, MemoryTables t) {
        this.session = session;
        this.t = t;
    }

    @Override
    public void insertBillingProfile(BillingProfileRecord profile) {
        session.check();
        if (t.profiles.containsKey(profile.namespace())) {
            throw session.spoil(new DuplicateKeyException("billing profile " + profile.namespace() + " exists", null));
        }
        session.put(t.profiles, profile.namespace(), profile);
    }

    @Override
    public Optional<BillingProfileRecord> findBillingProfile(String namespace) {
        session.check();
        return Optional.ofNullable(t.profiles.get(namespace));
    }

    /** Units of work run one at a time here: reading is locking. */
    @Override
    public Optional<BillingProfileRecord> lockBillingProfile(String namespace) {
        return findBillingProfile(namespace);
    }

    @Override
    public boolean replaceBillingProfile(BillingProfileRecord next, Instant expectedPeriodStart) {
        session.check();
        BillingProfileRecord p = t.profiles.get(next.namespace());
        if (p == null || !p.periodStart().equals(expectedPeriodStart)) {
            return false;
        }
        session.put(t.profiles, next.namespace(), next);
        return true;
    }

    @Override
    public List<BillingProfileRecord> listChildren(String parent) {
        session.check();
        return t.profiles.values().stream().filter(p -> parent.equals(p.parent())).toList();
    }

    @Override
    public List<BillingProfileRecord> listPeriodsDue(Instant now, int limit) {
        session.check();
        return t.profiles.values().stream()
                .filter(p -> !p.periodEnd().isAfter(now))
                .sorted(Comparator.comparing(BillingProfileRecord::periodEnd)
                        .thenComparing(BillingProfileRecord::namespace))
                .limit(limit)
                .toList();
    }
}
