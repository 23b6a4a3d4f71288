package dev.billing.core.events;

import dev.billing.core.BillingEngine;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.internal.Checks;
import dev.billing.core.internal.EngineContext;
import dev.billing.core.internal.UnitOfWork;
import dev.billing.spi.EventRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Events for the host, from the outbox: delivered to listeners after the unit of work that wrote them
 * committed, or polled. Reached through {@link BillingEngine#events()}.
 *
 * <p><b>Listeners</b> subscribe under a consumer name; the outbox keeps each consumer's cursor (the
 * position of the last event delivered to it), so delivery survives restarts and crashes: an event
 * committed just before the process died is delivered by the next dispatch after it starts again. The
 * engine dispatches right after each call that wrote events commits, on the calling thread (so the call
 * returns after its listeners ran) or, when the engine was built with an
 * {@linkplain BillingEngine.Builder#eventExecutor event executor}, on that executor (the call returns at
 * once); and in {@link BillingEngine#runDue()}; a host may call {@link #dispatch()} itself. Several engines (threads,
 * processes) sharing a storage and a consumer name share its cursor: each event is delivered by one of
 * them, and by two only when they race on it. Delivery is at least once, in position order per consumer;
 * a listener that throws gets the event again at the next dispatch, and its consumer waits until then.
 *
 * <pre>{@code
 * engine.events().subscribe("mailer", event -> {
 *     if (event.type() == EventType.SUBSCRIPTION_RENEWAL_FAILED && seen.add(event.id())) {
 *         mail.send(event.namespace(), "Your renewal failed: please recharge");
 *     }
 * });
 * }</pre>
 *
 * <p><b>Polling</b> ({@link #poll}) reads the outbox after a position the host keeps, instead of
 * listening: positions have no gaps, and an event that commits late gets a position after every
 * position already handed out, so a poller never skips one.
 *
 * <p><b>Retention</b>: the outbox keeps every event until the host {@linkplain #prune prunes} it (or
 * builds the engine with an {@linkplain BillingEngine.Builder#eventRetention event retention}); pruning
 * deletes only what every consumer has handled.
 *
 * <p>Thread-safe.
 */
public final class Events {

    private static final System.Logger LOG = System.getLogger(Events.class.getName());
    /** Events placed and delivered per round trip. */
    private static final int BATCH = 100;
    /** Events deleted per unit of work by {@link #prune}. */
    private static final int PRUNE_BATCH = 1000;
    /** The most events one poll answers. */
    public static final int MAX_POLL = 1000;

    private final UnitOfWork work;
    private final Map<String, EventListener> listeners = new ConcurrentHashMap<>();
    private final ReentrantLock dispatching = new ReentrantLock();
    private final AtomicBoolean again = new AtomicBoolean();

    /**
     * Made by the engine; hosts reach it through {@link BillingEngine#events()}.
     *
     * @param context the engine's internals (not API)
     */
    public Events(EngineContext context) {
        this(context, null);
    }

    /**
     * Made by the engine; hosts reach it through {@link BillingEngine#events()}.
     *
     * @param context the engine's internals (not API)
     * @param delivery where listeners are called after a commit, or {@code null} for the committing thread
     */
    public Events(EngineContext context, Executor delivery) {
        this.work = context.work();
        context.outbox().afterCommit(delivery == null ? this::dispatchQuietly : () -> handOff(delivery));
    }

    /** After a commit, with a delivery executor: the dispatch runs there; the committing call goes on. */
    private void handOff(Executor delivery) {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            delivery.execute(this::dispatchQuietly);
        } catch (RejectedExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "the event delivery executor refused a dispatch; the next"
                    + " dispatch (runDue) delivers the events", e);
        }
    }

    /**
     * Delivers events to {@code listener} under the consumer name {@code consumer}, from the first event
     * that consumer has not handled (all of them, for a new name), starting with the next dispatch.
     *
     * @param consumer the consumer's name, kept with its cursor in the storage (at most 64 characters, no
     *     control characters, no leading or trailing white space)
     * @param listener receives the events
     * @return the subscription; closing it stops delivery (the cursor stays, and holds back {@link #prune}
     *     until the consumer is {@linkplain #forget forgotten})
     * @throws InvalidRequestException when the name is malformed
     * @throws dev.billing.core.BillingStorageException when the storage failed storing its cursor
     * @throws IllegalStateException when this engine has a listener under this name already
     */
    public AutoCloseable subscribe(String consumer, EventListener listener) {
        Checks.token("consumer", consumer, Checks.MAX_NAMESPACE);
        java.util.Objects.requireNonNull(listener, "listener");
        if (listeners.putIfAbsent(consumer, listener) != null) {
            throw new IllegalStateException("a listener is subscribed as " + consumer + " already");
        }
        try {
            // stored at once, so that pruning in any process keeps what this consumer has not had
            work.transact(s -> s.events().insertCursor(consumer));
        } catch (RuntimeException e) {
            listeners.remove(consumer, listener);
            throw e;
        }
        return () -> listeners.remove(consumer, listener);
    }

    /**
     * Delivers every committed event each subscribed consumer has not handled yet. Returns once no
     * events are left, or a listener threw (its consumer waits for the next dispatch). When another
     * thread of this engine is dispatching, returns at once: that thread delivers what this one would.
     *
     * @return how many deliveries this call made
     * @throws dev.billing.core.BillingStorageException when the storage failed
     */
    public int dispatch() {
        int delivered = 0;
        again.set(true);
        while (again.get() && !listeners.isEmpty()) {
            if (dispatching.isHeldByCurrentThread() || !dispatching.tryLock()) {
                // the holder loops once more: it sees `again` (also when a listener's own call wrote events:
                // delivery stays one event at a time, never nested)
                return delivered;
            }
            try {
                again.set(false);
                while (work.transact(s -> s.events().sequenceEvents(BATCH)) == BATCH) {
                    // more were waiting: place them all before delivering
                }
                for (Map.Entry<String, EventListener> l : listeners.entrySet()) {
                    delivered += drain(l.getKey(), l.getValue());
                }
            } finally {
                dispatching.unlock();
            }
        }
        return delivered;
    }

    /** After a commit: a failure to deliver never fails the call whose work committed. */
    private void dispatchQuietly() {
        try {
            dispatch();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "dispatching events failed; the next dispatch retries", e);
        }
    }

    /** @return the deliveries made to one consumer */
    private int drain(String consumer, EventListener listener) {
        int delivered = 0;
        long cursor = work.transact(s -> s.events().findCursor(consumer));
        while (true) {
            long after = cursor;
            List<EventRecord> page = work.transact(s -> s.events().listEvents(null, after, BATCH));
            if (page.isEmpty()) {
                return delivered;
            }
            long last = after;
            RuntimeException failed = null;
            for (EventRecord e : page) {
                Event event = viewOrNull(e);
                if (event == null) {
                    last = e.position(); // a type this engine does not know (written by a newer one): skipped
                    continue;
                }
                try {
                    listener.onEvent(event);
                } catch (RuntimeException ex) {
                    failed = ex;
                    LOG.log(System.Logger.Level.WARNING, "listener " + consumer + " failed on event " + e.id()
                            + " (" + e.type() + "); it is delivered again by the next dispatch", ex);
                    break;
                }
                delivered++;
                last = e.position();
            }
            long next = last;
            boolean moved = next == after || work.transact(s -> s.events().moveCursor(consumer, after, next));
            if (failed != null) {
                return delivered;
            }
            // moved: carry on from here; not moved: another engine delivered meanwhile, carry on from its cursor
            cursor = moved ? next : work.transact(s -> s.events().findCursor(consumer));
        }
    }

    /**
     * Reads the outbox after a position: the events committed so far, in order, without gaps. The host
     * keeps the cursor (the answer's {@link EventPage#cursor()}) and polls after it next time.
     *
     * @param namespace only this account's events, or {@code null} for every account's
     * @param after the position of the last event the host has; 0 for the first
     * @param limit at most this many, 1 to {@value #MAX_POLL}
     * @return the page
     * @throws InvalidRequestException when a field is malformed
     */
    public EventPage poll(String namespace, long after, int limit) {
        if (namespace != null) {
            Checks.namespace(namespace);
        }
        if (after < 0) {
            throw InvalidRequestException.of("after", "must not be negative");
        }
        if (limit < 1 || limit > MAX_POLL) {
            throw InvalidRequestException.of("limit", "must be between 1 and " + MAX_POLL);
        }
        while (work.transact(s -> s.events().sequenceEvents(BATCH)) == BATCH) {
            // place everything committed so far
        }
        List<Event> events = new ArrayList<>();
        List<EventRecord> page = work.transact(s -> s.events().listEvents(namespace, after, limit));
        for (EventRecord e : page) {
            Event event = viewOrNull(e);
            if (event != null) {
                events.add(event);
            }
        }
        return new EventPage(events, page.isEmpty() ? after : page.get(page.size() - 1).position());
    }

    /**
     * Deletes the oldest events, those that occurred before {@code before}, as a host does to keep the
     * outbox from growing for ever ({@link BillingEngine.Builder#eventRetention} has {@link
     * BillingEngine#runDue()} do it). Nothing a consumer has not handled is deleted: only events at or
     * before the lowest cursor of every consumer (a listener's is stored when it subscribes, in whichever
     * process), in position order, stopping at the first that is too recent. A
     * consumer no longer in use holds events back until it is {@linkplain #forget forgotten}. A poller
     * must poll more often than the events are kept: what was deleted is gone for it.
     *
     * @param before delete only events that occurred before this instant
     * @return how many it deleted
     * @throws dev.billing.core.BillingStorageException when the storage failed
     */
    public int prune(Instant before) {
        java.util.Objects.requireNonNull(before, "before");
        int deleted = 0;
        while (true) {
            int n = work.transact(s -> {
                long upTo = Long.MAX_VALUE;
                // every listener's cursor is among them: subscribing stores it
                for (long cursor : s.events().listCursors().values()) {
                    upTo = Math.min(upTo, cursor);
                }
                return s.events().deleteEvents(upTo, before, PRUNE_BATCH);
            });
            deleted += n;
            if (n < PRUNE_BATCH) {
                return deleted;
            }
        }
    }

    /**
     * @return each consumer's cursor (the position of the last event it handled), by name: how far each
     *     lags behind the newest event, and which hold back {@link #prune}
     * @throws dev.billing.core.BillingStorageException when the storage failed
     */
    public Map<String, Long> cursors() {
        Map<String, Long> cursors = work.transact(s -> s.events().listCursors());
        return java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(cursors));
    }

    /**
     * Forgets a consumer that is no longer used: its cursor is deleted, so it no longer holds events back
     * from {@link #prune}. Subscribing under its name again starts from the oldest event kept.
     *
     * @param consumer the consumer's name
     * @return whether it had a cursor
     * @throws InvalidRequestException when the name is malformed
     * @throws IllegalStateException when a listener is subscribed to this engine under that name
     */
    public boolean forget(String consumer) {
        Checks.token("consumer", consumer, Checks.MAX_NAMESPACE);
        if (listeners.containsKey(consumer)) {
            throw new IllegalStateException("a listener is subscribed as " + consumer + ": close its subscription first");
        }
        return work.transact(s -> s.events().deleteCursor(consumer));
    }

    /** @return the event, or {@code null} (logged) for a type this engine does not know */
    private static Event viewOrNull(EventRecord e) {
        EventType type;
        try {
            type = EventType.ofCode(e.type());
        } catch (IllegalArgumentException unknown) {
            LOG.log(System.Logger.Level.WARNING, "event " + e.id() + " has type " + e.type()
                    + ", which this engine does not know (a newer one wrote it): skipped");
            return null;
        }
        return new Event(e.position(), e.id(), type, e.namespace(), e.subject(), e.occurredAt(), e.data());
    }
}
