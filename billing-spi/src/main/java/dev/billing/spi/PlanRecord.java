package dev.billing.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored plan of the catalog. Immutable, thread-safe.
 *
 * @param id the plan id, unique in the catalog
 * @param type the plan type as defined, such as {@code C}; stores match it case-insensitively
 * @param level the level, such as {@code S}, or empty
 * @param name the name, or empty
 * @param price the price per bill period, an exact decimal
 * @param currency the ISO-4217 code of the price
 * @param billPeriod the bill period code: {@code daily}, {@code weekly}, {@code monthly}, {@code quarterly} or {@code yearly}
 * @param description free text
 * @param region the id of the region that offers the plan
 * @param status {@code available} or {@code retired}
 * @param createdAt when this version of the plan entered the catalog
 * @param version the version, from 1: a change of its price, term, description or names makes a new one
 */
public record PlanRecord(
        String id,
        String type,
        String level,
        String name,
        BigDecimal price,
        String currency,
        String billPeriod,
        String description,
        String region,
        String status,
        Instant createdAt,
        int version) {

    /** Rejects null fields. */
    public PlanRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(billPeriod, "billPeriod");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        if (version < 1) {
            throw new IllegalArgumentException("version: must be 1 or more, got " + version);
        }
    }

    /**
     * A plan at its first version.
     *
     * @param id the plan id
     * @param type the type
     * @param level the level
     * @param name the name
     * @param price the price
     * @param currency the currency code
     * @param billPeriod the bill period code
     * @param description free text
     * @param region the region
     * @param status the status
     * @param createdAt when it entered the catalog
     */
    public PlanRecord(String id, String type, String level, String name, BigDecimal price, String currency,
            String billPeriod, String description, String region, String status, Instant createdAt) {
        this(id, type, level, name, price, currency, billPeriod, description, region, status, createdAt, 1);
    }
}
