package dev.billing.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a JUnit 5 test class whose tests each get a fresh {@link BillingFixture}: its
 * {@link BillingFixture}, {@link dev.billing.core.BillingEngine}, {@link TestClock} and {@link EventCapture} are injected into
 * test methods and {@code @BeforeEach} methods (the same ones within a test), and after each test the
 * books are checked ({@link BillingFixture#assertInvariants()}: the ledger balances, every balance equals
 * its postings) and the storage closed.
 *
 * <pre>{@code
 * @BillingTest(start = "2026-03-01T00:00:00Z", zone = "Asia/Shanghai")
 * class RenewalTest {
 *     @BeforeEach
 *     void catalog(BillingFixture billing) throws IOException {
 *         CatalogFile.apply(Path.of("../catalog.json"), billing.engine());
 *     }
 *
 *     @Test
 *     void renewsMonthly(BillingEngine engine, BillingFixture billing) {
 *         engine.wallet().recharge("acme", Money.of(100, "CNY"), "r-1");
 *         engine.subscriptions().checkout("acme", "c-small", "aws", "c-1"); // examples/catalog.json
 *         billing.travel(Period.ofMonths(2));
 *         // the recharge, the checkout and two renewals
 *         assertEquals(4, engine.wallet().transactions("acme", null, 10).items().size());
 *     }
 * }
 * }</pre>
 *
 * <p>The fixture runs on in-memory storage unless {@link #storage()} names a {@link TestStorage} (such as
 * one making H2 in memory).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(BillingExtension.class)
public @interface BillingTest {

    /** @return where each test's clock starts, an ISO-8601 instant */
    String start() default BillingFixture.DEFAULT_START;

    /** @return the zone the engine bills in, such as {@code Asia/Shanghai} */
    String zone() default "UTC";

    /** @return the prefix of the readable ids the engine gives transactions and subscriptions */
    String idPrefix() default "id-";

    /** @return what makes each test's storage: a class with a public no-argument constructor; in memory by default */
    Class<? extends TestStorage> storage() default TestStorage.InMemory.class;
}
