package dev.billing.core.internal;

import dev.billing.core.accounts.AccountKind;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.accounts.BillingPeriod;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.StorageSession;
import dev.billing.spi.TransientStorageException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import javax.money.CurrencyUnit;

/**
 * Billing profiles as every area reads them: a new account's profile from the engine's defaults,
 * profiles stored before cycles were kept completed, and the periods a profile lays out. Stateless
 * apart from the defaults; thread-safe. Not API.
 */
public final class Profiles {

    private final ZoneId zone;
    private final Period cycleLength;

    /**
     * @param zone the zone of new accounts' billing cycles
     * @param cycleLength the length of new accounts' billing cycles
     */
    public Profiles(ZoneId zone, Period cycleLength) {
        this.zone = zone;
        this.cycleLength = BillingCycle.check(cycleLength);
    }

    /**
     * Opens an account, active with a zero balance, and stores its billing profile.
     *
     * @return the new account
     * @throws dev.billing.spi.DuplicateKeyException when the namespace has an account
     */
    public AccountRecord openAccount(StorageSession s, String namespace, CurrencyUnit currency, Instant now) {
        AccountRecord a = new AccountRecord(namespace, currency.getCurrencyCode(), Codes.code(AccountStatus.ACTIVE),
                false, Amounts.scaled(BigDecimal.ZERO, currency), Amounts.scaled(BigDecimal.ZERO, currency), now);
        s.accounts().insertAccount(a);
        s.profiles().insertBillingProfile(newProfile(a));
        return a;
    }

    /**
     * A new account's profile: a cycle of the engine's default length and zone, anchored at its opening
     * truncated to the whole second, so that usage stamped with second precision in the second the
     * account opened falls in its first period.
     */
    public BillingProfileRecord newProfile(AccountRecord a) {
        Instant anchor = a.createdAt().truncatedTo(ChronoUnit.SECONDS);
        BillingPeriod first = new BillingCycle(anchor, zone, cycleLength).periodAt(anchor);
        return new BillingProfileRecord(a.namespace(), null, Codes.code(AccountKind.CLOUD), first.start(), first.end(),
                anchor, cycleLength.toString(), zone.getId(), null, null);
    }

    /**
     * A profile stored before cycles were kept gets the cycle it was laid out with: monthly from the
     * account's opening, in this engine's zone (the only zone it knew). Its open period stays as stored.
     */
    public BillingProfileRecord complete(BillingProfileRecord p, AccountRecord a) {
        if (p.cycleAnchor() != null && p.cycleLength() != null && p.cycleZone() != null) {
            return p;
        }
        return new BillingProfileRecord(p.namespace(), p.parent(), p.kind(), p.periodStart(), p.periodEnd(),
                p.cycleAnchor() != null ? p.cycleAnchor() : a.createdAt().truncatedTo(ChronoUnit.SECONDS),
                p.cycleLength() != null ? p.cycleLength() : BillingCycle.MONTHLY.toString(),
                p.cycleZone() != null ? p.cycleZone() : zone.getId(), p.nextCycleLength(), p.nextCycleZone());
    }

    /** The stored profile (completed), or the one the account was opened with when it predates profiles. */
    public BillingProfileRecord profile(StorageSession s, AccountRecord a) {
        return s.profiles().findBillingProfile(a.namespace()).map(p -> complete(p, a)).orElseGet(() -> newProfile(a));
    }

    /**
     * The zone of the open cycle of the stored profile {@code p}: {@code profile(s, account).cycleZone()},
     * from a profile read without the account (so before its row is locked).
     *
     * @param p the account's stored profile, or {@code null} when it has none
     */
    public ZoneId cycleZone(BillingProfileRecord p) {
        return p == null || p.cycleZone() == null ? zone : ZoneId.of(p.cycleZone());
    }

    /**
     * Like {@link #profile}, but locks the profile's row for this unit of work first, and stores a
     * missing profile (and completes one stored before cycles were kept).
     */
    public BillingProfileRecord storedProfile(StorageSession s, AccountRecord a) {
        Optional<BillingProfileRecord> p = s.profiles().lockBillingProfile(a.namespace());
        if (p.isPresent()) {
            BillingProfileRecord completed = complete(p.get(), a);
            if (!completed.equals(p.get()) && !s.profiles().replaceBillingProfile(completed, completed.periodStart())) {
                throw new TransientStorageException("period of " + a.namespace() + " closed concurrently", null);
            }
            return completed;
        }
        BillingProfileRecord created = newProfile(a);
        s.profiles().insertBillingProfile(created);
        return created;
    }

    /** The cycle that laid out the open period of a completed profile. */
    public static BillingCycle cycle(BillingProfileRecord p) {
        return new BillingCycle(p.cycleAnchor(), ZoneId.of(p.cycleZone()), Period.parse(p.cycleLength()));
    }

    /** The cycle that lays out the periods after the open one: a pending change anchored at its end, or the same. */
    public static BillingCycle cycleAfter(BillingProfileRecord p) {
        return p.nextCycleLength() == null ? cycle(p)
                : new BillingCycle(p.periodEnd(), ZoneId.of(p.nextCycleZone()), Period.parse(p.nextCycleLength()));
    }

    /** The cycle that lays out {@code period}, which is the open period or a later one. */
    public static BillingCycle cycleOf(BillingProfileRecord p, BillingPeriod period) {
        return period.start().isBefore(p.periodEnd()) ? cycle(p) : cycleAfter(p);
    }

    /**
     * The zone of the cycle that lays out {@code period} ({@link #cycleOf}'s zone), without laying the
     * cycle out: ingestion asks it for every event.
     */
    public static ZoneId zoneOf(BillingProfileRecord p, BillingPeriod period) {
        return ZoneId.of(period.start().isBefore(p.periodEnd()) || p.nextCycleLength() == null ? p.cycleZone()
                : p.nextCycleZone());
    }

    /** The open period of {@code p}. */
    public static BillingPeriod openPeriod(BillingProfileRecord p) {
        return new BillingPeriod(p.periodStart(), p.periodEnd());
    }

    /** The period after the open one: it starts exactly where the open one ends. */
    public static BillingPeriod nextPeriod(BillingProfileRecord p) {
        return cycleAfter(p).next(openPeriod(p));
    }

    /**
     * The period of a completed profile that contains {@code t}: the open one, or a later one when
     * closing lags behind. An instant before the open period gets the open period.
     */
    public static BillingPeriod periodAt(BillingProfileRecord p, Instant t) {
        if (t.isBefore(p.periodEnd())) {
            return openPeriod(p);
        }
        BillingPeriod next = nextPeriod(p);
        return t.isBefore(next.end()) ? next : cycleAfter(p).periodAt(t);
    }
}
