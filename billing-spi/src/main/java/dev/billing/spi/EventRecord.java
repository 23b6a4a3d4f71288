package dev.billing.spi;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An event of the outbox: something that happened to an account, written in the unit of work that made
 * it happen and delivered to the host after that unit of work committed. Immutable, thread-safe.
 *
 * @param position the place in the order of delivery, from 1, without gaps, assigned by
 *     {@link EventStore#sequenceEvents} after the event committed; {@code 0} until then (and when appending)
 * @param id the event's id, unique: what a host deduplicates deliveries by
 * @param type the event's type code, such as {@code subscription.renewed}
 * @param namespace the account it concerns
 * @param subject the id of what it is about (a subscription, a payment's reference, a statement), or the namespace
 * @param occurredAt when it happened, by the engine's clock
 * @param data its attributes as text (amounts as plain decimals, instants as ISO-8601), by name
 */
public record EventRecord(
        long position,
        String id,
        String type,
        String namespace,
        String subject,
        Instant occurredAt,
        SortedMap<String, String> data) {

    /** Rejects null fields and a negative position; copies the data. */
    public EventRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(data, "data");
        if (position < 0) {
            throw new IllegalArgumentException("position: must not be negative, got " + position);
        }
        data = Collections.unmodifiableSortedMap(new TreeMap<>(data));
    }

    /**
     * An event to append: not yet in the order of delivery.
     *
     * @param id the event's id
     * @param type the type code
     * @param namespace the account
     * @param subject what it is about
     * @param occurredAt when
     * @param data its attributes
     */
    public EventRecord(String id, String type, String namespace, String subject, Instant occurredAt,
            Map<String, String> data) {
        this(0, id, type, namespace, subject, occurredAt, new TreeMap<>(data));
    }

    /**
     * @param newPosition the place in the order of delivery
     * @return this event at that place
     */
    public EventRecord at(long newPosition) {
        return new EventRecord(newPosition, id, type, namespace, subject, occurredAt, data);
    }
}
