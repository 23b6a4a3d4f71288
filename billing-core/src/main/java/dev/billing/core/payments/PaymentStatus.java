package dev.billing.core.payments;

/** Where a provider's payment stands. Only {@link #PENDING} changes, once, to one of the others. */
public enum PaymentStatus {
    /** Begun: the provider has not answered; nothing is credited. */
    PENDING,
    /** Confirmed by the provider and credited to the wallet, once. */
    SUCCEEDED,
    /** Failed at the provider; nothing was credited. */
    FAILED,
    /** Stayed pending past its expiry; nothing was credited. */
    EXPIRED
}
