package dev.billing.tck;

import dev.billing.spi.BillingStorage;
import dev.billing.spi.SnapshotSource;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.StorageWork;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A storage under test that shows its state: it runs every unit of work on the storage it wraps, and
 * takes its snapshots with the function its test kit gives. Thread-safe as the storage it wraps.
 */
public final class SnapshottingStorage implements BillingStorage, SnapshotSource {

    private final BillingStorage storage;
    private final Supplier<StorageSnapshot> snapshots;

    private SnapshottingStorage(BillingStorage storage, Supplier<StorageSnapshot> snapshots) {
        this.storage = storage;
        this.snapshots = snapshots;
    }

    /**
     * @param storage the storage under test
     * @param snapshots reads everything {@code storage} holds
     * @return the storage, as a {@link SnapshotSource}
     */
    public static SnapshottingStorage of(BillingStorage storage, Supplier<StorageSnapshot> snapshots) {
        return new SnapshottingStorage(Objects.requireNonNull(storage, "storage"), Objects.requireNonNull(snapshots,
                "snapshots"));
    }

    /** @return the storage under test */
    public BillingStorage storage() {
        return storage;
    }

    @Override
    public <T> T inTransaction(StorageWork<T> work) {
        return storage.inTransaction(work);
    }

    @Override
    public String describe() {
        return storage.describe();
    }

    @Override
    public void close() {
        storage.close();
    }

    @Override
    public StorageSnapshot snapshot() {
        return snapshots.get();
    }
}
