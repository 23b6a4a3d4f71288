package dev.billing.core;

import dev.billing.core.contract.StorageContract;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;

class InMemoryStorageTest extends StorageContract {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
