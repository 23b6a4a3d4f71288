package dev.billing.core;

import dev.billing.core.contract.WalletProperties;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;

class InMemoryWalletProperties extends WalletProperties {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
