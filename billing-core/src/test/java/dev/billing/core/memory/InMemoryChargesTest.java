package dev.billing.core.memory;

import dev.billing.core.contract.ChargesContract;
import dev.billing.spi.BillingStorage;

class InMemoryChargesTest extends ChargesContract {

    @Override
    protected BillingStorage newStorage() {
        return MemorySnapshots.storage();
    }
}
