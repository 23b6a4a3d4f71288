package dev.billing.jdbc;

import dev.billing.core.BillingEngine;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The child JVM of {@link DueCrashTest}: opens the prepared database and runs {@code runDue()} at the
 * given instant, printing {@code READY} first and {@code DONE} after; its parent kills it in between.
 *
 * <p>Arguments: the database path without {@code .mv.db}, the instant to run at.
 */
final class DueCrashChild {

    private DueCrashChild() {
    }

    public static void main(String[] args) {
        JdbiStorage storage = JdbiStorage.h2File(Path.of(args[0]));
        BillingEngine engine = BillingEngine.builder().storage(storage)
                .clock(Clock.fixed(Instant.parse(args[1]), ZoneOffset.UTC)).zone(ZoneOffset.UTC).build();
        System.out.println("READY");
        System.out.flush();
        System.out.println("DONE " + engine.runDue());
        storage.close();
    }
}
