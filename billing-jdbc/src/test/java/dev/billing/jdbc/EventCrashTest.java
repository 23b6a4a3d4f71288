package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.events.Event;
import dev.billing.core.events.EventType;
import dev.billing.test.EventCapture;
import dev.billing.test.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM with SIGKILL around the commit of a unit of work that wrote an event, on an H2 file
 * with the default durability, then reopens the database with a new engine: an event whose unit of work
 * committed is delivered, even though the child died before its delivery was acknowledged; an event
 * whose unit of work had not committed never exists and is never delivered. Each test asserts that the
 * kill fell where it meant to (the held subscription exists, or does not), so that it cannot pass by
 * killing somewhere else.
 */
class EventCrashTest {

    private static final Instant AT = Instant.parse("2026-12-07T09:00:00Z");
    /** The account the child holds at: the ones before it were bought and delivered. */
    private static final int HOLD = 6;

    @TempDir
    Path dir;

    @Test
    void sigkillAfterTheCommit_beforeTheDeliveryIsAcknowledged_losesNoEvent() throws Exception {
        Path db = prepare();
        List<String> out = runChildUntil(db, "listener", "HOLDING ");
        String heldSubject = out.get(out.size() - 1).substring("HOLDING ".length());
        List<String> acknowledged = out.stream().filter(l -> l.startsWith("GOT ")).map(l -> l.substring(4)).toList();
        assertEquals(HOLD - 1, acknowledged.size(), "the child delivered the events before the held one: " + out);

        try (JdbiStorage storage = JdbiStorage.h2File(db)) {
            BillingEngine engine = engine(storage);
            String held = "acct-" + HOLD;
            assertEquals(heldSubject, engine.subscriptions().subscriptions(held).get(0).id(),
                    "the held event's unit of work committed before the kill: the kill fell between commit and delivery");
            EventCapture mailer = new EventCapture();
            engine.events().subscribe("mailer", mailer);
            assertEquals(1, engine.events().dispatch());
            assertEquals(List.of(heldSubject), mailer.events().stream().map(Event::subject).toList(),
                    "the event the child died delivering is delivered again, and only it (the others were acknowledged)");
            assertEquals(EventType.SUBSCRIPTION_CREATED, mailer.events().get(0).type());

            List<String> all = engine.events().poll(null, 0, 100).events().stream().map(Event::subject).toList();
            List<String> delivered = new ArrayList<>(acknowledged);
            delivered.add(heldSubject);
            assertEquals(all, delivered, "every committed event delivered, in order, none lost");
        }
    }

    @Test
    void sigkillBeforeTheCommit_leavesNoEvent_andNoneIsEverDelivered() throws Exception {
        Path db = prepare();
        List<String> out = runChildUntil(db, "append", "APPENDED ");
        assertEquals("APPENDED acct-" + HOLD, out.get(out.size() - 1));

        try (JdbiStorage storage = JdbiStorage.h2File(db)) {
            BillingEngine engine = engine(storage);
            String held = "acct-" + HOLD;
            assertEquals(List.of(), engine.subscriptions().subscriptions(held),
                    "the held unit of work never committed: the kill fell before the commit");
            EventCapture mailer = new EventCapture();
            engine.events().subscribe("mailer", mailer);
            engine.events().dispatch();
            engine.runDue();
            assertEquals(List.of(), mailer.events(), "the child acknowledged every committed event; nothing else exists");
            List<Event> all = engine.events().poll(null, 0, 100).events();
            assertEquals(HOLD - 1, all.size());
            assertTrue(all.stream().noneMatch(e -> e.namespace().equals(held)), "no event of the rolled-back work: " + all);
        }
    }

    /** A database with the catalog the child buys from. */
    private Path prepare() {
        Path db = dir.resolve("events");
        try (JdbiStorage storage = JdbiStorage.h2File(db)) {
            BillingEngine engine = engine(storage);
            engine.catalog().defineRegion(Region.available("cn-north-1", "North"));
            engine.catalog().definePlan(Plan.of("c-small", "C", Money.of(20, "CNY"), PlanTerm.MONTHLY, "1 CPU",
                    "cn-north-1"));
        }
        return db;
    }

    private static BillingEngine engine(JdbiStorage storage) {
        return BillingEngine.builder().storage(storage).clock(TestClock.at(AT, ZoneOffset.UTC)).zone(ZoneOffset.UTC)
                .build();
    }

    /** Runs the child until it prints a line starting with {@code last}, then kills it: its output up to that line. */
    private List<String> runChildUntil(Path db, String mode, String last) throws Exception {
        List<String> out = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(EventCrashChild.class, dir.resolve("child-" + mode + ".txt"), db.toString(),
                mode, Integer.toString(HOLD), AT.toString())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            String line;
            while ((line = child.next(deadline)) != null && !line.equals(ChildJvm.EOF)) {
                out.add(line);
                if (line.startsWith(last)) {
                    break;
                }
            }
            assertTrue(line != null && line.startsWith(last), "the child did not get to " + last + ": " + out
                    + "; stderr:\n" + child.errors());
            child.process.destroyForcibly();
            assertTrue(child.process.waitFor(30, TimeUnit.SECONDS));
        }
        return out;
    }
}
