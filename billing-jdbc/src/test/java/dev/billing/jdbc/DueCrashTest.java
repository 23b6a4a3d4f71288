package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.DueRun;
import dev.billing.core.charges.Rate;
import dev.billing.core.charges.Statement;
import dev.billing.core.usage.IngestStatus;
import dev.billing.core.usage.UsageEvent;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.test.TestClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.money.Monetary;
import javax.money.MonetaryAmount;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with SIGKILL while {@code runDue()} closes the periods of many accounts, as soon as
 * it has reported ten closes acknowledged, then reopens the database: every close it reported is there,
 * some but not all accounts are closed, each either completely (statement, charge, next period) or not
 * at all, the ledger is balanced, and the next run closes the rest, so that each account is charged
 * exactly once.
 */
class DueCrashTest {

    private static final int ACCOUNTS = 150;
    /** The closes the child acknowledges before it is killed: some, far from all. */
    private static final int KILL_AFTER = 10;
    private static final Instant OPENED = Instant.parse("2016-10-16T21:32:52Z");
    private static final Instant DUE = Instant.parse("2016-11-17T00:00:00Z");
    private static final MonetaryAmount START = Money.of(new BigDecimal("50.00"), "USD");
    private static final MonetaryAmount CHARGE = Money.of(new BigDecimal("4.00"), "USD");

    @TempDir
    Path dir;

    @Test
    void sigkillDuringRunDue_losesNothing_andTheNextRunChargesEachAccountOnce() throws Exception {
        Path db = dir.resolve("due");
        TestClock clock = TestClock.at(OPENED, ZoneOffset.UTC);
        try (JdbiStorage storage = JdbiStorage.h2File(db)) {
            BillingEngine engine = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC).build();
            engine.charges().defineRate(Rate.flat("DBAAS", "UPTIME", "HRS", new BigDecimal(".40"), Monetary.getCurrency("USD"),
                    LocalDate.of(2016, 1, 1)));
            List<UsageEvent> usage = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS; i++) {
                engine.wallet().recharge(ns(i), START, "open-" + i);
                usage.add(new UsageEvent("u", ns(i), "DBAAS", "UPTIME", BigDecimal.TEN, OPENED.plusSeconds(60)));
            }
            clock.set(OPENED.plusSeconds(120));
            assertTrue(engine.usage().ingestBatch(usage).stream().allMatch(r -> r.status()
                    == dev.billing.core.usage.IngestStatus.ACCEPTED));
        }
        String done = null;
        java.util.Set<String> reported = new java.util.HashSet<>();
        try (ChildJvm child = ChildJvm.start(DueCrashChild.class, dir.resolve("child-stderr.txt"), db.toString(),
                DUE.toString())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while ((line = child.next(deadline)) != null && !line.equals("READY") && !line.equals(ChildJvm.EOF)) {
                // skip
            }
            assertEquals("READY", line, "the child did not start; stderr:\n" + child.errors());
            // killed on the child's word: once it has acknowledged some closes, while most are still to come
            while (reported.size() < KILL_AFTER && (line = child.next(deadline)) != null && !line.equals(ChildJvm.EOF)) {
                if (line.startsWith("CLOSED ")) {
                    reported.add(line.substring("CLOSED ".length()));
                }
            }
            assertEquals(KILL_AFTER, reported.size(), "the child reported too few closes; stderr:\n" + child.errors());
            child.process.destroyForcibly();
            assertTrue(child.process.waitFor(30, TimeUnit.SECONDS));
            for (String rest : child.rest(10)) {
                if (rest.startsWith("CLOSED ")) {
                    reported.add(rest.substring("CLOSED ".length()));
                } else if (rest.startsWith("DONE")) {
                    done = rest;
                }
            }
        }
        clock.set(DUE);
        try (JdbiStorage storage = JdbiStorage.h2File(db)) {
            BillingEngine engine = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC).build();
            int closedBeforeTheKill = 0;
            for (int i = 0; i < ACCOUNTS; i++) {
                List<Statement> st = engine.charges().statements(ns(i));
                MonetaryAmount balance = engine.wallet().balance(ns(i)).amount();
                if (st.isEmpty()) {
                    assertEquals(START, balance, ns(i) + " was not closed, so not charged");
                    assertEquals(OPENED, engine.accounts().billingProfile(ns(i)).openPeriod().start());
                } else {
                    closedBeforeTheKill++;
                    assertEquals(1, st.size());
                    assertEquals(CHARGE, st.get(0).totals().chargeTotal());
                    assertEquals(START.subtract(CHARGE), balance, ns(i) + " was closed and charged once");
                    assertEquals(st.get(0).period().end(), engine.accounts().billingProfile(ns(i)).openPeriod().start());
                }
                assertEquals(balance, engine.wallet().ledgerBalance(ns(i)));
            }
            assertTrue(engine.wallet().trialBalance().values().stream().allMatch(MonetaryAmount::isZero), "the ledger balances");
            for (String ns : reported) {
                assertEquals(1, engine.charges().statements(ns).size(), ns + ": the child acknowledged its close");
            }
            assertTrue(closedBeforeTheKill >= reported.size() && closedBeforeTheKill < ACCOUNTS,
                    "killed in the middle: " + closedBeforeTheKill + " of " + ACCOUNTS + " closed, " + reported.size()
                    + " acknowledged; " + (done == null ? "" : "it had finished: " + done));
            System.out.printf("runDue killed after closing %d of %d accounts%s%n", closedBeforeTheKill, ACCOUNTS,
                    done == null ? "" : " (it had finished: " + done + ")");

            DueRun rest = engine.runDue();
            assertEquals(ACCOUNTS - closedBeforeTheKill, rest.statements());
            for (int i = 0; i < ACCOUNTS; i++) {
                assertEquals(1, engine.charges().statements(ns(i)).size());
                assertEquals(START.subtract(CHARGE), engine.wallet().balance(ns(i)).amount());
                assertEquals(1, engine.wallet().transactions(ns(i), null, 10).items().stream()
                        .filter(t -> t.kind() == TransactionKind.USAGE_CHARGE).count());
            }
            assertNotNull(engine.runDue());
            assertEquals(0, engine.runDue().statements(), "nothing is left to close");
        }
    }

    private static String ns(int i) {
        return "acct-" + i;
    }
}
