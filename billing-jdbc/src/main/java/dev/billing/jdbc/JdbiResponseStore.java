package dev.billing.jdbc;

import dev.billing.http.RememberedResponse;
import dev.billing.http.ResponseStore;
import dev.billing.spi.DuplicateKeyException;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP handler's remembered answers ({@link ResponseStore}) in the database of a {@link JdbiStorage}
 * (table {@code http_responses}): each call is one unit of work of that storage, with its durability,
 * and {@code (scope, key)} is unique in the database, so several processes on one database share the
 * answers. Thread-safe.
 */
public final class JdbiResponseStore implements ResponseStore {

    private final JdbiStorage storage;

    private JdbiResponseStore(JdbiStorage storage) {
        this.storage = storage;
    }

    /**
     * @param storage the storage whose database keeps the answers
     * @return a store on that database
     * @throws NullPointerException when {@code storage} is null
     */
    public static JdbiResponseStore on(JdbiStorage storage) {
        return new JdbiResponseStore(Objects.requireNonNull(storage, "storage"));
    }

    @Override
    public Optional<RememberedResponse> find(String scope, String key) {
        return storage.inTransaction(s -> ((JdbiSession) s).findResponse(scope, key));
    }

    @Override
    public boolean insert(RememberedResponse response) {
        try {
            storage.inTransaction(s -> {
                ((JdbiSession) s).insertResponse(response);
                return null;
            });
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }
}
