package dev.billing.core;

import dev.billing.core.contract.WalletContract;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;

class InMemoryWalletTest extends WalletContract {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
