package dev.billing.tck.memory;

import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;
import dev.billing.tck.ClosingContract;

class InMemoryClosingTest extends ClosingContract {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
