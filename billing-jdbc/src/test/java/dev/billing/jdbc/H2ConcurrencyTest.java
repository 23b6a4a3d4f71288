package dev.billing.jdbc;

import dev.billing.core.contract.ConcurrencyContract;
import dev.billing.spi.BillingStorage;

/** The {@link ConcurrencyContract} on H2 file databases. */
class H2ConcurrencyTest extends ConcurrencyContract {

    @Override
    protected BillingStorage newStorage() {
        return JdbcSnapshots.snapshotting(H2Files.freshStorage());
    }
}
