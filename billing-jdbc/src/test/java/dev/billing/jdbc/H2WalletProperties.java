package dev.billing.jdbc;

import dev.billing.core.contract.WalletProperties;
import dev.billing.spi.BillingStorage;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.PropertyDefaults;

/** The engine's wallet properties on H2 (in memory: every try opens a fresh database). */
@PropertyDefaults(tries = 1000)
class H2WalletProperties extends WalletProperties {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    protected BillingStorage newStorage() {
        return JdbcSnapshots.snapshotting(JdbiStorage.h2InMemory("wallet-properties-" + DATABASES.incrementAndGet()));
    }
}
