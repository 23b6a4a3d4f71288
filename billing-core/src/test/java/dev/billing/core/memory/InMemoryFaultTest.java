package dev.billing.core.memory;

import dev.billing.core.contract.FaultContract;
import dev.billing.spi.BillingStorage;

class InMemoryFaultTest extends FaultContract {

    @Override
    protected BillingStorage newStorage() {
        return MemorySnapshots.storage();
    }
}
