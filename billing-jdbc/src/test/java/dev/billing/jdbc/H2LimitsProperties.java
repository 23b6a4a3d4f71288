package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.LimitsProperties;
import net.jqwik.api.lifecycle.AfterContainer;

/** The limits properties on H2 in memory: one database for the class, emptied before every try. */
class H2LimitsProperties extends LimitsProperties {

    private static final EmptiedDatabase DATABASE = new EmptiedDatabase("limits-properties");

    @Override
    protected BillingStorage newStorage() {
        return DATABASE.newStorage();
    }

    @AfterContainer
    static void closeDatabase() {
        DATABASE.close();
    }
}
