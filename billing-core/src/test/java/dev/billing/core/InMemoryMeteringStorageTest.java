package dev.billing.core;

import dev.billing.core.contract.MeteringStorageContract;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;

/** The {@link MeteringStorageContract} on the in-memory storage. */
class InMemoryMeteringStorageTest extends MeteringStorageContract {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
