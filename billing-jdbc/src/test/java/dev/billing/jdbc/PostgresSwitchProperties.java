package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.SwitchProperties;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

/** The proration properties on PostgreSQL: one scratch for the class, emptied before every try. */
@AddLifecycleHook(ServerDatabase.OnPostgres.class)
class PostgresSwitchProperties extends SwitchProperties {

    private static final EmptiedDatabase DATABASE = EmptiedDatabase.on(ServerDatabase.POSTGRESQL);

    @Override
    protected BillingStorage newStorage() {
        return DATABASE.newStorage();
    }

    @AfterContainer
    static void closeDatabase() {
        DATABASE.close();
    }
}
