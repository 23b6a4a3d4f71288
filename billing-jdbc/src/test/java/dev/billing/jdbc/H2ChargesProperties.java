package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.ChargesProperties;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The charges properties on H2 in memory: one database for the class, migrated once and emptied
 * before every try, and before the second storage of a try ({@link EmptiedDatabase}).
 */
class H2ChargesProperties extends ChargesProperties {

    private static final EmptiedDatabase DATABASE = new EmptiedDatabase("charges-properties");

    @Override
    protected BillingStorage newStorage() {
        return DATABASE.newStorage();
    }

    @AfterContainer
    static void closeDatabase() {
        DATABASE.close();
    }
}
