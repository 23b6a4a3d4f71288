package dev.billing.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * How an account is billed for usage: its place in an account hierarchy, its kind, its open billing
 * period and the billing cycle that lays out its periods. Kept beside the {@link AccountRecord}.
 * Immutable, thread-safe.
 *
 * <p>The cycle fields are stored so that periods never depend on the settings of the engine that
 * happens to run: period {@code k} after the anchor starts at {@code cycleAnchor + k × cycleLength}
 * in {@code cycleZone}. They are {@code null} only in profiles stored before the cycle was kept
 * (schema V3 and older); the engine fills them in the first time it writes such a profile.
 *
 * @param namespace the account
 * @param parent the parent account's namespace, or {@code null} for a root
 * @param kind {@code cloud} or {@code dedicated}
 * @param periodStart start of the open (not yet closed) billing period, inclusive
 * @param periodEnd end of the open billing period, exclusive; the period is due for closing from then on
 * @param cycleAnchor the instant the cycle counts its periods from, or {@code null} (see above)
 * @param cycleLength the length of one period as an ISO-8601 period such as {@code P1M}, or {@code null}
 * @param cycleZone the time-zone id in which periods are laid out, such as {@code Asia/Shanghai}, or {@code null}
 * @param nextCycleLength a cycle length that takes over at {@code periodEnd}, anchored there, or {@code null}
 * @param nextCycleZone the zone that goes with {@code nextCycleLength}, or {@code null}
 */
public record BillingProfileRecord(String namespace, String parent, String kind, Instant periodStart,
        Instant periodEnd, Instant cycleAnchor, String cycleLength, String cycleZone, String nextCycleLength,
        String nextCycleZone) {

    /** Rejects null required fields. */
    public BillingProfileRecord {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(periodEnd, "periodEnd");
        if ((nextCycleLength == null) != (nextCycleZone == null)) {
            throw new IllegalArgumentException("nextCycleLength and nextCycleZone are set together");
        }
    }

    /**
     * A profile without a stored cycle, as profiles were before the cycle was kept.
     *
     * @param namespace the account
     * @param parent the parent, or {@code null}
     * @param kind the kind
     * @param periodStart the open period's start
     * @param periodEnd the open period's end
     */
    public BillingProfileRecord(String namespace, String parent, String kind, Instant periodStart, Instant periodEnd) {
        this(namespace, parent, kind, periodStart, periodEnd, null, null, null, null, null);
    }

    /**
     * @param parent the new parent, or {@code null}
     * @return this profile with another parent
     */
    public BillingProfileRecord withParent(String parent) {
        return new BillingProfileRecord(namespace, parent, kind, periodStart, periodEnd, cycleAnchor, cycleLength,
                cycleZone, nextCycleLength, nextCycleZone);
    }

    /**
     * @param length the cycle length that takes over at {@code periodEnd}, or {@code null} for none
     * @param zone its zone, or {@code null} for none
     * @return this profile with another pending cycle change
     */
    public BillingProfileRecord withNextCycle(String length, String zone) {
        return new BillingProfileRecord(namespace, parent, kind, periodStart, periodEnd, cycleAnchor, cycleLength,
                cycleZone, length, zone);
    }

    /**
     * @param kind the new kind
     * @return this profile with another kind
     */
    public BillingProfileRecord withKind(String kind) {
        return new BillingProfileRecord(namespace, parent, kind, periodStart, periodEnd, cycleAnchor, cycleLength,
                cycleZone, nextCycleLength, nextCycleZone);
    }
}
