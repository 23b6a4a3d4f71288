package dev.billing.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.billing.core.BillingEngine;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;

/**
 * The extension, run on test classes of its own through JUnit's engine: what it injects, that it checks the
 * books after each test (a test that broke them fails even though its own assertions passed), and that it
 * closes each fixture.
 */
class BillingExtensionTest {

    static final List<BillingFixture> SEEN = new ArrayList<>();

    @Test
    void injects_oneFixturePerTest_sharedWithBeforeEach_withTheAnnotationsSettings_inNestedClassesToo() {
        SEEN.clear();
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Injected.class)).execute()
                .testEvents();
        tests.assertStatistics(s -> s.started(3).succeeded(3));
        assertEquals(3, java.util.Set.copyOf(SEEN).size(), "each test gets its own fixture");
    }

    @Test
    void booksThatDoNotBalance_failTheTest_afterIt() {
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(Corrupting.class)).execute()
                .testEvents();
        tests.assertStatistics(s -> s.started(2).succeeded(1).failed(1));
        Throwable failure = tests.failed().stream().findFirst().orElseThrow().getPayload(
                org.junit.platform.engine.TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow();
        assertTrue(failure instanceof AssertionFailedError, failure.toString());
        assertEquals("acme's balance is CNY 6.00 but the postings to its wallet sum to CNY 5.00", failure.getMessage());
    }

    /** Run by the test above, not on its own (JUnit's run of this module skips nested classes). */
    @BillingTest(start = "2026-03-01T08:00:00Z", zone = "Asia/Shanghai", idPrefix = "tx-")
    static class Injected {
        BillingFixture before;

        @BeforeEach
        void before(BillingFixture billing) {
            before = billing;
        }

        @Test
        void one(BillingFixture billing, BillingEngine engine, TestClock clock) {
            SEEN.add(billing);
            assertSame(before, billing);
            assertSame(billing.engine(), engine);
            assertSame(billing.clock(), clock);
            assertEquals(Instant.parse("2026-03-01T08:00:00Z"), clock.instant());
            assertEquals(ZoneId.of("Asia/Shanghai"), engine.zone());
            engine.wallet().recharge("acme", Money.of(5, "CNY"), "r-1");
            assertEquals("tx-1", engine.wallet().transactions("acme", null, 1).items().get(0).id());
        }

        @Test
        void two(BillingFixture billing) {
            SEEN.add(billing);
            assertSame(before, billing);
        }

        @Nested
        class Inner {
            @Test
            void three(BillingFixture billing) {
                SEEN.add(billing);
                assertSame(before, billing);
                assertEquals(Instant.parse("2026-03-01T08:00:00Z"), billing.clock().instant());
                assertEquals(ZoneId.of("Asia/Shanghai"), billing.engine().zone());
            }
        }
    }

    /** Run by the test above: its second test changes a balance behind the ledger's back. */
    @BillingTest
    static class Corrupting {
        @Test
        void sound(BillingEngine engine) {
            engine.wallet().recharge("acme", Money.of(5, "CNY"), "r-1");
        }

        @Test
        void corrupt(BillingFixture billing) {
            billing.engine().wallet().recharge("acme", Money.of(5, "CNY"), "r-1");
            billing.storage().inTransaction(s -> s.accounts().applyBalanceDelta("acme", BigDecimal.ONE,
                    new BigDecimal("-1000")));
        }
    }
}
