package dev.billing.core.memory;

import dev.billing.core.contract.ChargesChainProperties;
import dev.billing.spi.BillingStorage;

class InMemoryChargesChainProperties extends ChargesChainProperties {

    @Override
    protected BillingStorage newStorage() {
        return MemorySnapshots.storage();
    }
}
