package dev.billing.test;

import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.BillingStorage;

/**
 * Makes each test's storage for {@link BillingTest#storage()}: a host's class with a public no-argument
 * constructor, for instance one that runs its tests on H2 in memory:
 *
 * <pre>{@code
 * public class OnH2 implements TestStorage {
 *     public BillingStorage create() {
 *         return JdbiStorage.h2InMemory("test-" + UUID.randomUUID());   // billing-jdbc
 *     }
 * }
 *
 * @BillingTest(storage = OnH2.class)
 * class RenewalOnH2Test { ... }
 * }</pre>
 *
 * <p>The fixture closes what it makes after each test.
 */
@FunctionalInterface
public interface TestStorage {

    /** @return a new, empty storage for one test */
    BillingStorage create();

    /** In-memory storage, the default. */
    final class InMemory implements TestStorage {

        /** Made by the extension. */
        public InMemory() {
        }

        @Override
        public BillingStorage create() {
            return InMemoryStorage.create();
        }
    }
}
