package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.ClosingContract;

/** The closing contract on an H2 file database. */
class H2ClosingTest extends ClosingContract {

    @Override
    protected BillingStorage newStorage() {
        return H2Files.freshStorage();
    }
}
