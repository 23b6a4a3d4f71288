package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.LimitsContract;

/** The limits contract on an H2 file database (DECIMAL(19,4) columns: what the limits protect). */
class H2LimitsTest extends LimitsContract {

    @Override
    protected BillingStorage newStorage() {
        return H2Files.freshStorage();
    }
}
