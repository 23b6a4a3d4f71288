package dev.billing.core.memory;

import dev.billing.core.contract.MeteringStorageContract;
import dev.billing.spi.BillingStorage;

/** The {@link MeteringStorageContract} on the in-memory storage. */
class InMemoryMeteringStorageTest extends MeteringStorageContract {

    @Override
    protected BillingStorage newStorage() {
        return MemorySnapshots.storage();
    }
}
