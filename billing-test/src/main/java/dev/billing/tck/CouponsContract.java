package dev.billing.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.BillingException;
import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.coupons.Coupon;
import dev.billing.core.coupons.CouponStatus;
import dev.billing.core.coupons.Coupons;
import dev.billing.core.events.EventType;
import dev.billing.core.wallet.Transaction;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageSnapshot;
import dev.billing.test.BillingFixture;
import dev.billing.test.EventCapture;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Coupons on a storage, written once and run against every storage: extend it and implement
 * {@link #newStorage()}. A batch of random codes; a redemption credits the wallet once, as a ledger
 * transaction from {@code funding:coupon}, even when many requests redeem one code at once; expired and
 * revoked coupons credit nothing; every refusal changes nothing.
 */
public abstract class CouponsContract {

    private static final Instant START = Instant.parse("2026-12-07T09:00:00Z");
    private static final Instant EXPIRY = START.plus(Duration.ofDays(30));
    private static final Pattern PRINTED = Pattern.compile("[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}");

    private BillingFixture billing;
    private BillingEngine engine;
    private EventCapture events;

    /** @return a new, empty storage; the contract closes it */
    protected abstract BillingStorage newStorage();

    @BeforeEach
    void build() {
        billing = BillingFixture.builder().storage(newStorage()).start(START).zone(ZoneOffset.UTC).build();
        engine = billing.engine();
        events = billing.events();
    }

    @AfterEach
    void check() {
        billing.assertInvariants();
        billing.close();
    }

    private static Money cny(String amount) {
        return Money.of(new BigDecimal(amount), "CNY");
    }

    private StorageSnapshot snapshot() {
        return StorageSnapshot.of(billing.storage());
    }

    private List<Transaction> credits(String ns) {
        return engine.wallet().transactions(ns, null, 100).items().stream()
                .filter(t -> t.kind() == TransactionKind.RECHARGE).toList();
    }

    @Test
    void aBatch_holdsDistinctRandomCodes_andCreatingItAgainAnswersTheSameCoupons() {
        List<Coupon> batch = engine.coupons().createBatch("welcome", cny("20"), 50, EXPIRY);
        assertEquals(50, batch.size());
        assertEquals(50, new HashSet<>(batch.stream().map(Coupon::code).toList()).size());
        assertTrue(batch.stream().allMatch(c -> PRINTED.matcher(c.code()).matches()), batch.get(0).code());
        assertTrue(batch.stream().allMatch(c -> c.status() == CouponStatus.AVAILABLE && c.amount().equals(cny("20.00"))
                && c.expiresAt().equals(EXPIRY) && c.batchId().equals("welcome")));
        assertEquals(batch, engine.coupons().createBatch("welcome", cny("20.00"), 50, EXPIRY));
        assertEquals(batch, engine.coupons().batch("welcome"));
        StorageSnapshot before = snapshot();
        assertEquals(ErrorCode.COUPON_BATCH_EXISTS, assertThrows(ConflictException.class,
                () -> engine.coupons().createBatch("welcome", cny("20"), 51, EXPIRY)).code());
        assertEquals(ErrorCode.COUPON_BATCH_EXISTS, assertThrows(ConflictException.class,
                () -> engine.coupons().createBatch("welcome", cny("25"), 50, EXPIRY)).code());
        assertEquals(before, snapshot());
        assertNotEquals(batch.get(0).code(), engine.coupons().createBatch("other", cny("20"), 1, EXPIRY).get(0).code());
    }

    @Test
    void redeeming_creditsTheWalletOnce_asAFundingCouponTransaction_andAgainIntoTheSameWalletAnswersIt() {
        Coupon c = engine.coupons().createBatch("welcome", cny("20"), 1, EXPIRY).get(0);
        Coupon redeemed = engine.coupons().redeem(c.code().toLowerCase().replace("-", " "), "acme");
        assertEquals(CouponStatus.REDEEMED, redeemed.status());
        assertEquals("acme", redeemed.redeemedBy());
        assertEquals(cny("20.00"), engine.wallet().balance("acme").amount(), "the first credit opens the account");
        Transaction t = engine.wallet().transaction("acme", redeemed.transactionId());
        assertEquals(TransactionKind.RECHARGE, t.kind());
        assertEquals(Coupons.FUNDING, t.paymentMethod());
        assertEquals(0, engine.wallet().trialBalance().values().stream().filter(a -> !a.isZero()).count());
        StorageSnapshot after = snapshot();
        assertEquals(redeemed, engine.coupons().redeem(c.code(), "acme"));
        assertEquals(after, snapshot());
        assertEquals(1, credits("acme").size());
        assertEquals(c.code(), events.last(EventType.COUPON_REDEEMED).subject());
        assertEquals(redeemed.transactionId(), events.last(EventType.COUPON_REDEEMED).get("transactionId"));
    }

    @Test
    void redeemedElsewhere_revoked_expired_unknown_orMalformed_isRefused_andChangesNothing() {
        List<Coupon> batch = engine.coupons().createBatch("welcome", cny("20"), 3, EXPIRY);
        engine.coupons().redeem(batch.get(0).code(), "acme");
        assertEquals(CouponStatus.REVOKED, engine.coupons().revoke(batch.get(1).code()).status());
        engine.wallet().recharge("usd", Money.of(1, "USD"), "r1");
        StorageSnapshot before = snapshot();
        assertEquals(ErrorCode.COUPON_NOT_AVAILABLE, assertThrows(ConflictException.class,
                () -> engine.coupons().redeem(batch.get(0).code(), "beta")).code());
        assertEquals(ErrorCode.COUPON_NOT_AVAILABLE, assertThrows(ConflictException.class,
                () -> engine.coupons().redeem(batch.get(1).code(), "beta")).code());
        assertEquals(ErrorCode.COUPON_NOT_AVAILABLE, assertThrows(ConflictException.class,
                () -> engine.coupons().revoke(batch.get(0).code())).code(), "a redeemed coupon cannot be revoked");
        assertEquals(ErrorCode.CURRENCY_MISMATCH, assertThrows(InvalidRequestException.class,
                () -> engine.coupons().redeem(batch.get(2).code(), "usd")).code());
        assertEquals(ErrorCode.COUPON_NOT_FOUND, assertThrows(NotFoundException.class,
                () -> engine.coupons().redeem("0000-0000-0000-0000", "beta")).code());
        assertEquals("code", assertThrows(InvalidRequestException.class,
                () -> engine.coupons().redeem("not a code", "beta")).field());
        assertEquals("count", assertThrows(InvalidRequestException.class,
                () -> engine.coupons().createBatch("b", cny("1"), 0, EXPIRY)).field());
        assertEquals("count", assertThrows(InvalidRequestException.class,
                () -> engine.coupons().createBatch("b", cny("1"), Coupons.MAX_BATCH + 1, EXPIRY)).field());
        assertEquals("expiresAt", assertThrows(InvalidRequestException.class,
                () -> engine.coupons().createBatch("b", cny("1"), 1, START)).field());
        assertEquals("amount", assertThrows(InvalidRequestException.class,
                () -> engine.coupons().createBatch("b", cny("0.001"), 1, EXPIRY)).field());
        assertEquals(before, snapshot());

        billing.clock().advanceTo(EXPIRY);
        Coupon expired = engine.coupons().coupon(batch.get(2).code());
        assertEquals(CouponStatus.EXPIRED, expired.status());
        StorageSnapshot atExpiry = snapshot();
        assertEquals(ErrorCode.COUPON_NOT_AVAILABLE, assertThrows(ConflictException.class,
                () -> engine.coupons().redeem(batch.get(2).code(), "beta")).code());
        assertEquals(atExpiry, snapshot());
    }

    /** Ten requests redeem one code at once, into ten wallets: one is credited, the others refused. */
    @Test
    void concurrentRedemptionsOfOneCode_creditExactlyOneWallet_once() throws Exception {
        Coupon c = engine.coupons().createBatch("welcome", cny("20"), 1, EXPIRY).get(0);
        int threads = 10;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String ns = "ns-" + i;
                results.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    try {
                        return engine.coupons().redeem(c.code(), ns);
                    } catch (BillingException e) {
                        return e;
                    }
                }));
            }
            List<Coupon> won = new ArrayList<>();
            for (Future<Object> f : results) {
                Object o = f.get(120, TimeUnit.SECONDS);
                if (o instanceof Coupon redeemed) {
                    won.add(redeemed);
                } else {
                    assertEquals(ErrorCode.COUPON_NOT_AVAILABLE, ((BillingException) o).code(), o.toString());
                }
            }
            assertEquals(1, won.size(), "exactly one redemption succeeded");
            String winner = won.get(0).redeemedBy();
            assertEquals(cny("20.00"), engine.wallet().balance(winner).amount());
            assertEquals(1, credits(winner).size());
            for (int i = 0; i < threads; i++) {
                String ns = "ns-" + i;
                if (!ns.equals(winner)) {
                    assertThrows(NotFoundException.class, () -> engine.wallet().balance(ns),
                            "a refused redemption opened no account");
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
