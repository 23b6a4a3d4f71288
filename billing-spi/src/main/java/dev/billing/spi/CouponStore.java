package dev.billing.spi;

import java.util.List;
import java.util.Optional;

/**
 * Coupons ({@link CouponRecord}). Codes are unique, and so is a coupon's place in its batch. Redeeming and revoking are compare-and-sets from
 * {@code available} ({@link #settleCoupon}): of many units of work redeeming one code at once, one wins.
 *
 * <p>Valid only inside the unit of work whose {@link StorageSession} handed it out; not to be shared
 * between threads.
 */
public interface CouponStore {

    /**
     * Inserts coupons.
     *
     * @throws DuplicateKeyException when a code exists, or a place in a batch is taken
     */
    void insertCoupons(List<CouponRecord> coupons);

    /** @return the coupon with this code (canonical form) */
    Optional<CouponRecord> findCoupon(String code);

    /**
     * Redeems or revokes a coupon, provided it is still {@code available} and, when {@code settled} is
     * redeemed, not expired at its {@code settledAt} (compare-and-set).
     *
     * @param settled the coupon's new state (same code): status, redeemedBy, settledAt and transactionId are written
     * @return whether it was available and is now settled
     */
    boolean settleCoupon(CouponRecord settled);

    /**
     * @param batchId a batch
     * @return its coupons, by code
     */
    List<CouponRecord> listCoupons(String batchId);
}
