package dev.billing.core.internal;

import dev.billing.core.charges.Rate;
import dev.billing.core.charges.Tier;
import dev.billing.spi.RateRecord;
import dev.billing.spi.StorageSession;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored rate card as ingestion and rating read it: every version of every rate, and the version
 * in force for a period. Its versions do not change once read; used within one unit of work. Not
 * thread-safe. Not API.
 */
public final class RateCard {

    private final Map<List<String>, List<RateRecord>> versions;
    /** Each version as a {@link Rate}, made once: ingestion prices every event with one. */
    private final Map<RateRecord, Rate> rates = new IdentityHashMap<>();

    private RateCard(Map<List<String>, List<RateRecord>> versions) {
        this.versions = versions;
    }

    /** @return the whole rate card, as the store holds it now */
    public static RateCard read(StorageSession s) {
        Map<List<String>, List<RateRecord>> card = new HashMap<>();
        for (RateRecord r : s.rating().listRates(null, null)) {
            card.computeIfAbsent(List.of(r.offeringCode(), r.chargeType()), k -> new ArrayList<>()).add(r);
        }
        return new RateCard(card);
    }

    /** @return every version of the rate of (offering code, charge type), by effective date; {@code null} when none */
    public List<RateRecord> versions(String offeringCode, String chargeType) {
        return versions.get(List.of(offeringCode, chargeType));
    }

    /** @return how {@code r} is stored */
    public static RateRecord toRecord(Rate r) {
        return new RateRecord(r.offeringCode(), r.chargeType(), r.effectiveFrom(), r.unitOfMeasure(),
                r.currency().getCurrencyCode(), Amounts.plain(r.includedQuantity()),
                r.tiers().stream().map(t -> new RateRecord.TierRecord(t.upTo() == null ? null : Amounts.plain(t.upTo()),
                        Amounts.plain(t.unitRate()))).toList());
    }

    /** @return the rate stored as {@code r}, one of this card's versions (made once per version) */
    public Rate rateOf(RateRecord r) {
        Rate rate = rates.get(r);
        if (rate == null) {
            rate = rate(r);
            rates.put(r, rate);
        }
        return rate;
    }

    /** @return the rate stored as {@code r} */
    public static Rate rate(RateRecord r) {
        return new Rate(r.offeringCode(), r.chargeType(), r.unitOfMeasure(), Amounts.currency(r.currency()),
                Amounts.plain(r.includedQuantity()), r.tiers().stream()
                        .map(t -> new Tier(t.upTo() == null ? null : Amounts.plain(t.upTo()), Amounts.plain(t.unitRate())))
                        .toList(),
                r.effectiveFrom());
    }

    /**
     * The version that prices a period's stored usage: the one in force on the day (in {@code zone}) the
     * period starts, or else the first version when it starts at most a day later (a profile completed with
     * another zone than the one its usage was accepted in may see it start a day late: that version is
     * still the one the usage was accepted with). Anything further off is missing data.
     */
    public static Optional<RateRecord> pricing(List<RateRecord> versions, Instant periodStart, ZoneId zone) {
        LocalDate dayAfterStart = periodStart.atZone(zone).toLocalDate().plusDays(1);
        return inForce(versions, periodStart, zone)
                .or(() -> versions.stream().findFirst().filter(v -> !v.effectiveFrom().isAfter(dayAfterStart)));
    }

    /** @return the version in force on the day (in {@code zone}) {@code periodStart} falls on */
    public static Optional<RateRecord> inForce(List<RateRecord> versions, Instant periodStart, ZoneId zone) {
        LocalDate day = periodStart.atZone(zone).toLocalDate();
        RateRecord found = null;
        for (RateRecord r : versions) {
            if (!r.effectiveFrom().isAfter(day)) {
                found = r;
            }
        }
        return Optional.ofNullable(found);
    }
}
