package dev.billing.core.internal;

import dev.billing.core.catalog.Plan;
import dev.billing.core.subscriptions.Subscription;
import dev.billing.core.subscriptions.SubscriptionStatus;
import dev.billing.spi.StorageSession;
import dev.billing.spi.SubscriptionRecord;
import java.util.List;

/** Subscriptions and the records they are stored as. Not API. */
public final class SubscriptionMapping {

    private SubscriptionMapping() {
    }

    /** @return the subscription stored as {@code s}, of {@code plan} */
    public static Subscription subscription(SubscriptionRecord s, Plan plan) {
        return new Subscription(s.id(), plan, s.region(), s.periodStart(), s.periodEnd(),
                Codes.parse(SubscriptionStatus.class, s.status()), s.transactionId(), s.planVersion(),
                s.cancelAtPeriodEnd(), s.graceUntil());
    }

    /** @return the namespace's subscriptions, oldest period start first, with their plans */
    public static List<Subscription> subscriptions(StorageSession s, String namespace) {
        return s.subscriptions().listSubscriptions(namespace).stream()
                .map(sub -> subscription(sub, CatalogMapping.plan(s.catalog().findPlanVersion(sub.planId(), sub.planVersion())
                        .orElseGet(() -> s.catalog().findPlan(sub.planId()).orElseThrow()))))
                .toList();
    }

    /** @return whether the stored subscription is active */
    public static boolean active(SubscriptionRecord s) {
        return s.status().equals(Codes.code(SubscriptionStatus.ACTIVE));
    }
}
