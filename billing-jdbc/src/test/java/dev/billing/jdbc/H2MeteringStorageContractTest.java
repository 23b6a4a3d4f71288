package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.MeteringStorageContract;

/** The {@link MeteringStorageContract} on H2 file databases. */
class H2MeteringStorageContractTest extends MeteringStorageContract {

    @Override
    protected BillingStorage newStorage() {
        return H2Files.freshStorage();
    }
}
