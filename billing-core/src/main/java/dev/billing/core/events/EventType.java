package dev.billing.core.events;

/**
 * What an {@link Event} says happened. Each type's {@link #code()} is stable: it is what the outbox
 * stores, what the HTTP API writes, and what a host matches on. Each constant lists the attributes of
 * its events' {@link Event#data()}; every event also has its account ({@link Event#namespace()}) and
 * the id of what it is about ({@link Event#subject()}).
 */
public enum EventType {
    /** A checkout opened a subscription. Subject: the subscription. Data: {@code planId, planVersion, region, periodStart, periodEnd, amount, currency, transactionId}. */
    SUBSCRIPTION_CREATED("subscription.created"),
    /** A subscription was renewed for its next period. Subject: the subscription. Data: as {@link #SUBSCRIPTION_CREATED}. */
    SUBSCRIPTION_RENEWED("subscription.renewed"),
    /** A renewal could not be paid. Subject: the subscription. Data: {@code planId, periodEnd, amount, currency, reason}. */
    SUBSCRIPTION_RENEWAL_FAILED("subscription.renewal_failed"),
    /** A subscription whose renewal failed is in its grace period. Subject: the subscription. Data: {@code planId, periodEnd, graceEnd}. */
    SUBSCRIPTION_IN_GRACE("subscription.in_grace"),
    /** A subscription ended: not renewed (reason {@code unpaid}, {@code plan_retired}) or cancelled (at its period end or at once: {@code cancelled}). Subject: the subscription. Data: {@code planId, endedAt, reason}. */
    SUBSCRIPTION_ENDED("subscription.ended"),
    /** A subscription was cancelled ({@code mode}: {@code at_period_end}, {@code immediately}, or {@code refunded} when its purchase was refunded). Subject: the subscription. Data: {@code planId, mode, endsAt, refund, currency}. */
    SUBSCRIPTION_CANCELLED("subscription.cancelled"),
    /** A cancellation at the period end was taken back: the subscription renews again. Subject: the subscription. Data: {@code planId, periodEnd, currency}. */
    SUBSCRIPTION_RESUMED("subscription.resumed"),
    /** A subscription switched plans. Subject: the subscription. Data: {@code fromPlanId, toPlanId, credit, charge, currency, transactionId}. */
    SUBSCRIPTION_SWITCHED("subscription.switched"),
    /** A recharge through a payment provider began. Subject: the provider's reference. Data: {@code provider, amount, currency, paymentId}. */
    RECHARGE_PENDING("recharge.pending"),
    /** A provider's recharge was confirmed and credited. Subject: the provider's reference. Data: {@code provider, amount, currency, paymentId, transactionId}. */
    RECHARGE_CONFIRMED("recharge.confirmed"),
    /** A provider's recharge failed or expired; nothing was credited. Subject: the provider's reference. Data: {@code provider, amount, currency, paymentId, reason}. */
    RECHARGE_FAILED("recharge.failed"),
    /** A coupon was redeemed into the wallet. Subject: the coupon's code. Data: {@code amount, currency, transactionId, batchId}. */
    COUPON_REDEEMED("coupon.redeemed"),
    /** A debit took the balance below the account's low-balance threshold. Subject: the namespace. Data: {@code balance, threshold, currency}. */
    BALANCE_LOW("balance.low"),
    /** A billing period was closed into a statement. Subject: the statement. Data: {@code periodStart, periodEnd, chargeTotal, currency}. */
    PERIOD_CLOSED("period.closed"),
    /** An account was suspended (by an operator, or by unpaid charges). Subject: the namespace. Data: {@code reason}. */
    ACCOUNT_SUSPENDED("account.suspended"),
    /** A suspended account became active again (by an operator, or by paying its debt). Subject: the namespace. Data: {@code reason}. */
    ACCOUNT_REACTIVATED("account.reactivated");

    private final String code;

    EventType(String code) {
        this.code = code;
    }

    /** @return the stable code, such as {@code subscription.renewed} */
    public String code() {
        return code;
    }

    /**
     * @param code a type's code
     * @return the type with this code
     * @throws IllegalArgumentException when no type has it
     */
    public static EventType ofCode(String code) {
        for (EventType t : values()) {
            if (t.code.equals(code)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown event type '" + code + "'");
    }

    /** @return the code */
    @Override
    public String toString() {
        return code;
    }
}
