package dev.billing.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.billing.core.InvalidRequestException;
import dev.billing.core.accounts.BillingPeriod;
import dev.billing.core.internal.BillingCycle;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class BillingCycleTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    private static Instant at(String s) {
        return Instant.parse(s);
    }

    @Test
    void check_hugeComponents_areRefusedNamingTheCycle_notAnArithmeticOverflow() {
        for (Period p : new Period[] {Period.of(Integer.MAX_VALUE, Integer.MAX_VALUE, 0), Period.ofDays(Integer.MIN_VALUE),
                Period.of(0, Integer.MIN_VALUE, 0), Period.of(11, 0, 0), Period.ZERO}) {
            InvalidRequestException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidRequestException.class,
                    () -> BillingCycle.check(p), p.toString());
            assertEquals("cycle", e.field());
        }
        assertEquals(Period.ofMonths(12), BillingCycle.check(Period.ofYears(1)));
    }

    @Test
    void periodAt_monthlyFromOpening_sameTimeOfDay() {
        BillingCycle c = new BillingCycle(at("2016-10-16T21:32:52Z"), UTC);
        assertEquals(new BillingPeriod(at("2016-10-16T21:32:52Z"), at("2016-11-16T21:32:52Z")), c.periodAt(at("2016-11-01T00:00:00Z")));
        assertEquals(new BillingPeriod(at("2016-11-16T21:32:52Z"), at("2016-12-16T21:32:52Z")), c.periodAt(at("2016-11-16T21:32:52Z")));
        assertEquals(Period.ofDays(15), c.remaining(c.periodAt(at("2016-11-01T21:32:52Z")), at("2016-11-01T21:32:52Z")));
    }

    @Test
    void openedOn31st_billsOnLastDayOfShorterMonths_andReturnsToThe31st() {
        BillingCycle c = new BillingCycle(at("2023-01-31T10:00:00Z"), UTC);
        assertEquals(at("2023-02-28T10:00:00Z"), c.periodAt(at("2023-02-10T00:00:00Z")).end());
        assertEquals(new BillingPeriod(at("2023-02-28T10:00:00Z"), at("2023-03-31T10:00:00Z")), c.periodAt(at("2023-03-01T00:00:00Z")));
        assertEquals(at("2023-04-30T10:00:00Z"), c.periodAt(at("2023-04-01T00:00:00Z")).end());
    }

    @Test
    void leapYear_februaryHas29Days() {
        BillingCycle c = new BillingCycle(at("2024-01-30T00:00:00Z"), UTC);
        assertEquals(new BillingPeriod(at("2024-01-30T00:00:00Z"), at("2024-02-29T00:00:00Z")), c.periodAt(at("2024-02-01T00:00:00Z")));
        assertEquals(at("2024-03-30T00:00:00Z"), c.periodAt(at("2024-03-01T00:00:00Z")).end());
    }

    @Test
    void timeZone_decidesTheDay_andDstKeepsLocalTime() {
        // opened 2024-01-31 23:30 in New York = 2024-02-01 04:30 UTC
        BillingCycle ny = new BillingCycle(at("2024-02-01T04:30:00Z"), ZoneId.of("America/New_York"));
        // next period starts on Feb 29 23:30 local (EST, UTC-5) = Mar 1 04:30 UTC
        assertEquals(at("2024-03-01T04:30:00Z"), ny.periodAt(at("2024-02-10T00:00:00Z")).end());
        // after the DST change (March 10) local 23:30 is UTC-4: March 31 23:30 EDT = April 1 03:30 UTC
        assertEquals(at("2024-04-01T03:30:00Z"), ny.periodAt(at("2024-03-15T00:00:00Z")).end());
    }

    @Test
    void next_followsWithoutGap() {
        BillingCycle c = new BillingCycle(at("2023-01-31T10:00:00Z"), UTC);
        BillingPeriod p = c.periodAt(at("2023-01-31T10:00:00Z"));
        for (int i = 0; i < 30; i++) {
            BillingPeriod n = c.next(p);
            assertEquals(p.end(), n.start());
            p = n;
        }
        assertEquals(at("2025-07-31T10:00:00Z"), p.start());
    }

    @Test
    void yearly_fromALeapDay_endsOnFebruary28_andReturnsToThe29thInTheNextLeapYear() {
        BillingCycle c = new BillingCycle(at("2024-02-29T12:00:00Z"), UTC, Period.ofYears(1));
        assertEquals(new BillingPeriod(at("2025-02-28T12:00:00Z"), at("2026-02-28T12:00:00Z")), c.periodAt(at("2025-06-01T00:00:00Z")));
        assertEquals(at("2028-02-29T12:00:00Z"), c.periodAt(at("2027-03-01T00:00:00Z")).end());
    }

    @Test
    void quarterly_fromThe31st_isCountedFromTheAnchor() {
        BillingCycle c = new BillingCycle(at("2023-01-31T00:00:00Z"), UTC, Period.ofMonths(3));
        assertEquals(at("2023-04-30T00:00:00Z"), c.periodAt(at("2023-02-01T00:00:00Z")).end());
        assertEquals(new BillingPeriod(at("2023-04-30T00:00:00Z"), at("2023-07-31T00:00:00Z")), c.periodAt(at("2023-05-01T00:00:00Z")));
    }

    @Test
    void weekly_acrossDst_keepsLocalTime() {
        ZoneId ny = ZoneId.of("America/New_York");
        // Sunday 2024-03-03 00:00 EST; DST starts 2024-03-10 02:00
        BillingCycle c = new BillingCycle(at("2024-03-03T05:00:00Z"), ny, Period.ofWeeks(1));
        BillingPeriod p = c.periodAt(at("2024-03-05T00:00:00Z"));
        assertEquals(at("2024-03-10T05:00:00Z"), p.end());
        assertEquals(at("2024-03-17T04:00:00Z"), c.next(p).end(), "00:00 EDT is 04:00 UTC");
        assertEquals(java.time.Duration.ofHours(167), java.time.Duration.between(c.next(p).start(), c.next(p).end()));
    }

    @Test
    void next_startsExactlyAtTheEnd_evenWhenThatIsNoBoundaryOfThisCycle() {
        BillingCycle c = new BillingCycle(at("2016-01-01T00:00:00Z"), UTC);
        BillingPeriod odd = new BillingPeriod(at("2016-01-15T00:00:00Z"), at("2016-02-10T12:00:00Z"));
        assertEquals(new BillingPeriod(at("2016-02-10T12:00:00Z"), at("2016-03-01T00:00:00Z")), c.next(odd));
    }

    @Test
    void check_acceptsWholeMonthsOrWholeDays_only() {
        assertEquals(Period.ofMonths(12), BillingCycle.check(Period.ofYears(1)));
        assertEquals(Period.ofDays(14), BillingCycle.check(Period.ofWeeks(2)));
        for (Period bad : java.util.List.of(Period.ZERO, Period.ofDays(-1), Period.of(0, 1, 1), Period.of(1, -13, 0),
                Period.ofYears(11), Period.ofDays(3661))) {
            assertEquals("cycle", org.junit.jupiter.api.Assertions.assertThrows(InvalidRequestException.class,
                    () -> BillingCycle.check(bad)).field(), bad.toString());
        }
    }
}
