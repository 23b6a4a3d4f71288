package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.WalletProperties;
import net.jqwik.api.PropertyDefaults;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The engine's wallet properties on H2 in memory: one database for the class, migrated once and
 * emptied before every try ({@link EmptiedDatabase}), so every try starts from an empty, migrated schema.
 */
@PropertyDefaults(tries = 200)
class H2WalletProperties extends WalletProperties {

    private static final EmptiedDatabase DATABASE = new EmptiedDatabase("wallet-properties");

    @Override
    protected BillingStorage newStorage() {
        return DATABASE.newStorage();
    }

    /** 200 tries: the coverage the in-memory run checks at 1000 is not reached reliably here (it wanders). */
    @Override
    protected boolean checksCoverage() {
        return false;
    }

    @AfterContainer
    static void closeDatabase() {
        DATABASE.close();
    }
}
