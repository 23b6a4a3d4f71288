package dev.billing.jdbc;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit: many threads that each need "a sync that started after my commit" share one sync.
 *
 * <p>Leader/follower with generation numbers. {@code started} counts the syncs begun and
 * {@code completed} is the generation of the last sync that finished successfully; syncs run one at a
 * time, so generations start and finish in order. A caller arriving when {@code started == s} needs
 * generation {@code s + 1}: a sync running at that moment may have begun before the caller's commit.
 * While no sync runs and its generation is not complete, the caller leads: it claims the next
 * generation, runs the sync without holding the lock, publishes the result and wakes the followers.
 * Followers whose generation is covered return; the others loop, and one of them leads the next round,
 * which serves everybody who queued during the previous sync. A failed sync completes nothing: its
 * leader throws, and the waiting callers try again.
 *
 * <p>Waiting is not interruptible (the commit has happened; the caller must not return before its
 * writes are synced); an interrupt stays pending and is seen by the caller afterwards. Thread-safe.
 */
final class GroupSync {

    /** What makes every write completed before it started durable. */
    @FunctionalInterface
    interface SyncAction {
        /** Syncs, or throws. */
        void sync();
    }

    private final SyncAction action;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long started;
    private long completed;
    private boolean running;
    private long syncs;
    private int waiting;

    GroupSync(SyncAction action) {
        this.action = action;
    }

    /**
     * Returns once a sync that started after this call began has completed successfully.
     *
     * @throws RuntimeException what the sync threw, when this caller led a sync that failed
     */
    void awaitSync() {
        lock.lock();
        try {
            long needed = started + 1;
            while (completed < needed) {
                if (running) {
                    waiting++;
                    changed.awaitUninterruptibly();
                    waiting--;
                    continue;
                }
                running = true;
                long mine = ++started;
                boolean ok = false;
                lock.unlock();
                try {
                    action.sync();
                    ok = true;
                } finally {
                    lock.lock();
                    running = false;
                    if (ok) {
                        completed = mine;
                        syncs++;
                    }
                    changed.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** @return how many callers wait for a sync that runs now, for tests */
    int waiting() {
        lock.lock();
        try {
            return waiting;
        } finally {
            lock.unlock();
        }
    }

    /** @return how many syncs completed, for tests and statistics */
    long syncCount() {
        lock.lock();
        try {
            return syncs;
        } finally {
            lock.unlock();
        }
    }
}
