package dev.billing.core.memory;

import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.EventRecord;
import dev.billing.spi.EventStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The in-memory {@link EventStore} of one unit of work. Units of work run one at a time under the
 * storage's lock, so every event a sequencing unit of work finds without a place has committed (or is
 * its own).
 */
final class MemoryEvents implements EventStore {

    private final MemorySession session;
    private final MemoryTables t;

    MemoryEvents(MemorySession session, MemoryTables t) {
        this.session = session;
        this.t = t;
    }

    @Override
    public void appendEvent(EventRecord event) {
        session.check();
        if (t.eventsById.containsKey(event.id())) {
            throw session.spoil(new DuplicateKeyException("event " + event.id() + " exists", null));
        }
        EventRecord unplaced = event.at(0);
        session.put(t.eventsById, unplaced.id(), unplaced);
        t.unplacedEvents.addLast(unplaced.id());
        session.onUndo(t.unplacedEvents::removeLast);
    }

    @Override
    public int sequenceEvents(int limit) {
        session.check();
        int placed = 0;
        while (placed < limit && !t.unplacedEvents.isEmpty()) {
            String id = t.unplacedEvents.removeFirst();
            session.onUndo(() -> t.unplacedEvents.addFirst(id));
            EventRecord event = t.eventsById.get(id).at(t.deletedEvents + t.placedEvents.size() + 1L);
            t.placedEvents.add(event);
            session.onUndo(() -> t.placedEvents.remove(t.placedEvents.size() - 1));
            List<EventRecord> own = t.placedEventsByNamespace.computeIfAbsent(event.namespace(), n -> new ArrayList<>());
            own.add(event);
            session.onUndo(() -> own.remove(own.size() - 1));
            session.put(t.eventsById, id, event);
            placed++;
        }
        return placed;
    }

    @Override
    public List<EventRecord> listEvents(String namespace, long afterPosition, int limit) {
        session.check();
        List<EventRecord> page = new ArrayList<>();
        if (namespace == null) {
            for (long i = Math.max(afterPosition - t.deletedEvents, 0); i < t.placedEvents.size() && page.size() < limit; i++) {
                page.add(t.placedEvents.get(Math.toIntExact(i)));
            }
            return page;
        }
        List<EventRecord> own = t.placedEventsByNamespace.getOrDefault(namespace, List.of());
        // the first of the account's events placed after afterPosition, by binary search on position
        int lo = 0;
        int hi = own.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (own.get(mid).position() <= afterPosition) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        for (int i = lo; i < own.size() && page.size() < limit; i++) {
            page.add(own.get(i));
        }
        return page;
    }

    @Override
    public long findCursor(String consumer) {
        session.check();
        return t.eventCursors.getOrDefault(consumer, 0L);
    }

    @Override
    public boolean moveCursor(String consumer, long expected, long next) {
        session.check();
        if (next <= expected) {
            throw new IllegalArgumentException("next: must be above " + expected + ", got " + next);
        }
        if (t.eventCursors.getOrDefault(consumer, 0L) != expected) {
            return false;
        }
        session.put(t.eventCursors, consumer, next);
        return true;
    }

    @Override
    public int deleteEvents(long upToPosition, Instant occurredBefore, int limit) {
        session.check();
        int n = 0;
        while (n < limit && n < t.placedEvents.size()) {
            EventRecord e = t.placedEvents.get(n);
            if (e.position() > upToPosition || !e.occurredAt().isBefore(occurredBefore)) {
                break;
            }
            n++;
        }
        if (n == 0) {
            return 0;
        }
        List<EventRecord> deleted = new ArrayList<>(t.placedEvents.subList(0, n));
        t.placedEvents.subList(0, n).clear();
        t.deletedEvents += n;
        int count = n;
        session.onUndo(() -> {
            t.placedEvents.addAll(0, deleted);
            t.deletedEvents -= count;
        });
        for (EventRecord e : deleted) {
            EventRecord old = t.eventsById.remove(e.id());
            session.onUndo(() -> t.eventsById.put(e.id(), old));
            // the oldest placed events go first: each is the first of its account's
            List<EventRecord> own = t.placedEventsByNamespace.get(e.namespace());
            own.remove(0);
            session.onUndo(() -> own.add(0, e));
        }
        return n;
    }

    @Override
    public boolean insertCursor(String consumer) {
        session.check();
        if (t.eventCursors.containsKey(consumer)) {
            return false;
        }
        session.put(t.eventCursors, consumer, 0L);
        return true;
    }

    @Override
    public Map<String, Long> listCursors() {
        session.check();
        return Map.copyOf(t.eventCursors);
    }

    @Override
    public boolean deleteCursor(String consumer) {
        session.check();
        Long old = t.eventCursors.remove(consumer);
        if (old == null) {
            return false;
        }
        session.onUndo(() -> t.eventCursors.put(consumer, old));
        return true;
    }
}
