package dev.billing.core.coupons;

import java.time.Instant;
import java.util.Objects;
import javax.money.MonetaryAmount;

/**
 * A coupon (voucher) as it stands ({@link Coupons}). Immutable, thread-safe.
 *
 * @param code the code as printed: 16 characters of Crockford's base 32 in groups of four, such as
 *     {@code 7K3M-9QXD-2R8V-HT4N}
 * @param batchId the batch it was created in
 * @param amount what it credits
 * @param status where it stands, as of the engine's clock ({@link CouponStatus#EXPIRED} from its expiry)
 * @param createdAt when it was created
 * @param expiresAt from when it can no longer be redeemed
 * @param redeemedBy the account that redeemed it, or {@code null}
 * @param settledAt when it was redeemed or revoked, or {@code null}
 * @param transactionId the recharge that credited it, or {@code null}
 */
public record Coupon(String code, String batchId, MonetaryAmount amount, CouponStatus status, Instant createdAt,
        Instant expiresAt, String redeemedBy, Instant settledAt, String transactionId) {

    /** Rejects null required fields. */
    public Coupon {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
