package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.ProfilesContract;

/** The profiles contract on an H2 file database. */
class H2ProfilesTest extends ProfilesContract {

    @Override
    protected BillingStorage newStorage() {
        return H2Files.freshStorage();
    }
}
