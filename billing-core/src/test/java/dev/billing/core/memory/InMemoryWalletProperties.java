package dev.billing.core.memory;

import dev.billing.core.contract.WalletProperties;
import dev.billing.spi.BillingStorage;

class InMemoryWalletProperties extends WalletProperties {

    @Override
    protected BillingStorage newStorage() {
        return MemorySnapshots.storage();
    }
}
