package dev.billing.jdbc;

import static dev.billing.tck.World.cny;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.BillingStorageException;
import java.math.BigDecimal;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * MariaDB's {@code billing_apply_and_append} (migration V12, as V15 replaced it): created at start-up,
 * run with the caller's privileges, and what a credit calls, which the negative control shows: without the procedure the
 * same recharge fails and changes nothing, until the next start-up creates it again. What it writes is the storage contract's
 * ({@code StorageContract.applyBalanceDeltaAndAppend_...}), run on MariaDB by {@link MariaDbStorageContractTest}.
 */
@EnabledIfEnvironmentVariable(named = "BILLING_TEST_MARIADB_URL", matches = ".+", disabledReason = "BILLING_TEST_MARIADB_URL is not set")
class MariaDbProcedureTest {

    @Test
    void theProcedure_isMigrated_runsWithTheCallersPrivileges_isWhatACreditCalls_andIsRestoredAtStartUp() {
        try (ServerDatabase.Scratch scratch = ServerDatabase.MARIADB.scratch();
                JdbiStorage storage = JdbiStorage.of(scratch.dataSource());
                Handle h = storage.jdbi().open()) {
            assertEquals("INVOKER", h.createQuery("SELECT SECURITY_TYPE FROM information_schema.ROUTINES"
                    + " WHERE ROUTINE_SCHEMA = DATABASE() AND ROUTINE_NAME = 'billing_apply_and_append'")
                    .mapTo(String.class).one());
            BillingEngine engine = BillingEngine.builder().storage(storage).build();
            engine.wallet().recharge("acct", cny("10.00"), "k1");
            assertEquals(0, new BigDecimal("10.00").compareTo(balance(h)));

            h.execute("DROP PROCEDURE billing_apply_and_append");
            BillingStorageException e = assertThrows(BillingStorageException.class,
                    () -> engine.wallet().recharge("acct", cny("1.00"), "k2"));
            assertTrue(e.getMessage().contains("billing_apply_and_append"), e.getMessage());
            assertEquals(0, new BigDecimal("10.00").compareTo(balance(h)), "nothing changed");
            assertEquals(1, h.createQuery("SELECT COUNT(*) FROM transactions").mapTo(Integer.class).one());

            // as after restoring a dump taken without its routines: the next start-up creates it again
            try (JdbiStorage restarted = JdbiStorage.of(scratch.dataSource())) {
                BillingEngine again = BillingEngine.builder().storage(restarted).build();
                again.wallet().recharge("acct", cny("1.00"), "k2");
                assertEquals(0, new BigDecimal("11.00").compareTo(balance(h)));
            }
        }
    }

    private static BigDecimal balance(Handle h) {
        return h.createQuery("SELECT balance FROM accounts WHERE namespace = 'acct'").mapTo(BigDecimal.class).one();
    }
}
