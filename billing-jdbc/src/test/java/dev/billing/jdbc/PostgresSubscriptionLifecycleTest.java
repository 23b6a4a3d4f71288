package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.SubscriptionLifecycleContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The {@link SubscriptionLifecycleContract} on PostgreSQL: one scratch for the class, emptied before every test. */
@EnabledIfEnvironmentVariable(named = "BILLING_TEST_POSTGRES_URL", matches = ".+", disabledReason = "BILLING_TEST_POSTGRES_URL is not set")
class PostgresSubscriptionLifecycleTest extends SubscriptionLifecycleContract {

    private static final EmptiedDatabase DATABASE = EmptiedDatabase.on(ServerDatabase.POSTGRESQL);

    @Override
    protected BillingStorage newStorage() {
        return DATABASE.newStorage();
    }

    @AfterAll
    static void closeDatabase() {
        DATABASE.close();
    }
}
