package dev.billing.core.memory;

import dev.billing.spi.BillingStorage;
import dev.billing.spi.SnapshotSource;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.StorageWork;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A storage that keeps everything in the heap of this process; nothing survives it.
 *
 * <p>Units of work run one at a time under a single lock, so they are serializable. A unit of
 * work that throws is undone step by step from an undo log, so it leaves no trace.
 *
 * <p>Its state lives in {@link MemoryTables}; each unit of work is a {@link MemorySession} whose areas
 * (one class per area of the storage SPI) read and write it.
 *
 * <p>It shows everything it holds ({@link SnapshotSource}), so that the storage TCK and a host's tests can
 * prove that a refused call changed nothing.
 *
 * <p>Thread-safe. Create one with {@link #create()}.
 */
public final class InMemoryStorage implements BillingStorage, SnapshotSource {

    // not fair: a fair lock hands over to a parked thread on every unlock, which costs throughput under contention
    private final ReentrantLock lock = new ReentrantLock();
    private final MemoryTables tables = new MemoryTables();

    private InMemoryStorage() {
    }

    /** @return a new, empty storage */
    public static InMemoryStorage create() {
        return new InMemoryStorage();
    }

    @Override
    public <T> T inTransaction(StorageWork<T> work) {
        lock.lock();
        try {
            MemorySession session = new MemorySession(tables);
            try {
                T result = work.run(session);
                if (session.failure() != null) {
                    throw session.failure();
                }
                return result;
            } catch (RuntimeException | Error e) {
                session.undo();
                throw e;
            } finally {
                session.close();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String describe() {
        return "in-memory storage";
    }

    /** @return everything this storage holds, read under its lock, between units of work */
    @Override
    public StorageSnapshot snapshot() {
        return read(MemorySnapshots::of);
    }

    /** Runs {@code read} on the state under the storage's lock, between units of work. */
    <T> T read(Function<MemoryTables, T> read) {
        lock.lock();
        try {
            return read.apply(tables);
        } finally {
            lock.unlock();
        }
    }
}
