package dev.billing.core;

import dev.billing.core.contract.FaultContract;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;

class InMemoryFaultTest extends FaultContract {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
