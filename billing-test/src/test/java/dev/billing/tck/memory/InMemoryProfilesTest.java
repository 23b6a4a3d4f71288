package dev.billing.tck.memory;

import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;
import dev.billing.tck.ProfilesContract;

class InMemoryProfilesTest extends ProfilesContract {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
