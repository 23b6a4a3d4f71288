package dev.billing.tck.memory;

import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;
import dev.billing.tck.LimitsProperties;

/** The limits properties on the in-memory storage. */
class InMemoryLimitsProperties extends LimitsProperties {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
