package dev.billing.jdbc;

import dev.billing.http.ResponseStore;
import dev.billing.http.ResponseStoreContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/** The response store contract on PostgreSQL: a scratch for every store the contract asks for. */
@EnabledIfEnvironmentVariable(named = "BILLING_TEST_POSTGRES_URL", matches = ".+", disabledReason = "BILLING_TEST_POSTGRES_URL is not set")
class PostgresResponseStoreTest extends ResponseStoreContract {

    private final List<AutoCloseable> opened = new ArrayList<>();

    @Override
    protected ResponseStore newStore() {
        ServerDatabase.Scratch scratch = ServerDatabase.POSTGRESQL.scratch();
        JdbiStorage storage = JdbiStorage.of(scratch.dataSource());
        opened.add(scratch);
        opened.add(storage);
        return JdbiResponseStore.on(storage);
    }

    @AfterEach
    void close() throws Exception {
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }
}
