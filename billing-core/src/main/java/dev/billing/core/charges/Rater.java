package dev.billing.core.charges;

import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.core.accounts.AccountKind;
import dev.billing.core.accounts.BillingPeriod;
import dev.billing.core.internal.Amounts;
import dev.billing.core.internal.Codes;
import dev.billing.core.internal.Hierarchy;
import dev.billing.core.internal.Profiles;
import dev.billing.core.internal.RateCard;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.RateRecord;
import dev.billing.spi.StorageSession;
import dev.billing.spi.UsageSum;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import javax.money.CurrencyUnit;

/**
 * Rating inside a unit of work: an account's usage in a period priced by the rate card into charge
 * lines, its commitments into discount lines, the hierarchy total, and the estimate of the current
 * period. Stateless apart from its settings; thread-safe.
 */
final class Rater {

    private final Profiles profiles;
    private final RoundingMode rounding;

    Rater(Profiles profiles, RoundingMode rounding) {
        this.profiles = profiles;
        this.rounding = rounding;
    }

    /** Every line of a period and its totals, exact and rounded once per line. */
    record Rated(CurrencyUnit currency, List<ChargeLine> charges, List<ChargeLine> discounts, BigDecimal subTotal,
            BigDecimal discountTotal) {

        BigDecimal chargeTotal() {
            return subTotal.add(discountTotal);
        }

        List<ChargeLine> lines() {
            List<ChargeLine> all = new ArrayList<>(charges);
            all.addAll(discounts);
            return all;
        }
    }

    /**
     * Rates an account's usage in {@code [period.start, period.end)}, with its commitments; the period
     * is one of the profile's (the open one or a later one), and each sum is priced by the rate in
     * force on the day, in that period's zone, the period starts: the version its usage was accepted
     * with.
     *
     * @throws ConflictException when stored usage has no rate to price it or the rate is in another
     *     currency than the account ({@link ErrorCode#CURRENCY_MISMATCH}): never a wrong figure
     */
    Rated rate(StorageSession s, AccountRecord a, BillingProfileRecord p, BillingPeriod period, RateCard card) {
        CurrencyUnit currency = Amounts.currency(a.currency());
        ZoneId periodZone = Profiles.zoneOf(p, period);
        List<ChargeLine> charges = new ArrayList<>();
        for (UsageSum sum : s.usage().sumUsage(a.namespace(), period.start(), period.end())) {
            List<RateRecord> found = card.versions(sum.offeringCode(), sum.chargeType());
            List<RateRecord> versions = found == null ? List.of() : found;
            RateRecord r = RateCard.pricing(versions, period.start(), periodZone)
                    .orElseThrow(() -> new ConflictException(ErrorCode.RATE_NOT_FOUND, "offeringCode",
                            "the rate card has no rate for the stored usage of " + sum.offeringCode() + "/"
                            + sum.chargeType()));
            if (!r.currency().equals(a.currency())) {
                throw new ConflictException(ErrorCode.CURRENCY_MISMATCH, "currency", "the rate for " + sum.offeringCode()
                        + "/" + sum.chargeType() + " from " + r.effectiveFrom() + " is in " + r.currency()
                        + ", account " + a.namespace() + " is in " + a.currency());
            }
            charges.add(Rating.charge(new Rating.Sum(sum.offeringCode(), sum.chargeType(), Amounts.plain(sum.quantity())),
                    RateCard.rate(r), currency, rounding));
        }
        charges.sort(Rating.ORDER);
        BigDecimal subTotal = Amounts.scaled(Rating.sum(charges), currency);
        List<Commitment> commitments = s.rating().listCommitments(a.namespace()).stream().map(ChargesMapping::commitment).toList();
        List<ChargeLine> discounts = Rating.discounts(subTotal, commitments, period.start(), currency, rounding);
        return new Rated(currency, charges, discounts, subTotal, Amounts.scaled(Rating.sum(discounts), currency));
    }

    /**
     * For an estimate of the parent's {@code period}: what its statement will count if the period
     * closed now: the descendant statements already recorded under it that ended within the period,
     * and each current descendant's periods that are not closed yet and end within it, rated as they
     * stand.
     */
    BigDecimal hierarchyTotal(StorageSession s, AccountRecord root, BillingPeriod period, RateCard card) {
        BigDecimal total = s.statements().sumAncestorShares(root.namespace(), period.start(), period.end());
        for (BillingProfileRecord d : Hierarchy.descendants(s, root.namespace())) {
            AccountRecord a = s.accounts().findAccount(d.namespace()).orElseThrow();
            BillingProfileRecord p = profiles.complete(d, a);
            BillingPeriod q = Profiles.openPeriod(p);
            while (!q.end().isAfter(period.end())) {
                if (q.end().isAfter(period.start())) {
                    total = total.add(rate(s, a, p, q, card).chargeTotal());
                }
                q = Profiles.periodAt(p, q.end());
            }
        }
        return Amounts.scaled(total, Amounts.currency(root.currency()));
    }

    EstimatedCharges estimate(StorageSession s, AccountRecord a, Instant now, String offeringCode, String chargeType,
            int marker, int limit) {
        BillingProfileRecord p = profiles.profile(s, a);
        BillingPeriod period = Profiles.periodAt(p, now);
        RateCard card = RateCard.read(s);
        Rated rated = rate(s, a, p, period, card);
        BigDecimal hierarchy = hierarchyTotal(s, a, period, card);
        boolean dedicated = p.kind().equals(Codes.code(AccountKind.DEDICATED));
        List<ChargeLine> filtered = dedicated ? List.of() : rated.lines().stream()
                .filter(l -> offeringCode == null || offeringCode.equals(l.offeringCode()))
                .filter(l -> chargeType == null || chargeType.equals(l.chargeType()))
                .toList();
        int from = Math.min(marker, filtered.size());
        int to = Math.min(filtered.size(), from + limit);
        CurrencyUnit c = rated.currency();
        return new EstimatedCharges(a.namespace(), dedicated, c, period, Profiles.cycleOf(p, period)
                .remaining(period, now), filtered.subList(from, to), ChargeTotals.of(Amounts.of(rated.subTotal(), c),
                Amounts.of(rated.discountTotal(), c), Amounts.of(hierarchy, c)), marker, limit, to < filtered.size(),
                from > 0);
    }
}
