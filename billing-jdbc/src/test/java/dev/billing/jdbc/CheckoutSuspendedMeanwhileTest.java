package dev.billing.jdbc;

import static dev.billing.tck.World.cny;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageWork;
import dev.billing.tck.ForwardingSession;
import dev.billing.tck.StorageCall;
import dev.billing.tck.World;
import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A checkout whose account is suspended between its first read and its debit, on an H2 file: another
 * unit of work suspends the account at that very moment (the checkout's debit is about to run, its row
 * not locked yet). The checkout must see the suspension on the row its debit returns, be refused, and
 * change nothing.
 */
class CheckoutSuspendedMeanwhileTest {

    @Test
    void aCheckoutOfAnAccountSuspendedAfterItsFirstRead_isRefused_andChangesNothing() {
        // H2_DEFAULT: in a durable mode the suspending unit of work would wait for a store, which waits for
        // the checkout's open transaction, which this test makes wait for the suspension
        JdbiStorage h2 = JdbiStorage.builder().jdbcUrl("jdbc:h2:file:" + H2Files.fresh()).user("sa").password("")
                .durability(Durability.H2_DEFAULT).build();
        AtomicBoolean armed = new AtomicBoolean();
        AtomicBoolean raced = new AtomicBoolean();
        BillingStorage interposed = new BillingStorage() {
            @Override
            public <T> T inTransaction(StorageWork<T> work) {
                return h2.inTransaction(s -> work.run(new ForwardingSession(s, call -> {
                    if (call == StorageCall.APPLY_BALANCE_DELTA_AND_APPEND && armed.compareAndSet(true, false)) {
                        // another unit of work, committed before this one's debit locks the row
                        CompletableFuture.runAsync(() -> h2.inTransaction(other -> {
                            other.accounts().updateAccountState("acct", "suspended", true);
                            return null;
                        })).join();
                        raced.set(true);
                    }
                })));
            }

            @Override
            public String describe() {
                return "interposed " + h2.describe();
            }

            @Override
            public void close() {
                h2.close();
            }
        };
        try (World world = new World(interposed)) {
            world.engine.wallet().recharge("acct", cny("100.00"), "r-1");
            armed.set(true);
            ConflictException refused = assertThrows(ConflictException.class,
                    () -> world.engine.subscriptions().checkout("acct", World.SMALL, "aws", "c-1"));
            assertTrue(raced.get(), "the suspension ran between the checkout's read and its debit");
            assertEquals(ErrorCode.ACCOUNT_NOT_ACTIVE, refused.code());
            assertEquals(0, new BigDecimal("100.00").compareTo(world.engine.wallet().balance("acct").amount()
                    .getNumber().numberValueExact(BigDecimal.class)), "nothing debited");
            assertEquals(1, world.engine.wallet().transactions("acct", null, 10).items().size(), "only the recharge");
            assertTrue(world.engine.subscriptions().subscriptions("acct").isEmpty(), "no subscription");
        }
    }
}
