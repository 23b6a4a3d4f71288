package dev.billing.core.internal;

import dev.billing.core.IdGenerator;
import dev.billing.spi.BillingStorage;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Period;
import java.time.ZoneId;

/**
 * What an engine's areas share: its settings, its storage's unit of work, and its billing profiles.
 * Made once by {@link dev.billing.core.BillingEngine}, which hands it to each area it creates.
 * Immutable, thread-safe. Not API.
 *
 * @param clock the only source of time
 * @param zone the zone of new accounts' billing cycles
 * @param cycle the length of new accounts' billing cycles
 * @param ids the generator of transaction, subscription and statement ids
 * @param rounding how a charge line is rounded to its currency's digits
 * @param work the unit of work on the engine's storage
 * @param profiles billing profiles, with the defaults of new accounts
 * @param outbox where areas write the events of their units of work
 * @param paymentExpiry how long a provider's payment may stay pending
 * @param credits how money from outside is credited to a wallet
 * @param subscriptionPolicy renewal window, grace, notification interval, what cancellations may do
 */
public record EngineContext(Clock clock, ZoneId zone, Period cycle, IdGenerator ids, RoundingMode rounding,
        UnitOfWork work, Profiles profiles, Outbox outbox, Duration paymentExpiry, Credits credits,
        dev.billing.core.subscriptions.SubscriptionPolicy subscriptionPolicy) {

    /** @return the context of an engine with these settings on {@code storage} */
    public static EngineContext of(BillingStorage storage, Clock clock, ZoneId zone, Period cycle, IdGenerator ids,
            RoundingMode rounding, Duration paymentExpiry, dev.billing.core.subscriptions.SubscriptionPolicy policy) {
        Outbox outbox = new Outbox(clock, ids);
        Profiles profiles = new Profiles(zone, cycle);
        return new EngineContext(clock, zone, cycle, ids, rounding, new UnitOfWork(storage, clock, outbox), profiles,
                outbox, paymentExpiry, new Credits(ids, profiles, outbox), policy);
    }
}
