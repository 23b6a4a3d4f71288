package dev.billing.jdbc;

import dev.billing.core.contract.MeteringStorageContract;
import dev.billing.spi.BillingStorage;

/** The {@link MeteringStorageContract} on H2 file databases. */
class H2MeteringStorageContractTest extends MeteringStorageContract {

    @Override
    protected BillingStorage newStorage() {
        return JdbcSnapshots.snapshotting(H2Files.freshStorage());
    }
}
