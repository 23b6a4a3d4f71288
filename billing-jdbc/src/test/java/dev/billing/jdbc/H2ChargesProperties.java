package dev.billing.jdbc;

import dev.billing.core.contract.ChargesProperties;
import dev.billing.spi.BillingStorage;
import java.util.concurrent.atomic.AtomicInteger;

/** The charges properties on H2 (in memory: every try opens a fresh database). */
class H2ChargesProperties extends ChargesProperties {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    protected BillingStorage newStorage() {
        return JdbcSnapshots.snapshotting(JdbiStorage.h2InMemory("charges-properties-" + DATABASES.incrementAndGet()));
    }
}
