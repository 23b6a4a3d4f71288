package dev.billing.test;

import dev.billing.core.events.Event;
import dev.billing.core.events.EventListener;
import dev.billing.core.events.EventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.opentest4j.AssertionFailedError;

/**
 * A listener that keeps every event delivered to it, for a test to assert on: what a host's listener
 * would have received, in order. {@link BillingFixture#events()} is one, subscribed to its engine as
 * {@value BillingFixture#EVENT_CONSUMER}; a test may subscribe its own to any engine with
 * {@code engine.events().subscribe("test", capture)}.
 *
 * <pre>{@code
 * fixture.engine().subscriptions().checkout("acme", "c-small", "cn-north-1", "k1");
 * fixture.events().assertTypes(EventType.SUBSCRIPTION_CREATED);
 * Event created = fixture.events().last(EventType.SUBSCRIPTION_CREATED);
 * }</pre>
 *
 * <p>Thread-safe. Deliveries of an event already kept (a redelivery, same id) are counted in
 * {@link #redeliveries()} and not kept twice.
 */
public final class EventCapture implements EventListener {

    private final List<Event> events = new ArrayList<>();
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private int redeliveries;

    /** An empty capture, to subscribe to an engine. */
    public EventCapture() {
    }

    @Override
    public synchronized void onEvent(Event event) {
        if (ids.add(event.id())) {
            events.add(event);
        } else {
            redeliveries++;
        }
    }

    /** @return every event kept so far, in order of delivery */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** @return their types, in order */
    public synchronized List<EventType> types() {
        return events.stream().map(Event::type).toList();
    }

    /**
     * @param type a type
     * @return the events of that type, in order
     */
    public synchronized List<Event> ofType(EventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    /**
     * @param type a type
     * @return the last event of that type
     * @throws AssertionFailedError when there is none
     */
    public synchronized Event last(EventType type) {
        List<Event> of = ofType(type);
        if (of.isEmpty()) {
            throw new AssertionFailedError("no " + type + " event was delivered; delivered: " + types());
        }
        return of.get(of.size() - 1);
    }

    /** @return how many deliveries repeated an event kept already */
    public synchronized int redeliveries() {
        return redeliveries;
    }

    /** Forgets every event kept so far (their ids too). */
    public synchronized void clear() {
        events.clear();
        ids.clear();
        redeliveries = 0;
    }

    /**
     * Asserts the types of the events kept so far, in order, then forgets them, so that the next
     * assertion is about what happens next.
     *
     * @param expected the types, in order of delivery
     * @throws AssertionFailedError showing both lists when they differ
     */
    public synchronized void assertTypes(EventType... expected) {
        List<EventType> actual = types();
        if (!actual.equals(List.of(expected))) {
            throw new AssertionFailedError("events delivered differ: expected " + List.of(expected) + " but got " + actual,
                    List.of(expected), actual);
        }
        clear();
    }
}
