package dev.billing.jdbc;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The response store contract on MariaDB. */
@EnabledIfEnvironmentVariable(named = "BILLING_TEST_MARIADB_URL", matches = ".+", disabledReason = "BILLING_TEST_MARIADB_URL is not set")
class MariaDbResponseStoreTest extends ServerResponseStoreTest {

    @Override
    ServerDatabase server() {
        return ServerDatabase.MARIADB;
    }
}
