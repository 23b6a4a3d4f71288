package dev.billing.jdbc;

import dev.billing.core.BillingEngine;
import dev.billing.core.DueRun;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A child JVM of {@link ExactlyOnceAcrossProcessesTest}: opens the database (migrating it, perhaps at
 * the same time as other children), prints {@code READY}, waits for a line on standard input, ingests
 * the same usage batch every child ingests and prints {@code INGESTED <accepted> <duplicates>}, then runs
 * {@code runDue()} once at the given instant and prints {@code DONE <statements> <renewals> <failures>}.
 *
 * <p>Arguments: the database's JDBC URL, the instant to run at.
 */
final class DueChild {

    /** Events every child ingests, with the same ids, into acct-0's open period. */
    static final int SHARED_EVENTS = 200;

    private DueChild() {
    }

    public static void main(String[] args) throws Exception {
        JdbiStorage storage = CrashChild.open(args[0], Durability.PROCESS_CRASH);
        BillingEngine engine = BillingEngine.builder().storage(storage)
                .clock(Clock.fixed(Instant.parse(args[1]), ZoneOffset.UTC)).zone(ZoneOffset.UTC).build();
        System.out.println("READY");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        java.util.List<dev.billing.core.usage.UsageEvent> batch = new java.util.ArrayList<>();
        for (int i = 0; i < SHARED_EVENTS; i++) {
            batch.add(new dev.billing.core.usage.UsageEvent("shared-" + i, "acct-0", "DBAAS", "UPTIME",
                    java.math.BigDecimal.ONE, Instant.parse(args[1]).minusSeconds(60)));
        }
        java.util.List<dev.billing.core.usage.IngestResult> results = engine.usage().ingestBatch(batch);
        System.out.println("INGESTED " + results.stream().filter(r -> r.status()
                == dev.billing.core.usage.IngestStatus.ACCEPTED).count() + " " + results.stream().filter(r -> r.status()
                == dev.billing.core.usage.IngestStatus.DUPLICATE).count());
        System.out.flush();
        DueRun run = engine.runDue();
        System.out.println("DONE " + run.statements() + " " + run.renewals() + " " + run.failures().size());
        System.out.flush();
        storage.close();
        System.exit(0);
    }
}
