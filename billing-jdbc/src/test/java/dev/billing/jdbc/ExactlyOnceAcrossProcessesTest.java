package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.billing.core.BillingEngine;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.charges.Rate;
import dev.billing.core.usage.IngestStatus;
import dev.billing.core.usage.UsageEvent;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.money.Monetary;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Three engine processes start on one fresh PostgreSQL or MariaDB database at once (each migrating
 * it), then ingest the same usage batch and run {@code runDue()} at the same moment over the same
 * accounts: every schema version is applied by exactly one of them, each shared event id is accepted by
 * one process (a duplicate for the others), every ended period is closed once and every due subscription
 * renewed once, whichever process did it, and each account is charged exactly once for each.
 */
class ExactlyOnceAcrossProcessesTest {

    private static final int PROCESSES = 3;
    private static final int ACCOUNTS = 30;
    private static final Instant OPENED = Instant.parse("2025-01-10T00:00:00Z");
    /** After the first monthly period and the first subscription term end (Feb 10), before the next. */
    private static final Instant DUE = Instant.parse("2025-02-20T00:00:00Z");
    private static final Pattern DONE = Pattern.compile("DONE (\\d+) (\\d+) (\\d+)");
    private static final Pattern INGESTED = Pattern.compile("INGESTED (\\d+) (\\d+)");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ServerDatabase.class)
    void concurrentStartUpsAndDueRuns_migrateOnce_closeOnce_renewOnce(ServerDatabase server) throws Exception {
        try (ServerDatabase.Scratch scratch = server.scratch()) {
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (int p = 0; p < PROCESSES; p++) {
                    children.add(ChildJvm.start(DueChild.class, dir.resolve("due-" + p + ".txt"), scratch.url(),
                            DUE.toString()));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                for (ChildJvm child : children) {
                    expect(child, "READY", deadline);
                }
                String logs = String.join("\n", children.stream().map(ChildJvm::errors).toList());
                for (int v = 1; v <= Migrations.ALL.size(); v++) {
                    Matcher m = Pattern.compile("applied V" + v + " ").matcher(logs);
                    int applied = 0;
                    while (m.find()) {
                        applied++;
                    }
                    assertEquals(1, applied, "V" + v + " applied by exactly one process; their logs:\n" + logs);
                }
                try (JdbiStorage storage = JdbiStorage.of(scratch.dataSource())) {
                    prepare(storage);
                    for (ChildJvm child : children) {
                        child.send("GO");
                    }
                    int statements = 0;
                    int renewals = 0;
                    int accepted = 0;
                    for (ChildJvm child : children) {
                        Matcher ingested = INGESTED.matcher(expect(child, "INGESTED", deadline));
                        assertTrue(ingested.matches());
                        accepted += Integer.parseInt(ingested.group(1));
                        assertEquals(DueChild.SHARED_EVENTS, Integer.parseInt(ingested.group(1))
                                + Integer.parseInt(ingested.group(2)), "each event accepted or a duplicate");
                        Matcher m = DONE.matcher(expect(child, "DONE", deadline));
                        assertTrue(m.matches());
                        statements += Integer.parseInt(m.group(1));
                        renewals += Integer.parseInt(m.group(2));
                        assertEquals("0", m.group(3), "no failures; stderr:\n" + child.errors());
                    }
                    assertEquals(DueChild.SHARED_EVENTS, accepted, "each shared event id accepted by one process only");
                    assertEquals(ACCOUNTS, statements, "each ended period closed once, by whichever process");
                    assertEquals(ACCOUNTS, renewals, "each due subscription renewed once, by whichever process");
                    BillingEngine engine = engine(storage, DUE);
                    assertEquals(0, new BigDecimal(DueChild.SHARED_EVENTS).compareTo(engine.charges()
                            .estimatedCharges("acct-0").lines().get(0).quantity()), "the shared events counted once");
                    for (int a = 0; a < ACCOUNTS; a++) {
                        String ns = "acct-" + a;
                        // 100.00 - 2.00 (checkout) - 3.00 (usage) - 2.00 (renewal)
                        assertEquals(Money.of(new BigDecimal("93.00"), "USD"), engine.wallet().balance(ns).amount(), ns);
                        assertEquals(1, engine.charges().statements(ns).size(), ns);
                        assertEquals(engine.wallet().balance(ns).amount(), engine.wallet().ledgerBalance(ns), ns);
                    }
                    engine.wallet().trialBalance().values().forEach(sum -> assertTrue(sum.isZero()));
                }
            } finally {
                children.forEach(ChildJvm::close);
            }
        }
    }

    private static String expect(ChildJvm child, String prefix, long deadline) throws InterruptedException {
        for (String line; (line = child.next(deadline)) != null && !line.equals(ChildJvm.EOF);) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        fail("a child did not print " + prefix + "; stderr:\n" + child.errors());
        return null;
    }

    private static BillingEngine engine(JdbiStorage storage, Instant at) {
        return BillingEngine.builder().storage(storage).clock(Clock.fixed(at, ZoneOffset.UTC)).zone(ZoneOffset.UTC)
                .build();
    }

    /** Accounts opened Jan 10 with 100.00, a monthly 2.00 plan bought, 3 hours of a 1.00 rate used. */
    private static void prepare(JdbiStorage storage) {
        BillingEngine engine = engine(storage, OPENED);
        engine.catalog().defineRegion(Region.available("r1", "Region one"));
        engine.catalog().definePlan(Plan.of("p", "C", Money.of(new BigDecimal("2.00"), "USD"), PlanTerm.MONTHLY, "plan",
                "r1"));
        engine.charges().defineRate(Rate.flat("DBAAS", "UPTIME", "HRS", BigDecimal.ONE, Monetary.getCurrency("USD"),
                LocalDate.of(2000, 1, 1)));
        for (int a = 0; a < ACCOUNTS; a++) {
            String ns = "acct-" + a;
            engine.wallet().recharge(ns, Money.of(new BigDecimal("100.00"), "USD"), "open-" + a);
            engine.subscriptions().checkout(ns, "p", "r1", "buy-" + a);
            var result = engine.usage().ingestBatch(List.of(new UsageEvent("u-" + a, ns, "DBAAS", "UPTIME",
                    new BigDecimal("3"), OPENED))).get(0);
            assertEquals(IngestStatus.ACCEPTED, result.status(), result.toString());
        }
    }
}
