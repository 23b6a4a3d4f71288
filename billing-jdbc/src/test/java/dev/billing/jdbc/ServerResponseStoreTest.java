package dev.billing.jdbc;

import dev.billing.http.ResponseStore;
import dev.billing.http.ResponseStoreContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The response store contract on a database server: a scratch for every store the contract asks for,
 * closed after each test. One subclass per server says which.
 */
abstract class ServerResponseStoreTest extends ResponseStoreContract {

    private final List<AutoCloseable> opened = new ArrayList<>();

    /** @return the server this test runs on */
    abstract ServerDatabase server();

    @Override
    protected ResponseStore newStore() {
        ServerDatabase.Scratch scratch = server().scratch();
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
