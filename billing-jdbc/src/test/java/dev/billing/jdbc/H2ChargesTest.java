package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.ChargesContract;

/** The charges contract on an H2 file database. */
class H2ChargesTest extends ChargesContract {

    @Override
    protected BillingStorage newStorage() {
        return H2Files.freshStorage();
    }
}
