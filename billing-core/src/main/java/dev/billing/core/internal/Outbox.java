package dev.billing.core.internal;

import dev.billing.core.IdGenerator;
import dev.billing.core.events.EventType;
import dev.billing.spi.EventRecord;
import dev.billing.spi.StorageSession;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes events to the outbox in the unit of work that made them happen, and tells the dispatcher when
 * a unit of work that wrote some committed ({@link UnitOfWork#transact} calls {@link #attemptStarting}
 * and {@link #committed}). Thread-safe. Not API.
 */
public final class Outbox {

    private final Clock clock;
    private final IdGenerator ids;
    /** Whether the current thread's unit of work appended an event. */
    private final ThreadLocal<boolean[]> appended = ThreadLocal.withInitial(() -> new boolean[1]);
    private volatile Runnable afterCommit = () -> { };

    /**
     * @param clock stamps events
     * @param ids makes their ids
     */
    public Outbox(Clock clock, IdGenerator ids) {
        this.clock = clock;
        this.ids = ids;
    }

    /**
     * Appends an event in the unit of work of {@code s}.
     *
     * @param s the unit of work
     * @param type what happened
     * @param namespace the account
     * @param subject what it is about
     * @param data attributes, by name (none null)
     */
    public void record(StorageSession s, EventType type, String namespace, String subject, Map<String, String> data) {
        s.events().appendEvent(new EventRecord(ids.next(), type.code(), namespace, subject, clock.instant(),
                new TreeMap<>(data)));
        appended.get()[0] = true;
    }

    /** @param dispatcher what runs after a unit of work that appended events committed */
    public void afterCommit(Runnable dispatcher) {
        this.afterCommit = dispatcher;
    }

    /** An attempt at a unit of work starts on this thread: it has appended nothing yet. */
    void attemptStarting() {
        appended.get()[0] = false;
    }

    /** The unit of work of this thread committed: dispatch, when it appended events. */
    void committed() {
        boolean[] flag = appended.get();
        if (flag[0]) {
            flag[0] = false;
            afterCommit.run();
        }
    }
}
