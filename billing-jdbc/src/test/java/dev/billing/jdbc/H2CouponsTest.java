package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.CouponsContract;

/** The {@link CouponsContract} on H2 file databases. */
class H2CouponsTest extends CouponsContract {

    @Override
    protected BillingStorage newStorage() {
        return H2Files.freshStorage();
    }
}
