package dev.billing.test;

import dev.billing.core.BillingEngine;
import dev.billing.core.IdGenerator;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link BillingTest}: one {@link BillingFixture} per test, made when a test
 * or one of its {@code @BeforeEach} methods first asks for it (or for its engine, clock or {@link EventCapture}), checked
 * ({@link BillingFixture#assertInvariants()}) after the test and closed. A test that failed is not checked
 * again: its own failure is the one to read. Register it with {@link BillingTest}, or with
 * {@code @ExtendWith(BillingExtension.class)} for the defaults:
 *
 * <pre>{@code
 * @ExtendWith(BillingExtension.class)   // or @BillingTest(start = ..., zone = ...)
 * class WalletTest {
 *     @Test
 *     void aRechargeIsCredited(BillingEngine engine) {
 *         engine.wallet().recharge("acme", Money.of(10, "CNY"), "r-1");
 *         assertEquals(Money.of(10, "CNY"), engine.wallet().balance("acme").amount());
 *     }   // then the extension checks that the ledger balances and every balance equals its postings
 * }
 * }</pre>
 */
public final class BillingExtension implements ParameterResolver, AfterEachCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BillingExtension.class);

    /** Made by JUnit. */
    public BillingExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == BillingFixture.class || type == BillingEngine.class || type == TestClock.class
                || type == EventCapture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("a billing fixture is made per test: ask for it in a test or a "
                    + "@BeforeEach method, not in " + parameter.getDeclaringExecutable());
        }
        BillingFixture fixture = fixture(context);
        Class<?> type = parameter.getParameter().getType();
        return type == BillingFixture.class ? fixture : type == BillingEngine.class ? fixture.engine()
                : type == EventCapture.class ? fixture.events() : fixture.clock();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        BillingFixture removed = context.getStore(NAMESPACE).remove(BillingFixture.class, BillingFixture.class);
        if (removed == null) {
            return;
        }
        try (BillingFixture fixture = removed) {
            if (context.getExecutionException().isEmpty()) {
                fixture.assertInvariants();
            }
        }
    }

    private static BillingFixture fixture(ExtensionContext context) {
        // an AutoCloseable in the store is closed by JUnit if afterEach never ran
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(BillingFixture.class, k -> create(context),
                BillingFixture.class);
    }

    private static BillingFixture create(ExtensionContext context) {
        BillingTest settings = null;
        // a @Nested class takes the settings of the class it is nested in
        for (Class<?> c = context.getTestClass().orElse(null); c != null && settings == null; c = c.getEnclosingClass()) {
            settings = AnnotationSupport.findAnnotation(c, BillingTest.class).orElse(null);
        }
        BillingFixture.Builder b = BillingFixture.builder();
        if (settings != null) {
            b.start(Instant.parse(settings.start())).zone(ZoneId.of(settings.zone()))
                    .ids(IdGenerator.sequential(settings.idPrefix()));
            if (settings.storage() != TestStorage.InMemory.class) {
                b.storage(storage(settings.storage()));
            }
        }
        return b.build();
    }

    private static dev.billing.spi.BillingStorage storage(Class<? extends TestStorage> maker) {
        try {
            return maker.getConstructor().newInstance().create();
        } catch (ReflectiveOperationException e) {
            throw new ParameterResolutionException("@BillingTest(storage = " + maker.getName() + ".class): it needs a"
                    + " public no-argument constructor", e);
        }
    }
}
