package dev.billing.jdbc;

import dev.billing.core.BillingEngine;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StatementLineRecord;
import dev.billing.spi.StatementRecord;
import dev.billing.spi.StatementStore;
import dev.billing.spi.StorageSession;
import dev.billing.spi.StorageWork;
import dev.billing.tck.ForwardingSession;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link DueCrashTest}: opens the prepared database and runs {@code runDue()} at the
 * given instant, printing {@code READY} first, {@code CLOSED <namespace>} as soon as the unit of work
 * that closed an account's period has returned (so it is acknowledged: committed and stored, as every
 * returned unit of work is), and {@code DONE} after; its parent kills it in between.
 *
 * <p>Arguments: the database path without {@code .mv.db}, the instant to run at.
 */
final class DueCrashChild {

    private DueCrashChild() {
    }

    public static void main(String[] args) {
        JdbiStorage storage = JdbiStorage.h2File(Path.of(args[0]));
        BillingEngine engine = BillingEngine.builder().storage(reporting(storage))
                .clock(Clock.fixed(Instant.parse(args[1]), ZoneOffset.UTC)).zone(ZoneOffset.UTC).build();
        System.out.println("READY");
        System.out.flush();
        System.out.println("DONE " + engine.runDue());
        storage.close();
    }

    /** The storage, printing the namespaces whose statements each unit of work stored, once it returned. */
    private static BillingStorage reporting(JdbiStorage storage) {
        return new BillingStorage() {
            @Override
            public <T> T inTransaction(StorageWork<T> work) {
                List<String> closed = new ArrayList<>();
                T result = storage.inTransaction(s -> {
                    closed.clear(); // a retried unit of work reports only what its last run stored
                    return work.run(recording(s, closed));
                });
                for (String ns : closed) {
                    System.out.println("CLOSED " + ns);
                }
                System.out.flush();
                return result;
            }

            @Override
            public String describe() {
                return storage.describe();
            }

            @Override
            public void close() {
                storage.close();
            }
        };
    }

    private static StorageSession recording(StorageSession s, List<String> closed) {
        StatementStore statements = new ForwardingSession.ForwardingStatementStore(s.statements(), call -> { }) {
            @Override
            public void insertStatement(StatementRecord statement, List<StatementLineRecord> lines, List<String> ancestors) {
                super.insertStatement(statement, lines, ancestors);
                closed.add(statement.namespace());
            }
        };
        return new ForwardingSession(s, call -> { }) {
            @Override
            public StatementStore statements() {
                return statements;
            }
        };
    }
}
