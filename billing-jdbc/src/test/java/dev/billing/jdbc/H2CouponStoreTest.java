package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.CouponStoreContract;

/** The {@link CouponStoreContract} on H2 file databases. */
class H2CouponStoreTest extends CouponStoreContract {

    @Override
    protected BillingStorage newStorage() {
        return H2Files.freshStorage();
    }
}
