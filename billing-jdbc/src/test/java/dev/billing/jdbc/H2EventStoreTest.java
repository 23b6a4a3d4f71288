package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.EventStoreContract;

/** The {@link EventStoreContract} on H2 file databases. */
class H2EventStoreTest extends EventStoreContract {

    @Override
    protected BillingStorage newStorage() {
        return H2Files.freshStorage();
    }
}
