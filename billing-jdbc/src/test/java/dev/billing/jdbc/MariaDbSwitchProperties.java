package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.SwitchProperties;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

/** The proration properties on MariaDB: one scratch for the class, emptied before every try. */
@AddLifecycleHook(ServerDatabase.OnMariaDb.class)
class MariaDbSwitchProperties extends SwitchProperties {

    private static final EmptiedDatabase DATABASE = EmptiedDatabase.on(ServerDatabase.MARIADB);

    @Override
    protected BillingStorage newStorage() {
        return DATABASE.newStorage();
    }

    @AfterContainer
    static void closeDatabase() {
        DATABASE.close();
    }
}
