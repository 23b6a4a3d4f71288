package dev.billing.test;

import dev.billing.core.BillingEngine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until the test moves it: give it to the engine as its only clock
 * ({@link BillingEngine.Builder#clock}), and a test decides what "now" is for every call.
 *
 * <pre>{@code
 * TestClock clock = TestClock.at("2026-01-15T10:00:00Z");
 * BillingEngine engine = BillingEngine.builder().storage(storage).clock(clock).build();
 * clock.advance(Duration.ofDays(3));
 * clock.advanceToPeriodEnd(engine, "acme");   // the end of acme's current billing period
 * }</pre>
 *
 * <p>{@link #advance} and {@link #advanceTo} only move forward, as time does in production; {@link #set}
 * moves anywhere, for a test that builds history out of order. Thread-safe: several threads of a test may
 * read it while one moves it.
 */
public final class TestClock extends Clock {

    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    private TestClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /**
     * @param start the first "now"
     * @param zone the clock's zone (the engine bills in its own zone, {@link BillingEngine.Builder#zone})
     * @return a clock standing at {@code start}
     */
    public static TestClock at(Instant start, ZoneId zone) {
        return new TestClock(new AtomicReference<>(Objects.requireNonNull(start, "start")),
                Objects.requireNonNull(zone, "zone"));
    }

    /**
     * @param isoInstant the first "now", such as {@code 2026-01-15T10:00:00Z}
     * @return a clock standing there, in UTC
     * @throws java.time.format.DateTimeParseException when the text is not an ISO-8601 instant
     */
    public static TestClock at(String isoInstant) {
        return at(Instant.parse(isoInstant), ZoneId.of("UTC"));
    }

    /**
     * Moves the clock forward.
     *
     * @param d how far, zero or more
     * @return the new "now"
     * @throws IllegalArgumentException when {@code d} is negative
     */
    public Instant advance(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("a test clock only moves forward: " + d);
        }
        return now.updateAndGet(i -> i.plus(d));
    }

    /**
     * Moves the clock forward to an instant.
     *
     * @param instant "now" from here on, not before the current "now"
     * @return {@code instant}
     * @throws IllegalArgumentException when {@code instant} is before the current "now"
     */
    public Instant advanceTo(Instant instant) {
        Objects.requireNonNull(instant, "instant");
        Instant before = now.getAndUpdate(i -> instant.isBefore(i) ? i : instant);
        if (instant.isBefore(before)) {
            throw new IllegalArgumentException("a test clock only moves forward: it is " + before + ", not " + instant);
        }
        return instant;
    }

    /**
     * Moves the clock to the end of an account's current billing period (its open period, the oldest not
     * closed yet): the first instant of the next one, at which the period is due to close. Nothing runs:
     * call {@link BillingEngine#runDue()} to close it (or use {@link BillingFixture#travel}, which does).
     *
     * @param engine the engine that bills the account
     * @param namespace the account
     * @return the new "now"
     * @throws dev.billing.core.NotFoundException when the engine has no such account
     * @throws IllegalStateException when that period ended before "now" and waits for {@code runDue}
     */
    public Instant advanceToPeriodEnd(BillingEngine engine, String namespace) {
        Instant end = engine.accounts().billingProfile(namespace).openPeriod().end();
        if (end.isBefore(instant())) {
            throw new IllegalStateException(namespace + "'s open period ended at " + end + ", before now (" + instant()
                    + "): run runDue() to close it first");
        }
        return advanceTo(end);
    }

    /**
     * Sets "now" to any instant, earlier ones included.
     *
     * @param instant the new "now"
     */
    public void set(Instant instant) {
        now.set(Objects.requireNonNull(instant, "instant"));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** @return a view of this clock in another zone: it moves when this one does */
    @Override
    public Clock withZone(ZoneId z) {
        return z.equals(zone) ? this : new TestClock(now, z);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public String toString() {
        return "TestClock[" + now.get() + ", " + zone + "]";
    }
}
