package dev.billing.core.catalog;

import java.time.Instant;
import java.util.Objects;
import javax.money.MonetaryAmount;

/**
 * A plan of the catalog: what a checkout buys, for {@link #price()} per {@link #term()}.
 * Immutable, thread-safe.
 *
 * @param id the plan id, unique in the catalog
 * @param type the plan type, such as {@code C} or {@code normal}; the market matches it case-insensitively
 * @param level the level, such as {@code S}, or empty
 * @param name a short name, or empty
 * @param price the price per period, positive, with no more decimals than its currency allows
 * @param term how often it is billed
 * @param description free text, such as {@code 1 CPU Core, 512M Memory}
 * @param region the region that offers it
 * @param status whether it is for sale
 * @param createdAt when it entered the catalog, or {@code null} to let the engine stamp it with its clock
 */
public record Plan(
        String id,
        String type,
        String level,
        String name,
        MonetaryAmount price,
        PlanTerm term,
        String description,
        String region,
        PlanStatus status,
        Instant createdAt) {

    /** Rejects null fields (but {@code createdAt}). The engine validates values when the plan is defined. */
    public Plan {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(term, "term");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(status, "status");
    }

    /**
     * An available plan with no level or name, stamped when defined.
     *
     * @param id the plan id
     * @param type the plan type
     * @param price the price per period
     * @param term how often it is billed
     * @param description free text
     * @param region the region that offers it
     * @return the plan
     */
    public static Plan of(String id, String type, MonetaryAmount price, PlanTerm term, String description,
            String region) {
        return new Plan(id, type, "", "", price, term, description, region, PlanStatus.AVAILABLE, null);
    }

    /** @return this plan with another status */
    public Plan withStatus(PlanStatus newStatus) {
        return newStatus == status ? this
                : new Plan(id, type, level, name, price, term, description, region, newStatus, createdAt);
    }
}
