package dev.billing.core.catalog;

import java.util.Objects;

/**
 * A plan with the number of the version it is at, read together. Immutable, thread-safe.
 *
 * @param version from 1: every change of what the plan sells made a new one
 * @param plan the plan as it stands at that version (its status included: retiring makes no version)
 */
public record PlanVersion(int version, Plan plan) {

    /** Rejects a null plan. */
    public PlanVersion {
        Objects.requireNonNull(plan, "plan");
    }
}
