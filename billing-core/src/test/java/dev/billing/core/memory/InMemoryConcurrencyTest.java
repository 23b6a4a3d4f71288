package dev.billing.core.memory;

import dev.billing.core.contract.ConcurrencyContract;
import dev.billing.spi.BillingStorage;

class InMemoryConcurrencyTest extends ConcurrencyContract {

    @Override
    protected BillingStorage newStorage() {
        return MemorySnapshots.storage();
    }
}
