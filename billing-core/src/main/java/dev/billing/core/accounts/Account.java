package dev.billing.core.accounts;

import dev.billing.core.catalog.Plan;
import dev.billing.core.subscriptions.Subscription;
import dev.billing.core.subscriptions.SubscriptionStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;

/**
 * An account, identified by its namespace, with its wallet and what it bought. Immutable,
 * thread-safe.
 *
 * @param namespace the account's identity
 * @param currency the currency of every amount of the account
 * @param status its life-cycle state
 * @param notification whether it is flagged for notification
 * @param balance the wallet balance
 * @param subscriptions every plan it bought, oldest first
 * @param openedAt when it was opened
 */
public record Account(
        String namespace,
        CurrencyUnit currency,
        AccountStatus status,
        boolean notification,
        MonetaryAmount balance,
        List<Subscription> subscriptions,
        Instant openedAt) {

    /** Rejects null fields and copies the list. */
    public Account {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(balance, "balance");
        subscriptions = List.copyOf(subscriptions);
        Objects.requireNonNull(openedAt, "openedAt");
    }

    /** @return whether the account has an active subscription (the v1 payment API's {@code purchased}) */
    public boolean purchased() {
        return subscriptions.stream().anyMatch(s -> s.status() == SubscriptionStatus.ACTIVE);
    }

    /** @return the plans of the active subscriptions (the v1 payment API's {@code plans}) */
    public List<Plan> plans() {
        return subscriptions.stream().filter(s -> s.status() == SubscriptionStatus.ACTIVE).map(Subscription::plan).toList();
    }
}
