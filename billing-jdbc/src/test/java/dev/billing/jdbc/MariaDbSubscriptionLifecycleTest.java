package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.SubscriptionLifecycleContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The {@link SubscriptionLifecycleContract} on MariaDB: one scratch for the class, emptied before every test. */
@EnabledIfEnvironmentVariable(named = "BILLING_TEST_MARIADB_URL", matches = ".+", disabledReason = "BILLING_TEST_MARIADB_URL is not set")
class MariaDbSubscriptionLifecycleTest extends SubscriptionLifecycleContract {

    private static final EmptiedDatabase DATABASE = EmptiedDatabase.on(ServerDatabase.MARIADB);

    @Override
    protected BillingStorage newStorage() {
        return DATABASE.newStorage();
    }

    @AfterAll
    static void closeDatabase() {
        DATABASE.close();
    }
}
