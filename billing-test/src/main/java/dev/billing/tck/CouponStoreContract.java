package dev.billing.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.spi.CouponRecord;
import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.StorageSnapshot;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The coupons area's contract ({@link dev.billing.spi.CouponStore}), written once and run against every
 * storage: extend it and implement {@link #newStorage()}. What coupons rely on: a code, and a place in a
 * batch, name one coupon; redeeming is a compare-and-set from {@code available}, refused at and after the
 * expiry, that exactly one of many racing units of work wins.
 */
public abstract class CouponStoreContract extends StorageFixture {

    private static final Instant T0 = Instant.parse("2026-12-07T09:27:04.123456Z");
    private static final Instant EXPIRY = T0.plusSeconds(86_400);

    private static CouponRecord coupon(String code, String batch, int index) {
        return new CouponRecord(code, batch, index, new BigDecimal("20.00"), "CNY", "available", T0, EXPIRY, null, null,
                null);
    }

    /** Stores may keep another scale: amounts compare by value. */
    private static CouponRecord scale2(CouponRecord c) {
        return new CouponRecord(c.code(), c.batchId(), c.batchIndex(), c.amount().setScale(2, RoundingMode.UNNECESSARY),
                c.currency(), c.status(), c.createdAt(), c.expiresAt(), c.redeemedBy(), c.settledAt(), c.transactionId());
    }

    private Optional<CouponRecord> find(String code) {
        return storage.inTransaction(s -> s.coupons().findCoupon(code)).map(CouponStoreContract::scale2);
    }

    @Test
    void coupons_readBackAsInserted_andListByBatchInCodeOrder() {
        run(s -> s.coupons().insertCoupons(List.of(coupon("CCCC", "b1", 1), coupon("AAAA", "b1", 2), coupon("BBBB", "b2", 1))));
        assertEquals(Optional.of(coupon("AAAA", "b1", 2)), find("AAAA"));
        assertEquals(Optional.empty(), find("DDDD"));
        assertEquals(List.of("AAAA", "CCCC"), storage.inTransaction(s -> s.coupons().listCoupons("b1")).stream()
                .map(CouponRecord::code).toList());
        assertEquals(List.of(), storage.inTransaction(s -> s.coupons().listCoupons("none")));
        assertEquals(3, snapshot().coupons().size());
    }

    @Test
    void aSecondCouponWithTheCodeOrThePlaceInItsBatch_isRefused_andTheWholeInsertIsUndone() {
        run(s -> s.coupons().insertCoupons(List.of(coupon("AAAA", "b1", 1))));
        StorageSnapshot before = snapshot();
        assertThrows(DuplicateKeyException.class, () -> run(s -> s.coupons().insertCoupons(List.of(
                coupon("BBBB", "b2", 1), coupon("AAAA", "b2", 2)))));
        assertEquals(before, snapshot());
        assertThrows(DuplicateKeyException.class, () -> run(s -> s.coupons().insertCoupons(List.of(coupon("CCCC", "b1", 1)))),
                "place 1 of batch b1 is taken");
        assertThrows(DuplicateKeyException.class, () -> run(s -> s.coupons().insertCoupons(List.of(
                coupon("DDDD", "b3", 1), coupon("DDDD", "b3", 2)))));
        assertEquals(before, snapshot());
    }

    @Test
    void redeeming_isACompareAndSetFromAvailable_beforeTheExpiry() {
        run(s -> s.coupons().insertCoupons(List.of(coupon("AAAA", "b1", 1), coupon("BBBB", "b1", 2), coupon("CCCC", "b1", 3))));
        CouponRecord redeemed = coupon("AAAA", "b1", 1).redeemed("acme", T0.plusSeconds(5), "tx-1");
        assertTrue((boolean) storage.inTransaction(s -> s.coupons().settleCoupon(redeemed)));
        assertEquals(Optional.of(redeemed), find("AAAA"));
        assertFalse((boolean) storage.inTransaction(s -> s.coupons().settleCoupon(coupon("AAAA", "b1", 1)
                .redeemed("beta", T0.plusSeconds(6), "tx-2"))), "redeemed already");
        assertFalse((boolean) storage.inTransaction(s -> s.coupons().settleCoupon(coupon("AAAA", "b1", 1).revoked(T0))));
        assertEquals(Optional.of(redeemed), find("AAAA"));

        assertFalse((boolean) storage.inTransaction(s -> s.coupons().settleCoupon(coupon("BBBB", "b1", 2)
                .redeemed("acme", EXPIRY, "tx-3"))), "at its expiry it can no longer be redeemed");
        CouponRecord revoked = coupon("BBBB", "b1", 2).revoked(EXPIRY.plusSeconds(1));
        assertTrue((boolean) storage.inTransaction(s -> s.coupons().settleCoupon(revoked)), "but it can be revoked");
        assertEquals(Optional.of(revoked), find("BBBB"));
        assertTrue((boolean) storage.inTransaction(s -> s.coupons().settleCoupon(coupon("CCCC", "b1", 3)
                .redeemed("acme", EXPIRY.minusNanos(1000), "tx-4"))), "a microsecond before");
        assertFalse((boolean) storage.inTransaction(s -> s.coupons().settleCoupon(coupon("ZZZZ", "b9", 1).revoked(T0))),
                "no such coupon");
    }

    /** Eight units of work redeem one code at once, each into its own wallet: exactly one wins. */
    @Test
    void ofManyRacingRedemptions_exactlyOneWins() throws Exception {
        run(s -> s.coupons().insertCoupons(List.of(coupon("AAAA", "b1", 1))));
        int won = race(8, (s, i) -> s.coupons().settleCoupon(coupon("AAAA", "b1", 1)
                .redeemed("ns-" + i, T0.plusSeconds(i), "tx-" + i)));
        assertEquals(1, won);
        CouponRecord stored = find("AAAA").orElseThrow();
        assertEquals("redeemed", stored.status());
        assertEquals("tx-" + stored.redeemedBy().substring(3), stored.transactionId(), "one winner's whole state");
    }
}
