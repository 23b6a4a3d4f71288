package dev.billing.jdbc;

import dev.billing.http.ResponseStore;
import dev.billing.http.ResponseStoreContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The response store contract on an H2 file database. */
class JdbiResponseStoreTest extends ResponseStoreContract {

    private final List<JdbiStorage> opened = new ArrayList<>();

    @Override
    protected ResponseStore newStore() {
        JdbiStorage storage = H2Files.freshStorage();
        opened.add(storage);
        return JdbiResponseStore.on(storage);
    }

    @AfterEach
    void close() {
        opened.forEach(JdbiStorage::close);
    }
}
