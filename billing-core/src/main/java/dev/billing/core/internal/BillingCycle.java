package dev.billing.core.internal;

import dev.billing.core.InvalidRequestException;
import dev.billing.core.accounts.BillingPeriod;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Billing periods of a fixed length (whole months or whole days) anchored at an instant, in a time
 * zone. Period {@code k} starts at {@code anchor + k × length}, always counted from the anchor, so a
 * monthly cycle anchored on the 31st bills on the last day of shorter months and returns to the 31st
 * after them, and a daily or weekly cycle keeps its local time of day across DST changes.
 */
public final class BillingCycle {

    /** The cycle of accounts that do not say otherwise. */
    public static final Period MONTHLY = Period.ofMonths(1);

    private final ZonedDateTime anchor;
    private final long months;
    private final long days;

    /**
     * @param anchor the start of period 0
     * @param zone the zone periods are laid out in
     * @param length whole months (years count as 12) or whole days, positive; see {@link #check}
     */
    public BillingCycle(Instant anchor, ZoneId zone, Period length) {
        this.anchor = anchor.atZone(zone);
        Period checked = check(length);
        this.months = checked.toTotalMonths();
        this.days = checked.getDays();
    }

    /** A monthly cycle. */
    public BillingCycle(Instant anchor, ZoneId zone) {
        this(anchor, zone, MONTHLY);
    }

    /**
     * @param length a cycle length
     * @return it, normalised (years as months)
     * @throws InvalidRequestException naming {@code cycle} when it is not a positive number of months
     *     (or years), or of days (or weeks), but not both, at most 10 years
     */
    public static Period check(Period length) {
        if (length == null) {
            throw InvalidRequestException.of("cycle", "is required");
        }
        if (Math.abs((long) length.getYears()) > 10 || Math.abs((long) length.getMonths()) > 120
                || Math.abs((long) length.getDays()) > 3660) {
            throw InvalidRequestException.of("cycle", length + " is longer than 10 years");
        }
        Period p = length.normalized();
        if (p.isNegative() || p.isZero()) {
            throw InvalidRequestException.of("cycle", length + " is not positive");
        }
        if (p.toTotalMonths() != 0 && p.getDays() != 0) {
            throw InvalidRequestException.of("cycle", length + " mixes months and days; use whole months (P1M, P3M, P1Y) "
                    + "or whole days (P7D)");
        }
        if (p.toTotalMonths() > 120 || p.getDays() > 3660) {
            throw InvalidRequestException.of("cycle", length + " is longer than 10 years");
        }
        return p.toTotalMonths() != 0 ? Period.ofMonths((int) p.toTotalMonths()) : Period.ofDays(p.getDays());
    }

    private Instant start(long k) {
        return (months != 0 ? anchor.plusMonths(k * months) : anchor.plusDays(k * days)).toInstant();
    }

    /** @return the period containing {@code t} (period 0 when {@code t} precedes the anchor) */
    public BillingPeriod periodAt(Instant t) {
        ZonedDateTime at = t.atZone(anchor.getZone());
        long k = Math.max(0, months != 0 ? ChronoUnit.MONTHS.between(anchor, at) / months
                : ChronoUnit.DAYS.between(anchor, at) / days);
        while (k > 0 && start(k).isAfter(t)) {
            k--;
        }
        while (!start(k + 1).isAfter(t)) {
            k++;
        }
        return new BillingPeriod(start(k), start(k + 1));
    }

    /** @return the instant the cycle is anchored at: the start of period 0 */
    public Instant anchor() {
        return anchor.toInstant();
    }

    /** @return the zone periods are laid out in */
    public ZoneId zone() {
        return anchor.getZone();
    }

    /** @return the length of one period, normalised */
    public Period length() {
        return months != 0 ? Period.ofMonths((int) months) : Period.ofDays((int) days);
    }

    /** @return the first period boundary strictly after {@code t} */
    public Instant boundaryAfter(Instant t) {
        return periodAt(t).end();
    }

    /** @return the period after {@code p}: from its end, exactly, to the next boundary */
    public BillingPeriod next(BillingPeriod p) {
        return new BillingPeriod(p.end(), boundaryAfter(p.end()));
    }

    /** @return the whole days from {@code now} to the end of {@code p}, such as {@code P15D} */
    public Period remaining(BillingPeriod p, Instant now) {
        long left = ChronoUnit.DAYS.between(now.atZone(anchor.getZone()), p.end().atZone(anchor.getZone()));
        return Period.ofDays((int) Math.max(0, left));
    }
}
