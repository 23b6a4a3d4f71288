package dev.billing.tck.memory;

import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;
import dev.billing.tck.CouponStoreContract;

class InMemoryCouponStoreTest extends CouponStoreContract {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
