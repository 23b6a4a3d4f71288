package dev.billing.core.charges;

import dev.billing.core.accounts.BillingPeriod;
import java.time.Period;
import java.util.List;
import java.util.Objects;
import javax.money.CurrencyUnit;

/**
 * The estimated charges of an account's current billing period (the estimated-charges API's
 * {@code estimatedCharges}), one page of its lines, with the period's {@link ChargeTotals}, which add
 * up and cover every line, whatever the page or filter. Immutable, thread-safe.
 *
 * @param namespace the account
 * @param dedicated whether the account is dedicated (its lines are not listed) rather than cloud
 * @param currency the account's currency
 * @param period the current billing period
 * @param durationRemaining what is left of the period, in whole days, such as {@code P15D}
 * @param lines this page's lines (empty for a dedicated account)
 * @param totals the period's totals, over every line
 * @param marker the index of this page's first line among the filtered lines
 * @param limit the page size asked for
 * @param hasNext whether lines follow this page
 * @param hasPrevious whether lines precede this page
 */
public record EstimatedCharges(
        String namespace,
        boolean dedicated,
        CurrencyUnit currency,
        BillingPeriod period,
        Period durationRemaining,
        List<ChargeLine> lines,
        ChargeTotals totals,
        int marker,
        int limit,
        boolean hasNext,
        boolean hasPrevious) {

    /** Rejects nulls and copies the list. */
    public EstimatedCharges {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(durationRemaining, "durationRemaining");
        lines = List.copyOf(lines);
        Objects.requireNonNull(totals, "totals");
    }
}
