package dev.billing.core;

/**
 * The stable, machine-readable codes of every {@link BillingException}. Codes never change meaning
 * once released; new ones may be added.
 *
 * <p>Thread-safe (an enum).
 */
public enum ErrorCode {
    /** A request field is missing, malformed or out of range. */
    INVALID_REQUEST("invalid_request"),
    /** An amount is in another currency than the account's or the plan's. */
    CURRENCY_MISMATCH("currency_mismatch"),
    /** No account has this namespace. */
    ACCOUNT_NOT_FOUND("account_not_found"),
    /** No plan has this id. */
    PLAN_NOT_FOUND("plan_not_found"),
    /** No region has this identification. */
    REGION_NOT_FOUND("region_not_found"),
    /** No transaction of this namespace has this id. */
    TRANSACTION_NOT_FOUND("transaction_not_found"),
    /** The plan is retired, or not offered in the requested region. */
    PLAN_NOT_AVAILABLE("plan_not_available"),
    /** The region is unavailable. */
    REGION_NOT_AVAILABLE("region_not_available"),
    /** The balance does not cover the debit. */
    INSUFFICIENT_FUNDS("insufficient_funds"),
    /** The idempotency key was used before with a different request. */
    IDEMPOTENCY_CONFLICT("idempotency_conflict"),
    /** An account with this namespace exists already. */
    ACCOUNT_EXISTS("account_exists"),
    /** The account's status forbids the operation (suspended or closed). */
    ACCOUNT_NOT_ACTIVE("account_not_active"),
    /** The purchase was refunded already. */
    ALREADY_REFUNDED("already_refunded"),
    /** Only purchases can be refunded. */
    NOT_REFUNDABLE("not_refundable"),
    /** No rate on the rate card prices this offering code and charge type (in force for the period). */
    RATE_NOT_FOUND("rate_not_found"),
    /** The usage falls in a billing period that is closed already. */
    PERIOD_CLOSED("period_closed"),
    /** The account's billing period has ended and is not closed yet ({@code runDue} closes it). */
    PERIOD_NOT_CLOSED("period_not_closed"),
    /** No payment of this provider has this reference. */
    PAYMENT_NOT_FOUND("payment_not_found"),
    /** The provider's reference names a payment begun with another account or amount. */
    PAYMENT_EXISTS("payment_exists"),
    /** The payment was settled already (failed, expired, or succeeded) in a way this call cannot change. */
    PAYMENT_NOT_PENDING("payment_not_pending"),
    /** No coupon has this code. */
    COUPON_NOT_FOUND("coupon_not_found"),
    /** The coupon was redeemed (by another account), revoked, or has expired. */
    COUPON_NOT_AVAILABLE("coupon_not_available"),
    /** A batch with this id was created with another amount, count or expiry. */
    COUPON_BATCH_EXISTS("coupon_batch_exists"),
    /** No subscription of this account has this id. */
    SUBSCRIPTION_NOT_FOUND("subscription_not_found"),
    /** The subscription has ended, or is past due, so it cannot be switched or cancelled that way. */
    SUBSCRIPTION_NOT_ACTIVE("subscription_not_active"),
    /** The storage failed, or stayed contended after every retry. */
    STORAGE_FAILURE("storage_failure");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    /** @return the code as written on the wire, such as {@code insufficient_funds} */
    public String code() {
        return code;
    }
}
