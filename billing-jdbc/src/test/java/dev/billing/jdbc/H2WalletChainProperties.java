package dev.billing.jdbc;

import dev.billing.core.contract.WalletChainProperties;
import dev.billing.spi.BillingStorage;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.PropertyDefaults;

/** The engine's wallet action chains on H2 (in memory: every try opens a fresh database, so fewer
 * tries than jqwik's 1000 keep the build short). */
@PropertyDefaults(tries = 60)
class H2WalletChainProperties extends WalletChainProperties {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @Override
    protected BillingStorage newStorage() {
        return JdbiStorage.h2InMemory("wallet-chain-" + DATABASES.incrementAndGet());
    }
}
