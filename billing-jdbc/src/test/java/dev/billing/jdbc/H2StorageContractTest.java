package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.StorageContract;

/** The {@link StorageContract} on H2 file databases. */
class H2StorageContractTest extends StorageContract {

    @Override
    protected BillingStorage newStorage() {
        return H2Files.freshStorage();
    }
}
