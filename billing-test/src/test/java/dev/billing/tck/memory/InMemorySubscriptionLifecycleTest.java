package dev.billing.tck.memory;

import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;
import dev.billing.tck.SubscriptionLifecycleContract;

class InMemorySubscriptionLifecycleTest extends SubscriptionLifecycleContract {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
