package dev.billing.core.memory;

import dev.billing.core.contract.WalletContract;
import dev.billing.spi.BillingStorage;

class InMemoryWalletTest extends WalletContract {

    @Override
    protected BillingStorage newStorage() {
        return MemorySnapshots.storage();
    }
}
