package dev.billing.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.billing.core.charges.BillingPeriod;
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
}
