package dev.billing.core.memory;

import dev.billing.core.contract.LimitsProperties;
import dev.billing.spi.BillingStorage;

/** The limits properties on the in-memory storage. */
class InMemoryLimitsProperties extends LimitsProperties {

    @Override
    protected BillingStorage newStorage() {
        return MemorySnapshots.storage();
    }
}
