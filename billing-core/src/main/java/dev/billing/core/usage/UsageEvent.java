package dev.billing.core.usage;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One metered usage event, as a host reports it. Immutable, thread-safe.
 *
 * <p>The record accepts any values, so that a batch with a malformed event can still be ingested
 * and that event reported as rejected; the engine validates every field and names the bad one.
 *
 * @param eventId the event's id, unique per namespace: a repeated id is a duplicate and is ignored
 * @param namespace the account
 * @param offeringCode the product, such as {@code DBAAS}; must be on the rate card
 * @param chargeType what was metered, such as {@code UPTIME}; must be on the rate card
 * @param quantity how much, an exact decimal of at least zero with at most 6 decimals
 * @param timestamp when the usage happened; it decides the billing period
 */
public record UsageEvent(String eventId, String namespace, String offeringCode, String chargeType,
        BigDecimal quantity, Instant timestamp) {
}
