package dev.billing.jdbc;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The response store contract on PostgreSQL. */
@EnabledIfEnvironmentVariable(named = "BILLING_TEST_POSTGRES_URL", matches = ".+", disabledReason = "BILLING_TEST_POSTGRES_URL is not set")
class PostgresResponseStoreTest extends ServerResponseStoreTest {

    @Override
    ServerDatabase server() {
        return ServerDatabase.POSTGRESQL;
    }
}
