package dev.billing.core;

import dev.billing.core.contract.ChargesProperties;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;

class InMemoryChargesProperties extends ChargesProperties {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
