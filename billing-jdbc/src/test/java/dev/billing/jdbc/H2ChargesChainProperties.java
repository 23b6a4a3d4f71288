package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.ChargesChainProperties;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The metering action chains on H2 in memory: one database for the class, migrated once and emptied
 * before every chain ({@link EmptiedDatabase}).
 */
@PropertyDefaults(tries = 100)
class H2ChargesChainProperties extends ChargesChainProperties {

    private static final EmptiedDatabase DATABASE = new EmptiedDatabase("charges-chain");

    @Override
    protected BillingStorage newStorage() {
        return DATABASE.newStorage();
    }

    @AfterContainer
    static void closeDatabase() {
        DATABASE.close();
    }
}
