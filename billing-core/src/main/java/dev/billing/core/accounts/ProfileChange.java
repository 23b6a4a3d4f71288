package dev.billing.core.accounts;

import java.time.Period;
import java.time.ZoneId;

/**
 * Changes to an account's billing profile that {@link Accounts#changeProfile}
 * applies together, in one unit of work: all of them or, when one is refused, none. Start from
 * {@link #none()} and add what changes; whatever is not added stays as it is. Immutable, thread-safe.
 *
 * @param kind the new kind, or {@code null} to keep it
 * @param changesParent whether {@code parent} is to be set
 * @param parent the new parent's namespace, or {@code null} to make the account a root (when
 *     {@code changesParent})
 * @param cycle the new billing cycle length, or {@code null} to keep it
 * @param zone the zone of the new cycle, or {@code null} to keep the account's
 */
public record ProfileChange(AccountKind kind, boolean changesParent, String parent, Period cycle, ZoneId zone) {

    private static final ProfileChange NONE = new ProfileChange(null, false, null, null, null);

    /** @throws IllegalArgumentException when a parent is given without {@code changesParent} */
    public ProfileChange {
        if (!changesParent && parent != null) {
            throw new IllegalArgumentException("parent " + parent + " given, but changesParent is false");
        }
    }

    /** @return a change that changes nothing */
    public static ProfileChange none() {
        return NONE;
    }

    /**
     * @param newKind the kind
     * @return this change, also setting the kind
     */
    public ProfileChange withKind(AccountKind newKind) {
        return new ProfileChange(newKind, changesParent, parent, cycle, zone);
    }

    /**
     * @param newParent the parent's namespace, or {@code null} for a root
     * @return this change, also setting the parent
     */
    public ProfileChange withParent(String newParent) {
        return new ProfileChange(kind, true, newParent, cycle, zone);
    }

    /**
     * @param newCycle the cycle length, or {@code null} to keep the account's
     * @param newZone the cycle's zone, or {@code null} to keep the account's
     * @return this change, also changing the billing cycle from the next period on
     */
    public ProfileChange withCycle(Period newCycle, ZoneId newZone) {
        return new ProfileChange(kind, changesParent, parent, newCycle, newZone);
    }

    /** @return whether the billing cycle or its zone is to change */
    public boolean changesCycle() {
        return cycle != null || zone != null;
    }
}
