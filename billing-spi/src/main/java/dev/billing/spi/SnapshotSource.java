package dev.billing.spi;

/**
 * A storage that can show everything it holds: an optional capability, which the engine never uses. The
 * storage TCK ({@code billing-test}) compares snapshots taken before and after a refused call to prove
 * that it changed nothing, so the storage under test must offer one: implement this on the storage
 * itself (the in-memory storage does), or wrap it for its tests in something that implements both
 * {@link BillingStorage} and this (the JDBC storage's tests read its tables).
 */
public interface SnapshotSource {

    /** @return everything the storage holds, each list in its documented order; loads every row */
    StorageSnapshot snapshot();
}
