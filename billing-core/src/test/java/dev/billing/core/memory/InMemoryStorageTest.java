package dev.billing.core.memory;

import dev.billing.core.contract.StorageContract;
import dev.billing.spi.BillingStorage;

class InMemoryStorageTest extends StorageContract {

    @Override
    protected BillingStorage newStorage() {
        return MemorySnapshots.storage();
    }
}
