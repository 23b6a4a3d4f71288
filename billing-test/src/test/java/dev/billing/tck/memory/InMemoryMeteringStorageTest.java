package dev.billing.tck.memory;

import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;
import dev.billing.tck.MeteringStorageContract;

/** The {@link MeteringStorageContract} on the in-memory storage. */
class InMemoryMeteringStorageTest extends MeteringStorageContract {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
