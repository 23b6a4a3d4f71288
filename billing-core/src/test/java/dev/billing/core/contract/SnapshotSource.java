package dev.billing.core.contract;

/**
 * A storage under test that can show everything it holds. Not part of the storage SPI: the contract
 * suites use it to prove that a refused call changed nothing, by comparing snapshots taken before and
 * after. A storage's tests wrap the storage in something that implements both {@link
 * dev.billing.spi.BillingStorage} and this (the in-memory and JDBC storages' tests read their state
 * directly).
 */
public interface SnapshotSource {

    /** @return everything the storage holds, each list in its documented order; loads every row */
    StorageSnapshot snapshot();
}
