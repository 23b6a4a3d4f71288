package dev.billing.tck.memory;

import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;
import dev.billing.tck.FaultContract;

class InMemoryFaultTest extends FaultContract {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
