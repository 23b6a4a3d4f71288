package dev.billing.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A coupon (voucher): a code worth an amount, redeemed into one wallet at most once. Immutable,
 * thread-safe.
 *
 * @param code the code, unique, in its canonical form (upper case, no separators)
 * @param batchId the batch it was created in
 * @param batchIndex its place in the batch, from 1; {@code (batchId, batchIndex)} is unique, so that of two
 *     units of work creating one batch, one commits
 * @param amount what it credits, positive, an exact decimal
 * @param currency the ISO-4217 code of the amount
 * @param status {@code available}, {@code redeemed} or {@code revoked} (an available coupon past its
 *     expiry is expired: the engine tells, the store keeps {@code available})
 * @param createdAt when it was created
 * @param expiresAt from when it can no longer be redeemed
 * @param redeemedBy the namespace that redeemed it, or {@code null}
 * @param settledAt when it was redeemed or revoked, or {@code null}
 * @param transactionId the recharge that credited it, or {@code null}
 */
public record CouponRecord(
        String code,
        String batchId,
        int batchIndex,
        BigDecimal amount,
        String currency,
        String status,
        Instant createdAt,
        Instant expiresAt,
        String redeemedBy,
        Instant settledAt,
        String transactionId) {

    /** Rejects null required fields. */
    public CouponRecord {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(batchId, "batchId");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * @param namespace the redeeming account
     * @param at when
     * @param transaction the crediting transaction
     * @return this coupon, redeemed
     */
    public CouponRecord redeemed(String namespace, Instant at, String transaction) {
        return new CouponRecord(code, batchId, batchIndex, amount, currency, "redeemed", createdAt, expiresAt, namespace, at,
                transaction);
    }

    /**
     * @param at when
     * @return this coupon, revoked
     */
    public CouponRecord revoked(Instant at) {
        return new CouponRecord(code, batchId, batchIndex, amount, currency, "revoked", createdAt, expiresAt, null, at, null);
    }
}
