package dev.billing.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.billing.core.BillingEngine;
import dev.billing.core.NotFoundException;
import dev.billing.core.memory.InMemoryStorage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import javax.money.Monetary;
import org.junit.jupiter.api.Test;

class TestClockTest {

    private final TestClock clock = TestClock.at("2026-01-15T10:00:00Z");

    @Test
    void standsStill_untilMoved() {
        assertEquals(Instant.parse("2026-01-15T10:00:00Z"), clock.instant());
        assertEquals(clock.instant(), clock.instant());
        assertEquals(ZoneId.of("UTC"), clock.getZone());
    }

    @Test
    void advance_byDuration_andToInstant() {
        assertEquals(Instant.parse("2026-01-16T10:00:00Z"), clock.advance(Duration.ofDays(1)));
        assertEquals(Instant.parse("2026-02-01T00:00:00Z"), clock.advanceTo(Instant.parse("2026-02-01T00:00:00Z")));
        assertEquals(Instant.parse("2026-02-01T00:00:00Z"), clock.instant());
    }

    @Test
    void backwards_isRefused_andTheClockStaysPut() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> clock.advanceTo(Instant.parse("2026-01-15T09:59:59Z")));
        assertEquals("a test clock only moves forward: it is 2026-01-15T10:00:00Z, not 2026-01-15T09:59:59Z",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
        assertEquals(Instant.parse("2026-01-15T10:00:00Z"), clock.instant());
    }

    @Test
    void set_movesAnywhere() {
        clock.set(Instant.parse("2020-01-01T00:00:00Z"));
        assertEquals(Instant.parse("2020-01-01T00:00:00Z"), clock.instant());
    }

    @Test
    void withZone_isAViewThatMovesWithIt() {
        Clock shanghai = clock.withZone(ZoneId.of("Asia/Shanghai"));
        clock.advance(Duration.ofHours(1));
        assertEquals(clock.instant(), shanghai.instant());
        assertEquals(ZoneId.of("Asia/Shanghai"), shanghai.getZone());
    }

    @Test
    void advanceToPeriodEnd_isTheOpenPeriodsEnd() {
        BillingEngine engine = BillingEngine.builder().storage(InMemoryStorage.create()).clock(clock).build();
        engine.accounts().openAccount("acme", Monetary.getCurrency("CNY"), "open");
        // periods run a month from the account's opening
        assertEquals(Instant.parse("2026-02-15T10:00:00Z"), clock.advanceToPeriodEnd(engine, "acme"));
        assertEquals(Instant.parse("2026-02-15T10:00:00Z"), clock.instant());
    }

    @Test
    void advanceToPeriodEnd_refusesAPeriodThatAlreadyEnded_andAnUnknownAccount() {
        BillingEngine engine = BillingEngine.builder().storage(InMemoryStorage.create()).clock(clock).build();
        engine.accounts().openAccount("acme", Monetary.getCurrency("CNY"), "open");
        clock.advanceTo(Instant.parse("2026-02-16T00:00:00Z"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> clock.advanceToPeriodEnd(engine, "acme"));
        assertEquals("acme's open period ended at 2026-02-15T10:00:00Z, before now (2026-02-16T00:00:00Z): run runDue() "
                + "to close it first", e.getMessage());
        assertThrows(NotFoundException.class, () -> clock.advanceToPeriodEnd(engine, "nobody"));
        assertEquals(Instant.parse("2026-02-16T00:00:00Z"), clock.instant());
    }
}
