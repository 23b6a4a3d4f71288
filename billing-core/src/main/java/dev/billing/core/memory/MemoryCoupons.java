package dev.billing.core.memory;

import dev.billing.spi.CouponRecord;
import dev.billing.spi.CouponStore;
import dev.billing.spi.DuplicateKeyException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The in-memory {@link CouponStore} of one unit of work. */
final class MemoryCoupons implements CouponStore {

    private final MemorySession session;
    private final MemoryTables t;

    MemoryCoupons(MemorySession session, MemoryTables t) {
        this.session = session;
        this.t = t;
    }

    @Override
    public void insertCoupons(List<CouponRecord> coupons) {
        session.check();
        Set<String> codes = new HashSet<>();
        Set<String> places = new HashSet<>();
        for (CouponRecord c : coupons) {
            String place = MemoryTables.key(c.batchId(), Integer.toString(c.batchIndex()));
            if (t.coupons.containsKey(c.code()) || !codes.add(c.code()) || t.couponPlaces.contains(place)
                    || !places.add(place)) {
                throw session.spoil(new DuplicateKeyException("coupon " + c.code() + " or place " + c.batchIndex()
                        + " of batch " + c.batchId() + " exists", null));
            }
        }
        for (CouponRecord c : coupons) {
            session.put(t.coupons, c.code(), c);
            String place = MemoryTables.key(c.batchId(), Integer.toString(c.batchIndex()));
            t.couponPlaces.add(place);
            session.onUndo(() -> t.couponPlaces.remove(place));
        }
    }

    @Override
    public Optional<CouponRecord> findCoupon(String code) {
        session.check();
        return Optional.ofNullable(t.coupons.get(code));
    }

    @Override
    public boolean settleCoupon(CouponRecord settled) {
        session.check();
        CouponRecord stored = t.coupons.get(settled.code());
        if (stored == null || !stored.status().equals("available")
                || settled.status().equals("redeemed") && !settled.settledAt().isBefore(stored.expiresAt())) {
            return false;
        }
        session.put(t.coupons, settled.code(), new CouponRecord(stored.code(), stored.batchId(), stored.batchIndex(),
                stored.amount(),
                stored.currency(), settled.status(), stored.createdAt(), stored.expiresAt(), settled.redeemedBy(),
                settled.settledAt(), settled.transactionId()));
        return true;
    }

    @Override
    public List<CouponRecord> listCoupons(String batchId) {
        session.check();
        return t.coupons.values().stream().filter(c -> c.batchId().equals(batchId))
                .sorted(Comparator.comparing(CouponRecord::code)).toList();
    }
}
