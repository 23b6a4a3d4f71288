package dev.billing.core;

import dev.billing.core.contract.ChargesContract;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;

class InMemoryChargesTest extends ChargesContract {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
