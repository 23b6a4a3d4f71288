package dev.billing.tck.memory;

import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;
import dev.billing.tck.LimitsContract;

/** The limits contract on the in-memory storage. */
class InMemoryLimitsTest extends LimitsContract {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
