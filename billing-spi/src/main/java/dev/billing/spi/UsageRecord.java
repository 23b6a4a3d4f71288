package dev.billing.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One metered usage event, as ingested. Immutable, thread-safe.
 *
 * @param namespace the account
 * @param eventId the event's id, unique per namespace
 * @param offeringCode the product
 * @param chargeType what was metered
 * @param quantity how much, at least zero
 * @param occurredAt when it was used; decides its billing period
 * @param recordedAt when the engine ingested it
 */
public record UsageRecord(
        String namespace,
        String eventId,
        String offeringCode,
        String chargeType,
        BigDecimal quantity,
        Instant occurredAt,
        Instant recordedAt) {

    /** Rejects null fields. */
    public UsageRecord {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(offeringCode, "offeringCode");
        Objects.requireNonNull(chargeType, "chargeType");
        Objects.requireNonNull(quantity, "quantity");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(recordedAt, "recordedAt");
    }
}
