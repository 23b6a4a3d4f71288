package dev.billing.tck.memory;

import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;
import dev.billing.tck.EventStoreContract;

class InMemoryEventStoreTest extends EventStoreContract {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
