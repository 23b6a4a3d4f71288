package dev.billing.spi;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The outbox: events written in the unit of work that made them happen, so that an event exists if and
 * only if its unit of work committed, and a crash after the commit loses none.
 *
 * <p>Events are appended without a place in the order of delivery. {@link #sequenceEvents} gives the
 * committed ones their places, one unit of work at a time (a store serializes concurrent sequencing, for
 * instance by a row lock held until commit), so positions are contiguous and a reader that saw position
 * {@code n} has seen every position below it: an event committed late is placed after every event
 * already placed, never in a gap behind a reader's cursor. Event ids are unique.
 *
 * <p>Consumers (the engine's dispatcher, a host's poller) keep a cursor: the position of the last event
 * they handled, moved by compare-and-set.
 *
 * <p>The oldest placed events can be deleted ({@link #deleteEvents}), always a run from the first one
 * kept, so what is kept is still contiguous; positions are never handed out again: sequencing goes on
 * after the last position it placed, whether or not that event is kept.
 *
 * <p>Valid only inside the unit of work whose {@link StorageSession} handed it out; not to be shared
 * between threads.
 */
public interface EventStore {

    /**
     * Appends an event; its {@link EventRecord#position()} is ignored (it has none until sequenced).
     *
     * @throws DuplicateKeyException when an event with this id exists
     */
    void appendEvent(EventRecord event);

    /**
     * Places committed events without a place after the last placed one: those committed by then, in the
     * order they were appended (an event appended earlier whose unit of work commits later is placed by a
     * later sequencing, after the events placed meanwhile).
     * Of two units of work sequencing at once, the second waits for the first (or fails with
     * {@link TransientStorageException}) and places what is left.
     *
     * @param limit at most this many
     * @return how many it placed
     */
    int sequenceEvents(int limit);

    /**
     * @param namespace only this account's events, or {@code null} for every account's
     * @param afterPosition only events placed after this position; 0 for the first
     * @param limit at most this many
     * @return placed events by position
     */
    List<EventRecord> listEvents(String namespace, long afterPosition, int limit);

    /**
     * @param consumer the consumer's name
     * @return the position of the last event it handled; 0 when it has handled none
     */
    long findCursor(String consumer);

    /**
     * Moves a consumer's cursor, provided it is still at {@code expected} (compare-and-set: of two units
     * of work moving it from one position, one wins). A consumer without a cursor is at 0.
     *
     * @param consumer the consumer's name
     * @param expected the position the caller read
     * @param next the new position, above {@code expected}
     * @return whether the cursor moved
     */
    boolean moveCursor(String consumer, long expected, long next);

    /**
     * Deletes the oldest placed events: in position order from the first one kept, up to (not including)
     * the first that is placed after {@code upToPosition} or occurred at or after {@code occurredBefore}.
     * Unplaced events are never deleted.
     *
     * @param upToPosition delete nothing placed after this position
     * @param occurredBefore delete nothing that occurred at or after this instant
     * @param limit at most this many
     * @return how many it deleted
     */
    int deleteEvents(long upToPosition, Instant occurredBefore, int limit);

    /**
     * Gives a consumer a cursor at 0, unless it has one: a consumer that has handled nothing yet then holds
     * back {@link #deleteEvents} callers that keep what consumers have not handled, in every process.
     *
     * @param consumer the consumer's name
     * @return whether it created the cursor (false: the consumer had one, wherever it stands)
     */
    boolean insertCursor(String consumer);

    /** @return every consumer's cursor (the position of the last event it handled), by name */
    Map<String, Long> listCursors();

    /**
     * Forgets a consumer: its cursor is deleted, so it no longer holds back {@link #deleteEvents}
     * callers that keep what consumers have not handled.
     *
     * @param consumer the consumer's name
     * @return whether it had a cursor
     */
    boolean deleteCursor(String consumer);
}
