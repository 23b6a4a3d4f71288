package dev.billing.jdbc;

import dev.billing.core.contract.ChargesChainProperties;
import dev.billing.spi.BillingStorage;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.PropertyDefaults;

/** The metering action chains on H2 (in memory: every try opens a fresh database, so fewer tries). */
@PropertyDefaults(tries = 100)
class H2ChargesChainProperties extends ChargesChainProperties {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    protected BillingStorage newStorage() {
        return JdbcSnapshots.snapshotting(JdbiStorage.h2InMemory("charges-chain-" + DATABASES.incrementAndGet()));
    }
}
