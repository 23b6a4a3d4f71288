package dev.billing.core.memory;

import dev.billing.core.contract.WalletChainProperties;
import dev.billing.spi.BillingStorage;

class InMemoryWalletChainProperties extends WalletChainProperties {

    @Override
    protected BillingStorage newStorage() {
        return MemorySnapshots.storage();
    }
}
