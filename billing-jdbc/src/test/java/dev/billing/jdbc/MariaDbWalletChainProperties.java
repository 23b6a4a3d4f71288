package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.WalletChainProperties;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The {@link WalletChainProperties} on MariaDB: one scratch for the class, emptied before every try. Fewer tries
 * than on H2 in memory (a try's emptying is a round trip per table on a server), so the build stays short.
 */
@PropertyDefaults(tries = ServerDatabase.MARIADB_PROPERTY_TRIES)
@AddLifecycleHook(ServerDatabase.OnMariaDb.class)
class MariaDbWalletChainProperties extends WalletChainProperties {

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
