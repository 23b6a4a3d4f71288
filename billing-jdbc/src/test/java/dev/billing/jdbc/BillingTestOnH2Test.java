package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.spi.BillingStorage;
import dev.billing.test.BillingFixture;
import dev.billing.test.BillingTest;
import dev.billing.test.TestStorage;
import java.time.Period;
import java.util.UUID;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.Test;

/** {@code @BillingTest(storage = ...)}: the extension's fixture on H2 in memory, as a host names it. */
@BillingTest(start = "2026-01-05T09:00:00Z", storage = BillingTestOnH2Test.OnH2.class)
class BillingTestOnH2Test {

    /** The host's storage maker. */
    public static final class OnH2 implements TestStorage {
        @Override
        public BillingStorage create() {
            return JdbiStorage.h2InMemory("billing-test-" + UUID.randomUUID());
        }
    }

    @Test
    void theFixtureRunsOnTheNamedStorage_andRenews(BillingFixture billing, BillingEngine engine) {
        assertTrue(billing.storage() instanceof JdbiStorage, billing.storage().getClass().getName());
        engine.catalog().defineRegion(Region.available("r", "R"));
        engine.catalog().definePlan(Plan.of("small", "C", Money.of(20, "CNY"), PlanTerm.MONTHLY, "1 CPU", "r"));
        engine.wallet().recharge("acme", Money.of(100, "CNY"), "r-1");
        engine.subscriptions().checkout("acme", "small", "r", "c-1");
        billing.travel(Period.ofMonths(2));
        assertEquals(Money.of(40, "CNY"), engine.wallet().balance("acme").amount(), "two renewals");
    }
}
