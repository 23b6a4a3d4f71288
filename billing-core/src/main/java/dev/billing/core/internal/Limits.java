package dev.billing.core.internal;

import dev.billing.core.InvalidRequestException;
import dev.billing.core.accounts.BillingPeriod;
import dev.billing.spi.AccountRecord;
import dev.billing.spi.AccountStore;
import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.RateRecord;
import dev.billing.spi.StorageSession;
import dev.billing.spi.UsageSum;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the storage can hold, checked where data enters rather than discovered at close: every figure a
 * billing period sums (a line's quantity and amount, the subtotal, an ancestor's hierarchy total and
 * total) must stay inside its column (amounts below 10^15, quantities below 10^22), or the period could
 * never be closed. Usage that would take one of them there is refused, and so is a hierarchy change.
 *
 * <p>The check is an upper bound: a period's total is at most its subtotal (discounts only lower it),
 * and an ancestor's total at most the subtotals of its own and its descendants' periods that end within
 * it, with the statements already recorded under it. So anything accepted can be closed.
 *
 * <p>A period's figures come from the running totals the storage keeps for it
 * ({@link dev.billing.spi.UsageStore#findUsageTotals}), or, where it keeps none, from summing its events;
 * {@link #storeTotals} keeps the new totals of every period that admitted usage, so that the next unit
 * of work reads a few rows instead of summing the period again.
 *
 * <p>One instance per unit of work: it caches what it has summed, and every usage it admits must then be
 * stored in the same unit of work, followed by {@link #storeTotals}. Not thread-safe. Not API.
 */
public final class Limits {

    /** Amounts stay below this: DECIMAL(19,4). */
    public static final BigDecimal MAX_AMOUNT = AccountStore.MAX_BALANCE;
    /** Summed quantities stay below this: DECIMAL(28,6). */
    public static final BigDecimal MAX_QUANTITY_SUM = BigDecimal.TEN.pow(22);

    private final StorageSession s;
    private final Profiles profiles;
    private final RoundingMode rounding;
    private final RateCard card;
    private final Map<List<Object>, Sums> periods = new HashMap<>();
    /** The periods that admitted usage in this unit of work (one {@link Sums} each, by identity). */
    private final Set<Sums> admitted = new HashSet<>();
    /** By {@link #treeKey}, an upper bound of a hierarchy's total for a period ({@link #tree}). */
    private final Map<List<Object>, Total> trees = new HashMap<>();
    private final Map<String, List<String>> lineage = new HashMap<>();
    private final Map<List<Object>, List<Object>> treeKeys = new HashMap<>();

    /**
     * @param s the unit of work
     * @param profiles how profiles are completed
     * @param rounding how a line is rounded
     * @param card the rate card as this unit of work read it
     */
    public Limits(StorageSession s, Profiles profiles, RoundingMode rounding, RateCard card) {
        this.s = s;
        this.profiles = profiles;
        this.rounding = rounding;
        this.card = card;
    }

    /** The sums of one account's period, and each line's rounded amount. */
    private static final class Sums {
        final String namespace;
        final BillingPeriod period;
        /** By (offering code, charge type). */
        final Map<List<String>, Line> lines = new HashMap<>();
        BigDecimal subTotal = BigDecimal.ZERO;
        /** The totals this period counts in: its account's and each ancestor's; found at its first admission. */
        List<Total> trees;

        Sums(String namespace, BillingPeriod period) {
            this.namespace = namespace;
            this.period = period;
        }
    }

    /** One line of a period: its summed quantity, its events, its rounded amount. */
    private static final class Line {
        BigDecimal quantity;
        long events;
        BigDecimal amount;

        Line(BigDecimal quantity, long events, BigDecimal amount) {
            this.quantity = quantity;
            this.events = events;
            this.amount = amount;
        }
    }

    /** A hierarchy's total for a period, as {@link #tree} found it plus what was admitted since. */
    private static final class Total {
        BigDecimal value;

        Total(BigDecimal value) {
            this.value = value;
        }
    }

    /**
     * Admits {@code quantity} of (offering code, charge type) into the period {@code period} of account
     * {@code a}, priced by {@code rate}: the caller stores it next, in the same unit of work.
     *
     * @param p the account's completed profile
     * @throws InvalidRequestException naming {@code field} when a figure would reach what the storage holds
     */
    public void admitUsage(AccountRecord a, BillingProfileRecord p, BillingPeriod period, RateRecord rate,
            String offeringCode, String chargeType, BigDecimal quantity, String field) {
        Sums sums = sums(a, p, period);
        List<String> key = List.of(offeringCode, chargeType);
        Line line = sums.lines.get(key);
        BigDecimal sum = line == null ? quantity : line.quantity.add(quantity);
        if (sum.compareTo(MAX_QUANTITY_SUM) >= 0) {
            throw refused(field, a, period, "its " + offeringCode + "/" + chargeType + " quantity to 10^22 or more");
        }
        BigDecimal amount = price(rate, sum, a.currency());
        BigDecimal delta = line == null ? amount : amount.subtract(line.amount);
        if (amount.compareTo(MAX_AMOUNT) >= 0 || sums.subTotal.add(delta).compareTo(MAX_AMOUNT) >= 0) {
            throw refused(field, a, period, "its charges to 10^15 or more");
        }
        // the account's own total with its descendants', and each ancestor's, for the period this one ends in
        List<String> up = lineage(a.namespace());
        if (sums.trees == null) {
            List<Total> found = new ArrayList<>(up.size());
            for (String ns : up) {
                found.add(tree(treeKey(ns, period)));
            }
            sums.trees = found;
        }
        for (int i = 0; i < up.size(); i++) {
            if (sums.trees.get(i).value.add(delta).compareTo(MAX_AMOUNT) >= 0) {
                throw refused(field, a, period, "the total of " + up.get(i) + " (with its descendants) to 10^15 or more");
            }
        }
        if (line == null) {
            sums.lines.put(key, new Line(sum, 1, amount));
        } else {
            line.quantity = sum;
            line.events++;
            line.amount = amount;
        }
        admitted.add(sums);
        sums.subTotal = sums.subTotal.add(delta);
        for (Total t : sums.trees) {
            t.value = t.value.add(delta);
        }
    }

    /**
     * The account and its ancestors, nearest first; read once per unit of work (a batch checks each of its
     * events against the same hierarchy).
     */
    private List<String> lineage(String namespace) {
        return lineage.computeIfAbsent(namespace, ns -> {
            List<String> all = new ArrayList<>(List.of(ns));
            all.addAll(Hierarchy.ancestors(s, ns));
            return all;
        });
    }

    /**
     * Checks a hierarchy after {@code namespace} got a new parent (already written in this unit of work):
     * every ancestor's total, with the periods of {@code namespace} and its descendants that are not closed
     * yet, stays below what the storage holds.
     *
     * @throws InvalidRequestException naming {@code parent} when one would not
     */
    public void checkHierarchy(String namespace, Instant now) {
        List<String> ancestors = Hierarchy.ancestors(s, namespace);
        if (ancestors.isEmpty()) {
            return;
        }
        List<BillingProfileRecord> members = new ArrayList<>();
        s.profiles().findBillingProfile(namespace).ifPresent(members::add);
        members.addAll(Hierarchy.descendants(s, namespace));
        for (BillingProfileRecord m : members) {
            BillingProfileRecord p = completed(m);
            for (BillingPeriod q = Profiles.openPeriod(p); q.start().isBefore(now) || q.equals(Profiles.openPeriod(p));
                    q = Profiles.periodAt(p, q.end())) {
                for (String ancestor : ancestors) {
                    if (tree(treeKey(ancestor, q)).value.compareTo(MAX_AMOUNT) >= 0) {
                        throw InvalidRequestException.of("parent", "would take the total of " + ancestor
                                + " (with its descendants) to 10^15 or more, more than the storage holds");
                    }
                }
            }
        }
    }

    /** The key of the period of {@code ns} in which a period ending at {@code period.end()} counts. */
    private List<Object> treeKey(String ns, BillingPeriod period) {
        return treeKeys.computeIfAbsent(List.of(ns, period.end()), k -> {
            BillingPeriod q = Profiles.periodAt(profileOf(ns), period.end().minusNanos(1));
            return List.of(ns, q.start(), q.end());
        });
    }

    /**
     * An upper bound of the total of {@code ns} over its period {@code [start, end)}: its own subtotal, the
     * statements recorded under it that ended within the period, and the subtotals of its descendants'
     * periods not closed yet that end within it.
     */
    private Total tree(List<Object> key) {
        Total known = trees.get(key);
        if (known != null) {
            return known;
        }
        String ns = (String) key.get(0);
        BillingPeriod period = new BillingPeriod((Instant) key.get(1), (Instant) key.get(2));
        AccountRecord root = s.accounts().findAccount(ns).orElseThrow();
        BigDecimal total = sums(root, profileOf(ns), period).subTotal
                .add(s.statements().sumAncestorShares(ns, period.start(), period.end()));
        for (BillingProfileRecord d : Hierarchy.descendants(s, ns)) {
            AccountRecord a = s.accounts().findAccount(d.namespace()).orElseThrow();
            BillingProfileRecord p = completed(d);
            for (BillingPeriod q = Profiles.openPeriod(p); !q.end().isAfter(period.end()); q = Profiles.periodAt(p, q.end())) {
                if (q.end().isAfter(period.start())) {
                    total = total.add(sums(a, p, q).subTotal);
                }
            }
        }
        Total t = new Total(total);
        trees.put(key, t);
        return t;
    }

    /**
     * Keeps the totals of every period that admitted usage in this unit of work, in order of period start,
     * after its usage is stored: the storage keeps the latest periods' totals only (see
     * {@link dev.billing.spi.UsageStore#putUsageTotals}).
     */
    public void storeTotals() {
        List<Sums> changed = new ArrayList<>(admitted);
        changed.sort(Comparator.comparing((Sums x) -> x.namespace).thenComparing(x -> x.period.start()));
        for (Sums sums : changed) {
            List<UsageSum> totals = new ArrayList<>();
            sums.lines.forEach((key, line) -> totals.add(new UsageSum(key.get(0), key.get(1), line.quantity,
                    line.events)));
            totals.sort(Comparator.comparing(UsageSum::offeringCode).thenComparing(UsageSum::chargeType));
            s.usage().putUsageTotals(sums.namespace, sums.period.start(), sums.period.end(), totals);
        }
        admitted.clear();
    }

    /**
     * What a period of {@code a} sums so far: its stored usage (the totals the storage keeps, or else the
     * sum of its events), priced, plus what this unit of work admitted.
     */
    private Sums sums(AccountRecord a, BillingProfileRecord p, BillingPeriod period) {
        return periods.computeIfAbsent(List.of(a.namespace(), period.start(), period.end()), k -> {
            Sums sums = new Sums(a.namespace(), period);
            List<UsageSum> stored = s.usage().findUsageTotals(a.namespace(), period.start(), period.end());
            if (stored.isEmpty()) {
                stored = s.usage().sumUsage(a.namespace(), period.start(), period.end());
            }
            for (UsageSum u : stored) {
                List<String> line = List.of(u.offeringCode(), u.chargeType());
                List<RateRecord> versions = card.versions(u.offeringCode(), u.chargeType());
                BigDecimal amount = versions == null ? BigDecimal.ZERO
                        : RateCard.pricing(versions, period.start(), Profiles.zoneOf(p, period))
                                .map(r -> price(r, u.quantity(), a.currency())).orElse(BigDecimal.ZERO);
                sums.lines.put(line, new Line(u.quantity(), u.events(), amount));
                sums.subTotal = sums.subTotal.add(amount);
            }
            return sums;
        });
    }

    private BigDecimal price(RateRecord rate, BigDecimal quantity, String currency) {
        return card.rateOf(rate).price(quantity)
                .setScale(Amounts.currency(currency).getDefaultFractionDigits(), rounding);
    }

    /** The profile of {@code ns} as rating sees it (one stored before profiles were kept gets its opening one). */
    private BillingProfileRecord profileOf(String ns) {
        return profiles.profile(s, s.accounts().findAccount(ns).orElseThrow());
    }

    private BillingProfileRecord completed(BillingProfileRecord p) {
        return profiles.complete(p, s.accounts().findAccount(p.namespace()).orElseThrow());
    }

    private static InvalidRequestException refused(String field, AccountRecord a, BillingPeriod period, String what) {
        return InvalidRequestException.of(field, "would take the period of " + a.namespace() + " from " + period.start()
                + " (" + what + "), more than the storage holds; it was not accepted");
    }
}
