package dev.billing.core;

import dev.billing.core.contract.ChargesChainProperties;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;

class InMemoryChargesChainProperties extends ChargesChainProperties {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
