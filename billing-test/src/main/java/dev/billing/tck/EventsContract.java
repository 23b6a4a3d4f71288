package dev.billing.tck;

import static dev.billing.core.events.EventType.ACCOUNT_REACTIVATED;
import static dev.billing.core.events.EventType.ACCOUNT_SUSPENDED;
import static dev.billing.core.events.EventType.PERIOD_CLOSED;
import static dev.billing.core.events.EventType.SUBSCRIPTION_CREATED;
import static dev.billing.core.events.EventType.SUBSCRIPTION_ENDED;
import static dev.billing.core.events.EventType.SUBSCRIPTION_RENEWAL_FAILED;
import static dev.billing.core.events.EventType.SUBSCRIPTION_RENEWED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.ConflictException;
import dev.billing.core.InsufficientFundsException;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.charges.Rate;
import dev.billing.core.events.Event;
import dev.billing.core.events.EventPage;
import dev.billing.core.events.EventType;
import dev.billing.core.usage.UsageEvent;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageSnapshot;
import dev.billing.test.BillingFixture;
import dev.billing.test.EventCapture;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.money.Monetary;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine's events on a storage, written once and run against every storage: extend it and
 * implement {@link #newStorage()}. Each lifecycle step writes its event in its own unit of work;
 * listeners get it after the commit, never for work that rolled back; a listener that fails gets it
 * again; the outbox can be polled instead.
 */
public abstract class EventsContract {

    private static final Instant START = Instant.parse("2026-01-05T09:00:00Z");

    /** The fixture under test: its engine on {@link #newStorage()}, subscribed as {@value BillingFixture#EVENT_CONSUMER}. */
    protected BillingFixture billing;
    /** Its engine. */
    protected BillingEngine engine;
    /** What its listener received. */
    protected EventCapture events;

    /** @return a new, empty storage; the contract closes it */
    protected abstract BillingStorage newStorage();

    @BeforeEach
    void build() {
        build(null);
    }

    /** Builds the fixture on a new storage, its due runs keeping events for {@code retention} (null: for ever). */
    private void build(Duration retention) {
        BillingFixture.Builder b = BillingFixture.builder().storage(newStorage()).start(START).zone(ZoneOffset.UTC)
                .region(Region.available("cn-north-1", "North"))
                .plan(Plan.of("c-small", "C", cny("20"), PlanTerm.MONTHLY, "1 CPU", "cn-north-1"))
                .rate(Rate.flat("DBAAS", "UPTIME", "hours", new BigDecimal("0.05"), Monetary.getCurrency("CNY"),
                        LocalDate.of(2026, 1, 1)));
        if (retention != null) {
            b.eventRetention(retention);
        }
        billing = b.build();
        engine = billing.engine();
        events = billing.events();
    }

    // ------------------------------------------------------------------ retention

    /** Positions of the events a poller reads from the start. */
    private List<Long> kept() {
        return engine.events().poll(null, 0, 1000).events().stream().map(Event::position).toList();
    }

    @Test
    void prune_deletesOnlyOldEventsEveryConsumerHandled_andAForgottenConsumerHoldsNothingBack() throws Exception {
        engine.wallet().recharge("acme", cny("100"), "r1");
        engine.subscriptions().checkout("acme", "c-small", "cn-north-1", "c1");
        List<Long> seen = new ArrayList<>();
        AutoCloseable lagging = engine.events().subscribe("lagging", e -> {
            if (e.position() > 1) {
                throw new IllegalStateException("down");
            }
            seen.add(e.position());
        });
        engine.events().dispatch();
        assertEquals(List.of(1L), seen);
        billing.travel(Period.ofMonths(2));
        Instant now = billing.clock().instant();
        List<Long> all = kept();
        long newest = all.get(all.size() - 1);
        assertTrue(newest >= 4, "renewals and statements since: " + all);
        assertEquals(Map.of(BillingFixture.EVENT_CONSUMER, newest, "lagging", 1L), engine.events().cursors());

        assertEquals(1, engine.events().prune(now), "only what the lagging consumer handled");
        assertEquals(all.subList(1, all.size()), kept());
        lagging.close();
        assertEquals(0, engine.events().prune(now), "a consumer no longer subscribed keeps its cursor, and holds the rest back");
        AutoCloseable other = engine.events().subscribe("other", e -> { });
        assertThrows(IllegalStateException.class, () -> engine.events().forget("other"));
        other.close();
        assertTrue(engine.events().forget("other"));
        assertEquals("consumer", assertThrows(InvalidRequestException.class, () -> engine.events().forget(" ")).field());

        assertTrue(engine.events().forget("lagging"));
        assertEquals(false, engine.events().forget("lagging"));
        List<Event> rest = engine.events().poll(null, 0, 1000).events();
        long older = rest.stream().filter(e -> e.occurredAt().isBefore(now)).count();
        assertTrue(older > 0 && older < rest.size(), "some events occurred at the last due run's instant: " + rest);
        assertEquals(older, engine.events().prune(now));
        assertTrue(engine.events().poll(null, 0, 1000).events().stream().noneMatch(e -> e.occurredAt().isBefore(now)));
        engine.wallet().recharge("acme", cny("100"), "r2");
        engine.subscriptions().checkout("acme", "c-small", "cn-north-1", "c2");
        assertEquals(newest + 1, events.last(SUBSCRIPTION_CREATED).position(), "positions go on");
    }

    /**
     * A listener on another engine sharing the storage (another process) that has handled nothing yet, its
     * first event failing there: pruning here keeps that event for it.
     */
    @Test
    void prune_keepsWhatAListenerElsewhereHasNotHandled_evenBeforeItHandledAnything() throws Exception {
        engine.wallet().recharge("acme", cny("100"), "r1");
        engine.subscriptions().checkout("acme", "c-small", "cn-north-1", "c1");
        BillingEngine elsewhere = BillingEngine.builder().storage(billing.storage()).clock(billing.clock())
                .zone(ZoneOffset.UTC).build();
        List<Long> got = new ArrayList<>();
        boolean[] down = {true};
        AutoCloseable failing = elsewhere.events().subscribe("failing", e -> {
            if (down[0]) {
                throw new IllegalStateException("down");
            }
            got.add(e.position());
        });
        elsewhere.events().dispatch();
        assertEquals(Map.of(BillingFixture.EVENT_CONSUMER, 1L, "failing", 0L), engine.events().cursors());
        billing.clock().advance(Duration.ofDays(1));
        assertEquals(0, engine.events().prune(billing.clock().instant()), "its cursor is stored though it has handled none");
        assertEquals(List.of(1L), kept());
        down[0] = false;
        elsewhere.events().dispatch();
        assertEquals(List.of(1L), got, "delivered once it recovered");
        failing.close();
        assertEquals(1, engine.events().prune(billing.clock().instant()));
        assertEquals(List.of(), kept());
    }

    @Test
    void dueRuns_deleteEventsOlderThanTheRetention() {
        billing.close();
        build(Duration.ofDays(10));
        engine.wallet().recharge("acme", cny("100"), "r1");
        engine.subscriptions().checkout("acme", "c-small", "cn-north-1", "c1");
        billing.clock().advance(Duration.ofDays(9));
        engine.runDue();
        assertEquals(List.of(1L), kept(), "nine days old: kept");
        billing.clock().advance(Duration.ofDays(2));
        assertEquals(List.of(), engine.runDue().failures());
        assertEquals(List.of(), kept(), "eleven days old: deleted");
        events.assertTypes(SUBSCRIPTION_CREATED);
    }

    @AfterEach
    void check() {
        billing.assertInvariants();
        billing.close();
    }

    private static Money cny(String amount) {
        return Money.of(new BigDecimal(amount), "CNY");
    }

    @Test
    void checkout_deliversSubscriptionCreated_withItsData_afterTheCommit() {
        engine.wallet().recharge("acme", cny("100"), "r1");
        events.assertTypes();
        List<String> seenByListener = new ArrayList<>();
        engine.events().subscribe("reader", e -> seenByListener.add(e.subject() + " "
                + engine.subscriptions().subscriptions(e.namespace()).size()));
        engine.subscriptions().checkout("acme", "c-small", "cn-north-1", "c1");

        Event created = events.last(SUBSCRIPTION_CREATED);
        String subscriptionId = engine.subscriptions().subscriptions("acme").get(0).id();
        assertEquals("acme", created.namespace());
        assertEquals(subscriptionId, created.subject());
        assertEquals(Map.of("planId", "c-small", "planVersion", "1", "region", "cn-north-1", "periodStart", START.toString(),
                "periodEnd", "2026-02-05T09:00:00Z", "amount", "20.00", "currency", "CNY", "transactionId",
                engine.wallet().transactions("acme", null, 10).items().get(0).id()), created.data());
        assertEquals(START, created.occurredAt());
        assertEquals(List.of(subscriptionId + " 1"), seenByListener,
                "the listener, reading through the engine, sees what the event's unit of work committed");
        events.assertTypes(SUBSCRIPTION_CREATED);
    }

    @Test
    void workThatFails_writesNoEvent_andDeliversNone() {
        engine.wallet().recharge("acme", cny("10"), "r1");
        StorageSnapshot before = StorageSnapshot.of(billing.storage());
        assertThrows(InsufficientFundsException.class, () -> engine.subscriptions().checkout("acme", "c-small",
                "cn-north-1", "c1"));
        engine.wallet().recharge("acme", cny("90"), "r2");
        // the same key as a recharge: the checkout runs, appends its event, and its unit of work is undone
        // when the key's record refuses it
        StorageSnapshot funded = StorageSnapshot.of(billing.storage());
        assertThrows(ConflictException.class, () -> engine.subscriptions().checkout("acme", "c-small", "cn-north-1",
                "r2"));
        assertEquals(funded, StorageSnapshot.of(billing.storage()));
        assertEquals(List.of(), before.events());
        assertEquals(List.of(), funded.events());
        events.assertTypes();
        assertEquals(List.of(), engine.events().poll(null, 0, 10).events());
    }

    @Test
    void renewal_deliversRenewed_andAnUnpaidOne_renewalFailedThenEnded() {
        engine.wallet().recharge("acme", cny("40"), "r1");
        engine.subscriptions().checkout("acme", "c-small", "cn-north-1", "c1");
        billing.travel(Period.ofMonths(1)); // Feb 5: renewed (20 left 0), period closed
        List<Event> renewed = events.ofType(SUBSCRIPTION_RENEWED);
        assertEquals(1, renewed.size());
        assertEquals("2026-02-05T09:00:00Z", renewed.get(0).get("periodStart"));
        assertEquals("2026-03-05T09:00:00Z", renewed.get(0).get("periodEnd"));
        events.clear();

        billing.travel(Period.ofMonths(1)); // Mar 5: nothing left to pay with
        assertEquals(List.of(PERIOD_CLOSED, SUBSCRIPTION_RENEWAL_FAILED, SUBSCRIPTION_ENDED), events.types());
        Event failed = events.last(SUBSCRIPTION_RENEWAL_FAILED);
        assertEquals("insufficient_funds", failed.get("reason"));
        assertEquals("20.00", failed.get("amount"));
        assertEquals("unpaid", events.last(SUBSCRIPTION_ENDED).get("reason"));
    }

    @Test
    void closingAPeriod_deliversPeriodClosed_arrearsSuspend_andPayingTheDebtReactivates() {
        engine.wallet().recharge("acme", cny("1"), "r1");
        billing.clock().advance(Duration.ofDays(2));
        for (int hour = 0; hour < 40; hour++) {
            engine.usage().ingest(new UsageEvent("u" + hour, "acme", "DBAAS", "UPTIME", BigDecimal.ONE,
                    START.plus(Duration.ofHours(hour))));
        }
        billing.travelTo(Instant.parse("2026-02-05T09:00:00Z")); // 40 hours at 0.05 = 2.00: 1.00 paid, 1.00 owed
        assertEquals(List.of(ACCOUNT_SUSPENDED, PERIOD_CLOSED), events.types());
        Event closed = events.last(PERIOD_CLOSED);
        assertEquals(engine.charges().statements("acme").get(0).id(), closed.subject());
        assertEquals("2.00", closed.get("chargeTotal"));
        assertEquals("unpaid_charges", events.last(ACCOUNT_SUSPENDED).get("reason"));
        events.clear();

        engine.wallet().recharge("acme", cny("5"), "r2");
        events.assertTypes(ACCOUNT_REACTIVATED);
    }

    @Test
    void anOperatorsStatusChanges_deliverSuspendedAndReactivated_onlyWhenTheStatusChanges() {
        engine.wallet().recharge("acme", cny("1"), "r1");
        engine.accounts().setStatus("acme", AccountStatus.SUSPENDED, "s1");
        engine.accounts().setStatus("acme", AccountStatus.SUSPENDED, "s2");
        engine.accounts().setStatus("acme", AccountStatus.ACTIVE, "s3");
        engine.accounts().setStatus("acme", AccountStatus.ACTIVE, "s4");
        events.assertTypes(ACCOUNT_SUSPENDED, ACCOUNT_REACTIVATED);
    }

    @Test
    void aDebitCrossingTheLowBalanceThreshold_deliversBalanceLow_oncePerCrossing() {
        engine.wallet().recharge("acme", cny("100"), "r1");
        engine.accounts().setLowBalanceThreshold("acme", cny("30"));
        engine.subscriptions().checkout("acme", "c-small", "cn-north-1", "c1");       // 80: above
        engine.wallet().adjust("acme", cny("-55"), "correction", "a1");               // 25: crosses
        engine.wallet().adjust("acme", cny("-5"), "correction", "a2");                // 20: below already
        engine.wallet().recharge("acme", cny("50"), "r2");                            // 70: back above
        engine.subscriptions().checkout("acme", "c-small", "cn-north-1", "c2");       // 50
        engine.wallet().adjust("acme", cny("-21"), "correction", "a3");               // 29: crosses again
        List<Event> low = events.ofType(EventType.BALANCE_LOW);
        assertEquals(2, low.size(), events.types().toString());
        assertEquals(Map.of("balance", "25.00", "threshold", "30.00", "currency", "CNY"), low.get(0).data());
        assertEquals("29.00", low.get(1).get("balance"));

        StorageSnapshot before = StorageSnapshot.of(billing.storage());
        assertEquals("threshold", assertThrows(InvalidRequestException.class,
                () -> engine.accounts().setLowBalanceThreshold("acme", cny("-1"))).field());
        assertEquals("threshold", assertThrows(InvalidRequestException.class,
                () -> engine.accounts().setLowBalanceThreshold("acme", Money.of(1, "USD"))).field());
        assertEquals("threshold", assertThrows(InvalidRequestException.class,
                () -> engine.accounts().setLowBalanceThreshold("acme", cny("0.001"))).field());
        assertThrows(dev.billing.core.NotFoundException.class,
                () -> engine.accounts().setLowBalanceThreshold("nobody", cny("1")));
        assertEquals(before, StorageSnapshot.of(billing.storage()));
        engine.accounts().setLowBalanceThreshold("acme", null);
        engine.wallet().recharge("acme", cny("50"), "r3");
        engine.wallet().adjust("acme", cny("-70"), "correction", "a4");
        assertEquals(2, events.ofType(EventType.BALANCE_LOW).size(), "no threshold: no event");
    }

    @Test
    void aListenerThatThrows_getsTheEventAgainAtTheNextDispatch_andOtherConsumersAreNotHeldUp() {
        engine.wallet().recharge("acme", cny("100"), "r1");
        List<String> flaky = new ArrayList<>();
        boolean[] fail = {true};
        engine.events().subscribe("flaky", e -> {
            if (fail[0]) {
                throw new IllegalStateException("mail server down");
            }
            flaky.add(e.id());
        });
        engine.subscriptions().checkout("acme", "c-small", "cn-north-1", "c1");
        engine.accounts().setStatus("acme", AccountStatus.SUSPENDED, "s1");
        events.assertTypes(SUBSCRIPTION_CREATED, ACCOUNT_SUSPENDED);
        assertEquals(List.of(), flaky);

        fail[0] = false;
        assertEquals(2, engine.events().dispatch());
        assertEquals(engine.events().poll(null, 0, 10).events().stream().map(Event::id).toList(), flaky,
                "both, in order, once each");
        assertEquals(0, engine.events().dispatch(), "nothing is left");
        assertEquals(0, events.redeliveries());
    }

    @Test
    void aListenerWhoseOwnCallWritesAnEvent_getsEachEventOnce_neverNested() {
        engine.wallet().recharge("acme", cny("100"), "r1");
        List<String> seen = new ArrayList<>();
        int[] depth = {0};
        int[] deepest = {0};
        engine.events().subscribe("top-up", e -> {
            depth[0]++;
            deepest[0] = Math.max(deepest[0], depth[0]);
            seen.add(e.type().code());
            if (e.type() == ACCOUNT_SUSPENDED) {
                engine.accounts().setStatus("acme", AccountStatus.ACTIVE, "reactivate-" + e.id()); // writes an event
            }
            depth[0]--;
        });
        engine.accounts().setStatus("acme", AccountStatus.SUSPENDED, "s1");
        assertEquals(List.of("account.suspended", "account.reactivated"), seen);
        assertEquals(1, deepest[0], "delivery is one event at a time");
        assertEquals(0, engine.events().dispatch());
    }

    @Test
    void polling_readsEveryEventInOrder_afterACursor_perNamespace_andRefusesBadArguments() {
        engine.wallet().recharge("acme", cny("100"), "r1");
        engine.wallet().recharge("beta", cny("100"), "r2");
        engine.subscriptions().checkout("acme", "c-small", "cn-north-1", "c1");
        engine.subscriptions().checkout("beta", "c-small", "cn-north-1", "c2");
        engine.accounts().setStatus("acme", AccountStatus.SUSPENDED, "s1");

        EventPage all = engine.events().poll(null, 0, 1000);
        assertEquals(List.of(1L, 2L, 3L), all.events().stream().map(Event::position).toList());
        assertEquals(events.events(), all.events(), "the same events as the listener got, in the same order");
        assertEquals(3, all.cursor());
        EventPage acme = engine.events().poll("acme", 0, 1);
        assertEquals(List.of(1L), acme.events().stream().map(Event::position).toList());
        EventPage next = engine.events().poll("acme", acme.cursor(), 10);
        assertEquals(List.of(3L), next.events().stream().map(Event::position).toList());
        EventPage none = engine.events().poll("acme", next.cursor(), 10);
        assertEquals(List.of(), none.events());
        assertEquals(3, none.cursor(), "an empty page keeps the cursor");

        StorageSnapshot before = StorageSnapshot.of(billing.storage());
        assertEquals("after", assertThrows(InvalidRequestException.class, () -> engine.events().poll(null, -1, 10)).field());
        assertEquals("limit", assertThrows(InvalidRequestException.class, () -> engine.events().poll(null, 0, 0)).field());
        assertEquals("limit", assertThrows(InvalidRequestException.class, () -> engine.events().poll(null, 0, 1001)).field());
        assertEquals("namespace", assertThrows(InvalidRequestException.class, () -> engine.events().poll(" ", 0, 10)).field());
        assertEquals(before, StorageSnapshot.of(billing.storage()));
    }

    @Test
    void aSecondEngineOnTheStorage_withTheSameConsumerName_carriesOnFromTheSharedCursor() {
        engine.wallet().recharge("acme", cny("100"), "r1");
        engine.subscriptions().checkout("acme", "c-small", "cn-north-1", "c1");
        events.assertTypes(SUBSCRIPTION_CREATED);
        BillingEngine second = BillingEngine.builder().storage(billing.storage()).clock(billing.clock()).build();
        EventCapture secondCapture = new EventCapture();
        second.events().subscribe(BillingFixture.EVENT_CONSUMER, secondCapture);
        assertEquals(0, second.events().dispatch(), "the first engine delivered it already");
        second.accounts().setStatus("acme", AccountStatus.SUSPENDED, "s1");
        assertEquals(List.of(ACCOUNT_SUSPENDED), secondCapture.types());
        assertEquals(0, engine.events().dispatch(), "and the second one delivered this");
        assertTrue(events.events().isEmpty());
    }
}
