package dev.billing.spi;

import java.util.Objects;

/**
 * A stored region. Immutable, thread-safe.
 *
 * @param id the region's identification, such as {@code cn-north-1}
 * @param description free text in any script, such as {@code 铸造一区}
 * @param status {@code available} or {@code unavailable}
 */
public record RegionRecord(String id, String description, String status) {

    /** Rejects null fields. */
    public RegionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(status, "status");
    }
}
