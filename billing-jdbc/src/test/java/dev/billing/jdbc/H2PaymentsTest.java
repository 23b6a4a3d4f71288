package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.PaymentsContract;

/** The {@link PaymentsContract} on H2 file databases. */
class H2PaymentsTest extends PaymentsContract {

    @Override
    protected BillingStorage newStorage() {
        return H2Files.freshStorage();
    }
}
