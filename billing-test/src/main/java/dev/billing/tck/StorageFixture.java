package dev.billing.tck;

import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageSession;
import dev.billing.spi.StorageSnapshot;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A fresh storage per test, closed after it, with helpers to run a unit of work and take a snapshot.
 * The base of the storage SPI contracts; extend it and implement {@link #newStorage()}.
 */
public abstract class StorageFixture {

    /** The storage under test, new for each test. */
    protected BillingStorage storage;

    /** @return a new, empty storage; the fixture closes it */
    protected abstract BillingStorage newStorage();

    @BeforeEach
    void openStorage() {
        storage = newStorage();
    }

    @AfterEach
    void closeStorage() {
        storage.close();
    }

    /** Runs {@code work} as one unit of work. */
    protected void run(Consumer<StorageSession> work) {
        storage.inTransaction(s -> {
            work.accept(s);
            return null;
        });
    }

    /** @return everything the storage holds */
    protected StorageSnapshot snapshot() {
        return StorageSnapshot.of(storage);
    }
}
