package dev.billing.jdbc;

import dev.billing.core.BillingEngine;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.EventRecord;
import dev.billing.spi.EventStore;
import dev.billing.spi.StorageWork;
import dev.billing.tck.ForwardingSession;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.locks.LockSupport;
import org.javamoney.moneta.Money;

/**
 * The child JVM of {@link EventCrashTest}: opens the prepared database, subscribes a listener as
 * {@code mailer} that prints {@code GOT <subject>} for each event, and buys a plan for accounts
 * {@code acct-1, acct-2, ...}, each checkout writing a {@code subscription.created} event. It stops for
 * good (parks; its parent kills it) at account number {@code hold}:
 *
 * <ul>
 *   <li>mode {@code listener}: in the listener, on that account's event, after printing {@code HOLDING
 *       <subject>}: its unit of work has committed, its delivery is not acknowledged;
 *   <li>mode {@code append}: inside that account's unit of work, right after its event was appended,
 *       after printing {@code APPENDED acct-<hold>}: nothing of it has committed.
 * </ul>
 *
 * <p>Arguments: the database path without {@code .mv.db}, the mode, {@code hold}, the instant of the clock.
 */
final class EventCrashChild {

    private EventCrashChild() {
    }

    public static void main(String[] args) {
        String mode = args[1];
        int hold = Integer.parseInt(args[2]);
        String held = "acct-" + hold;
        JdbiStorage storage = JdbiStorage.h2File(Path.of(args[0]));
        BillingStorage watched = mode.equals("append") ? holdingAppend(storage, held) : storage;
        BillingEngine engine = BillingEngine.builder().storage(watched)
                .clock(Clock.fixed(Instant.parse(args[3]), ZoneOffset.UTC)).zone(ZoneOffset.UTC).build();
        engine.events().subscribe("mailer", e -> {
            if (mode.equals("listener") && e.namespace().equals(held)) {
                say("HOLDING " + e.subject());
                park();
            }
            say("GOT " + e.subject());
        });
        say("READY");
        for (int i = 1; i <= hold; i++) {
            engine.wallet().recharge("acct-" + i, Money.of(100, "CNY"), "r-" + i);
            engine.subscriptions().checkout("acct-" + i, "c-small", "cn-north-1", "c-" + i);
            say("BOUGHT acct-" + i);
        }
        say("NOT HELD");
    }

    /** The storage, parking the unit of work that appends an event for {@code held}, right after the append. */
    private static BillingStorage holdingAppend(JdbiStorage storage, String held) {
        return new BillingStorage() {
            @Override
            public <T> T inTransaction(StorageWork<T> work) {
                return storage.inTransaction(s -> work.run(new ForwardingSession(s, call -> { }) {
                    @Override
                    public EventStore events() {
                        return new ForwardingEventStore(s.events(), call -> { }) {
                            @Override
                            public void appendEvent(EventRecord event) {
                                super.appendEvent(event);
                                if (event.namespace().equals(held)) {
                                    say("APPENDED " + held);
                                    park();
                                }
                            }
                        };
                    }
                }));
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

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static void park() {
        while (true) {
            LockSupport.park();
        }
    }
}
