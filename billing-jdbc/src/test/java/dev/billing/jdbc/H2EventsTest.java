package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.EventsContract;

/** The {@link EventsContract} on H2 file databases. */
class H2EventsTest extends EventsContract {

    @Override
    protected BillingStorage newStorage() {
        return H2Files.freshStorage();
    }
}
