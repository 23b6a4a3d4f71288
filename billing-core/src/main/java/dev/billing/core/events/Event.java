package dev.billing.core.events;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Something that happened to an account, as the host receives it (from a listener or a poll). Written
 * in the unit of work that made it happen, so it exists exactly when that work committed; delivered at
 * least once, so a host deduplicates by {@link #id()}. Immutable, thread-safe.
 *
 * @param position its place in the order of delivery, from 1, without gaps: the cursor of a poll
 * @param id unique: deliveries of one event carry the same id
 * @param type what happened
 * @param namespace the account
 * @param subject the id of what it is about: a subscription, a provider's reference, a coupon code, a
 *     statement, or the namespace (see each {@link EventType})
 * @param occurredAt when it happened, by the engine's clock
 * @param data the type's attributes, by name, as text: amounts as plain decimals at the currency's
 *     scale, instants as ISO-8601 UTC
 */
public record Event(long position, String id, EventType type, String namespace, String subject, Instant occurredAt,
        Map<String, String> data) {

    /** Rejects nulls; copies the data. */
    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(occurredAt, "occurredAt");
        data = Map.copyOf(data);
    }

    /**
     * @param name an attribute's name
     * @return its value
     * @throws IllegalArgumentException when the event has no such attribute
     */
    public String get(String name) {
        String value = data.get(name);
        if (value == null) {
            throw new IllegalArgumentException(type.code() + " event " + id + " has no attribute " + name
                    + " (it has " + new java.util.TreeSet<>(data.keySet()) + ")");
        }
        return value;
    }
}
