package dev.billing.jdbc;

import dev.billing.core.contract.LimitsContract;
import dev.billing.spi.BillingStorage;

/** The limits contract on an H2 file database (DECIMAL(19,4) columns: what the limits protect). */
class H2LimitsTest extends LimitsContract {

    @Override
    protected BillingStorage newStorage() {
        return JdbcSnapshots.snapshotting(H2Files.freshStorage());
    }
}
