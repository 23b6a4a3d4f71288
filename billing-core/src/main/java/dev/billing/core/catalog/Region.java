package dev.billing.core.catalog;

import java.util.Objects;

/**
 * A region where plans are offered. Immutable, thread-safe.
 *
 * @param id the identification, such as {@code cn-north-1}: 1 to 64 characters, no spaces or control characters
 * @param description free text in any script, such as {@code 铸造一区}
 * @param status whether it takes new checkouts
 */
public record Region(String id, String description, RegionStatus status) {

    /** Rejects null fields. The engine validates the id's form when the region is defined. */
    public Region {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(status, "status");
    }

    /**
     * @param id the identification
     * @param description free text
     * @return an available region
     */
    public static Region available(String id, String description) {
        return new Region(id, description, RegionStatus.AVAILABLE);
    }
}
