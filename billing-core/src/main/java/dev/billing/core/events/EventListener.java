package dev.billing.core.events;

/**
 * Receives events after the unit of work that wrote them committed ({@link Events#subscribe}). Called
 * on the thread that dispatches (the caller whose call wrote the event, or {@link Events#dispatch()}),
 * one event at a time, in order of position; never for work that rolled back. At least once: after a
 * crash, or when the listener throws, an event is delivered again, so a listener deduplicates by
 * {@link Event#id()} and should be quick (hand slow work to an executor of its own).
 */
@FunctionalInterface
public interface EventListener {

    /**
     * @param event what happened
     * @throws RuntimeException to have this event, and the ones after it, delivered again by the next dispatch
     */
    void onEvent(Event event);
}
