package dev.billing.tck.memory;

import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;
import dev.billing.tck.ChargesProperties;
import net.jqwik.api.PropertyDefaults;

/** The {@link ChargesProperties} in memory, where a try costs little: twice the suite's default tries. */
@PropertyDefaults(tries = 200)
class InMemoryChargesProperties extends ChargesProperties {

    @Override
    protected BillingStorage newStorage() {
        return InMemoryStorage.create();
    }
}
