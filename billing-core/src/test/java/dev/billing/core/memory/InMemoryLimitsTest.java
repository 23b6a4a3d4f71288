package dev.billing.core.memory;

import dev.billing.core.contract.LimitsContract;
import dev.billing.spi.BillingStorage;

/** The limits contract on the in-memory storage. */
class InMemoryLimitsTest extends LimitsContract {

    @Override
    protected BillingStorage newStorage() {
        return MemorySnapshots.storage();
    }
}
