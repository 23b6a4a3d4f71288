package dev.billing.core.charges;

import dev.billing.core.accounts.BillingPeriod;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.money.CurrencyUnit;

/**
 * A closed billing period: the estimate it ended with, frozen, and the transaction that charged its
 * {@link ChargeTotals#chargeTotal() chargeTotal}. Immutable, thread-safe.
 *
 * @param id the statement's id
 * @param namespace the account
 * @param period the closed period
 * @param currency the account's currency
 * @param lines every charge and discount line
 * @param totals its totals, over every line
 * @param transactionId the transaction that charged {@code chargeTotal}, or {@code null} when it was zero
 * @param closedAt when the period was closed
 */
public record Statement(
        String id,
        String namespace,
        BillingPeriod period,
        CurrencyUnit currency,
        List<ChargeLine> lines,
        ChargeTotals totals,
        String transactionId,
        Instant closedAt) {

    /** Rejects null required fields and copies the lines. */
    public Statement {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(currency, "currency");
        lines = List.copyOf(lines);
        Objects.requireNonNull(totals, "totals");
        Objects.requireNonNull(closedAt, "closedAt");
    }
}
