package dev.billing.core.memory;

import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.ProfileStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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
        write(profile);
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
        write(next);
        return true;
    }

    @Override
    public List<BillingProfileRecord> listChildren(String parent) {
        session.check();
        Set<String> children = t.childrenByParent.get(parent);
        return children == null ? List.of() : children.stream().map(t.profiles::get).toList();
    }

    @Override
    public List<BillingProfileRecord> listPeriodsDue(Instant now, int limit) {
        session.check();
        List<BillingProfileRecord> due = new ArrayList<>();
        for (BillingProfileRecord p : t.profilesByPeriodEnd) {
            if (p.periodEnd().isAfter(now) || due.size() >= limit) {
                break;
            }
            due.add(p);
        }
        return due;
    }

    /** Writes a profile and the indexes that find it by parent and by period end, undoably. */
    private void write(BillingProfileRecord next) {
        BillingProfileRecord old = t.profiles.get(next.namespace());
        session.put(t.profiles, next.namespace(), next);
        unindex(old);
        index(next);
        session.onUndo(() -> {
            unindex(next);
            index(old);
        });
    }

    private void index(BillingProfileRecord p) {
        if (p != null) {
            t.profilesByPeriodEnd.add(p);
            if (p.parent() != null) {
                t.childrenByParent.computeIfAbsent(p.parent(), k -> new TreeSet<>()).add(p.namespace());
            }
        }
    }

    private void unindex(BillingProfileRecord p) {
        if (p != null) {
            t.profilesByPeriodEnd.remove(p);
            if (p.parent() != null) {
                t.childrenByParent.getOrDefault(p.parent(), new TreeSet<>()).remove(p.namespace());
            }
        }
    }
}
