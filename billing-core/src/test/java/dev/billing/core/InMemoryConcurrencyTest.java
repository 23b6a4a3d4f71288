package dev.billing.core;

import dev.billing.core.contract.ConcurrencyContract;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;

class InMemoryConcurrencyTest extends ConcurrencyContract {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
