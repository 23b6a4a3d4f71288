package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.SwitchProperties;
import net.jqwik.api.lifecycle.AfterContainer;

/** The proration properties on H2 in memory: one database for the class, emptied before every try. */
class H2SwitchProperties extends SwitchProperties {

    private static final EmptiedDatabase DATABASE = new EmptiedDatabase("switch-properties");

    @Override
    protected BillingStorage newStorage() {
        return DATABASE.newStorage();
    }

    @AfterContainer
    static void closeDatabase() {
        DATABASE.close();
    }
}
