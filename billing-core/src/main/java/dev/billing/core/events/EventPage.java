package dev.billing.core.events;

import java.util.List;

/**
 * A page of a poll of the outbox ({@link Events#poll}). Immutable, thread-safe.
 *
 * @param events by position
 * @param cursor the position to poll after next: the last event's, or the request's when the page is empty
 */
public record EventPage(List<Event> events, long cursor) {

    /** Copies the list. */
    public EventPage {
        events = List.copyOf(events);
    }
}
