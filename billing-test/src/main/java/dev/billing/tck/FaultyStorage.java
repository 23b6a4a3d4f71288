package dev.billing.tck;

import dev.billing.spi.BillingStorage;
import dev.billing.spi.SnapshotSource;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageSession;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.StorageWork;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A storage that fails on purpose: armed with {@link #failAtWrite(int) failAtWrite(n)}, the n-th
 * write from then on (counted across units of work) throws a non-transient {@link StorageException}
 * after the n - 1 writes before it went through, then the storage is disarmed. Tests use it to prove
 * that a unit of work failing half-way leaves nothing behind. Writes are the calls whose
 * {@link StorageCall#write()} is true (puts, inserts, updates, balance changes, appends, replaces).
 * Meant for one test thread at a time.
 */
public final class FaultyStorage implements BillingStorage, SnapshotSource {

    /** The failure it injects. */
    public static final class InjectedFault extends StorageException {
        private static final long serialVersionUID = 1L;

        InjectedFault(String message) {
            super(message);
        }
    }

    private final BillingStorage delegate;
    private volatile int failAt;
    private final AtomicInteger writes = new AtomicInteger();
    private final AtomicInteger injected = new AtomicInteger();

    /** @param delegate the storage whose calls may be made to fail */
    public FaultyStorage(BillingStorage delegate) {
        this.delegate = delegate;
    }

    /** Arms the storage to fail at the {@code n}-th write from now (1-based); 0 disarms it. */
    public void failAtWrite(int n) {
        writes.set(0);
        failAt = n;
    }

    /** @return how many faults were injected so far */
    public int injected() {
        return injected.get();
    }

    @Override
    public <T> T inTransaction(StorageWork<T> work) {
        if (failAt == 0) {
            return delegate.inTransaction(work);
        }
        return delegate.inTransaction(session -> work.run(faulty(session)));
    }

    private StorageSession faulty(StorageSession session) {
        return new ForwardingSession(session, call -> {
            int armed = failAt;
            if (armed > 0 && call.write() && writes.incrementAndGet() == armed) {
                failAt = 0;
                injected.incrementAndGet();
                throw new InjectedFault("injected fault at write " + armed + " (" + call.method() + ")");
            }
        });
    }

    /** The snapshot of the storage it wraps, which must be a {@link SnapshotSource}. */
    @Override
    public StorageSnapshot snapshot() {
        return StorageSnapshot.of(delegate);
    }

    @Override
    public String describe() {
        return "faulty " + delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
