package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.ConcurrencyContract;

/** The {@link ConcurrencyContract} on H2 file databases. */
class H2ConcurrencyTest extends ConcurrencyContract {

    @Override
    protected BillingStorage newStorage() {
        return H2Files.freshStorage();
    }
}
