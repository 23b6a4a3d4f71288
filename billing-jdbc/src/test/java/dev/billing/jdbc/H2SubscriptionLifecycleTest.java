package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.SubscriptionLifecycleContract;

/** The {@link SubscriptionLifecycleContract} on H2 file databases. */
class H2SubscriptionLifecycleTest extends SubscriptionLifecycleContract {

    @Override
    protected BillingStorage newStorage() {
        return H2Files.freshStorage();
    }
}
