package dev.billing.core;

import dev.billing.core.charges.BillingPeriod;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Monthly billing periods anchored at an account's opening, in a time zone. Period {@code k} starts at
 * {@code anchor.plusMonths(k)}, always counted from the original anchor, so an account opened on the
 * 31st bills on the last day of shorter months and returns to the 31st after them.
 */
final class BillingCycle {

    private final ZonedDateTime anchor;

    BillingCycle(Instant opened, ZoneId zone) {
        this.anchor = opened.atZone(zone);
    }

    /** @return the period containing {@code t} (which must not precede the anchor) */
    BillingPeriod periodAt(Instant t) {
        ZonedDateTime at = t.atZone(anchor.getZone());
        long k = Math.max(0, ChronoUnit.MONTHS.between(anchor, at));
        while (k > 0 && anchor.plusMonths(k).toInstant().isAfter(t)) {
            k--;
        }
        while (!anchor.plusMonths(k + 1).toInstant().isAfter(t)) {
            k++;
        }
        return new BillingPeriod(anchor.plusMonths(k).toInstant(), anchor.plusMonths(k + 1).toInstant());
    }

    /** @return the instant the cycle is anchored at: the start of the first period */
    Instant anchor() {
        return anchor.toInstant();
    }

    /** @return the period after {@code p} */
    BillingPeriod next(BillingPeriod p) {
        return periodAt(p.end());
    }

    /** @return the whole days from {@code now} to the end of {@code p}, such as {@code P15D} */
    Period remaining(BillingPeriod p, Instant now) {
        long days = ChronoUnit.DAYS.between(now.atZone(anchor.getZone()), p.end().atZone(anchor.getZone()));
        return Period.ofDays((int) Math.max(0, days));
    }
}
