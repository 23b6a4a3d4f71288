package dev.billing.core.memory;

import dev.billing.core.contract.ChargesProperties;
import dev.billing.spi.BillingStorage;

class InMemoryChargesProperties extends ChargesProperties {

    @Override
    protected BillingStorage newStorage() {
        return MemorySnapshots.storage();
    }
}
