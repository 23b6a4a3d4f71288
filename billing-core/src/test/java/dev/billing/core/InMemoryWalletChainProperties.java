package dev.billing.core;

import dev.billing.core.contract.WalletChainProperties;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;

class InMemoryWalletChainProperties extends WalletChainProperties {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
