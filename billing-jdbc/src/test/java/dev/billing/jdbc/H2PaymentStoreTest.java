package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.PaymentStoreContract;

/** The {@link PaymentStoreContract} on H2 file databases. */
class H2PaymentStoreTest extends PaymentStoreContract {

    @Override
    protected BillingStorage newStorage() {
        return H2Files.freshStorage();
    }
}
