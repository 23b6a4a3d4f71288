package dev.billing.tck;

import static dev.billing.core.events.EventType.ACCOUNT_REACTIVATED;
import static dev.billing.core.events.EventType.RECHARGE_CONFIRMED;
import static dev.billing.core.events.EventType.RECHARGE_FAILED;
import static dev.billing.core.events.EventType.RECHARGE_PENDING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.BillingException;
import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.payments.Payment;
import dev.billing.core.payments.PaymentStatus;
import dev.billing.core.wallet.Transaction;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageSnapshot;
import dev.billing.test.BillingFixture;
import dev.billing.test.EventCapture;
import dev.billing.test.FakePaymentProvider;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two-phase recharges through a payment provider on a storage, written once and run against every
 * storage: extend it and implement {@link #newStorage()}. Begun: nothing credited; confirmed: credited
 * exactly once, however often or concurrently the callback comes; failed or expired: never credited; a
 * callback that contradicts the final state is refused and changes nothing.
 */
public abstract class PaymentsContract {

    private static final Instant START = Instant.parse("2026-12-07T09:00:00Z");

    private BillingFixture billing;
    private BillingEngine engine;
    private EventCapture events;
    private FakePaymentProvider alipay;

    /** @return a new, empty storage; the contract closes it */
    protected abstract BillingStorage newStorage();

    @BeforeEach
    void build() {
        billing = BillingFixture.builder().storage(newStorage()).start(START).zone(ZoneOffset.UTC).build();
        engine = billing.engine();
        events = billing.events();
        alipay = new FakePaymentProvider(engine, "alipay");
    }

    @AfterEach
    void check() {
        billing.assertInvariants();
        billing.close();
    }

    private static Money cny(String amount) {
        return Money.of(new BigDecimal(amount), "CNY");
    }

    private Money balance(String ns) {
        return Money.from(engine.wallet().balance(ns).amount());
    }

    private StorageSnapshot snapshot() {
        return StorageSnapshot.of(billing.storage());
    }

    private List<Transaction> recharges(String ns) {
        return engine.wallet().transactions(ns, null, 100).items().stream()
                .filter(t -> t.kind() == TransactionKind.RECHARGE).toList();
    }

    @Test
    void begun_creditsNothing_confirmed_creditsOnce_asARechargeFromTheProvider() {
        String ref = alipay.start("acme", cny("100"));
        Payment pending = engine.payments().payment("alipay", ref);
        assertEquals(PaymentStatus.PENDING, pending.status());
        assertEquals(START.plus(BillingEngine.DEFAULT_PAYMENT_EXPIRY), pending.expiresAt());
        assertEquals(cny("0.00"), balance("acme"), "begun: the account is open, nothing credited");
        events.assertTypes(RECHARGE_PENDING);

        Payment paid = alipay.pay(ref);
        assertEquals(PaymentStatus.SUCCEEDED, paid.status());
        assertEquals(START, paid.settledAt());
        assertEquals(cny("100.00"), balance("acme"));
        Transaction credit = engine.wallet().transaction("acme", paid.transactionId());
        assertEquals(TransactionKind.RECHARGE, credit.kind());
        assertEquals("alipay", credit.paymentMethod());
        assertEquals(cny("100.00"), credit.amount());
        assertEquals(List.of(paid), engine.payments().payments("acme"));
        assertEquals(paid.transactionId(), events.last(RECHARGE_CONFIRMED).get("transactionId"));
        assertEquals("100.00", events.last(RECHARGE_CONFIRMED).get("amount"));
        events.assertTypes(RECHARGE_CONFIRMED);
    }

    @Test
    void aConfirmationRepeatedTenTimes_creditsOnce_andAnswersTheSameEachTime() {
        String ref = alipay.start("acme", cny("100"));
        Payment first = alipay.pay(ref);
        StorageSnapshot after = snapshot();
        for (int i = 0; i < 10; i++) {
            assertEquals(first, alipay.redeliver(ref));
        }
        assertEquals(after, snapshot(), "repeats change nothing");
        assertEquals(1, recharges("acme").size());
        assertEquals(cny("100.00"), balance("acme"));
    }

    @Test
    void aFailure_creditsNothing_isIdempotent_andALaterConfirmationIsRefusedWithoutChangingAnything() {
        String ref = alipay.start("acme", cny("100"));
        Payment failed = alipay.decline(ref, "card declined");
        assertEquals(PaymentStatus.FAILED, failed.status());
        assertEquals("card declined", failed.reason());
        assertNull(failed.transactionId());
        assertEquals(failed, alipay.redeliver(ref));
        assertEquals(failed, engine.payments().fail("alipay", ref, "another reason"), "the first failure stands");
        StorageSnapshot before = snapshot();
        ConflictException e = assertThrows(ConflictException.class, () -> alipay.pay(ref));
        assertEquals(ErrorCode.PAYMENT_NOT_PENDING, e.code());
        assertEquals("providerReference", e.field());
        assertEquals(before, snapshot());
        assertEquals(cny("0.00"), balance("acme"));
        events.assertTypes(RECHARGE_PENDING, RECHARGE_FAILED);
    }

    @Test
    void aFailureAfterTheConfirmation_isRefused_andTheCreditStands() {
        String ref = alipay.start("acme", cny("100"));
        alipay.pay(ref);
        StorageSnapshot before = snapshot();
        assertEquals(ErrorCode.PAYMENT_NOT_PENDING, assertThrows(ConflictException.class,
                () -> alipay.decline(ref, "late")).code());
        assertEquals(before, snapshot());
    }

    @Test
    void aPendingPayment_expiresAtItsExpiry_throughRunDue_andIsNeverCreditedAfter() {
        String ref = alipay.start("acme", cny("100"));
        billing.clock().advance(BillingEngine.DEFAULT_PAYMENT_EXPIRY);
        StorageSnapshot before = snapshot();
        assertEquals(ErrorCode.PAYMENT_NOT_PENDING, assertThrows(ConflictException.class, () -> alipay.pay(ref)).code(),
                "past its expiry, before runDue expired it");
        assertEquals(before, snapshot());
        billing.runDue();
        Payment expired = engine.payments().payment("alipay", ref);
        assertEquals(PaymentStatus.EXPIRED, expired.status());
        assertEquals("expired", expired.reason());
        assertEquals(expired, alipay.decline(ref, "too late"), "a failure of an expired payment answers it as it stands");
        assertThrows(ConflictException.class, () -> alipay.pay(ref));
        assertEquals(cny("0.00"), balance("acme"));
        events.assertTypes(RECHARGE_PENDING, RECHARGE_FAILED);
        billing.runDue();
        events.assertTypes();
    }

    @Test
    void beginningAReferenceAgain_answersThePayment_andForAnotherRequestIsAConflict() {
        String ref = alipay.start("acme", cny("100"));
        Payment first = engine.payments().payment("alipay", ref);
        assertEquals(first, engine.payments().begin("acme", cny("100.00"), "alipay", ref));
        StorageSnapshot before = snapshot();
        assertEquals(ErrorCode.PAYMENT_EXISTS, assertThrows(ConflictException.class,
                () -> engine.payments().begin("acme", cny("99"), "alipay", ref)).code());
        assertEquals(ErrorCode.PAYMENT_EXISTS, assertThrows(ConflictException.class,
                () -> engine.payments().begin("beta", cny("100"), "alipay", ref)).code());
        assertEquals(before, snapshot());
        assertEquals(PaymentStatus.PENDING, engine.payments().begin("acme", cny("100"), "wechat", ref).status(),
                "another provider's reference");
    }

    @Test
    void badRequests_areRefused_andChangeNothing() {
        engine.wallet().recharge("acme", cny("1"), "r1");
        engine.wallet().recharge("usd", Money.of(1, "USD"), "r2");
        StorageSnapshot before = snapshot();
        assertEquals("amount", assertThrows(InvalidRequestException.class,
                () -> engine.payments().begin("acme", cny("0"), "alipay", "x")).field());
        assertEquals("amount", assertThrows(InvalidRequestException.class,
                () -> engine.payments().begin("acme", cny("1.001"), "alipay", "x")).field());
        assertEquals(ErrorCode.CURRENCY_MISMATCH, assertThrows(InvalidRequestException.class,
                () -> engine.payments().begin("usd", cny("1"), "alipay", "x")).code());
        assertEquals("provider", assertThrows(InvalidRequestException.class,
                () -> engine.payments().begin("acme", cny("1"), " ", "x")).field());
        assertEquals("providerReference", assertThrows(InvalidRequestException.class,
                () -> engine.payments().begin("acme", cny("1"), "alipay", "x".repeat(129))).field());
        assertEquals(ErrorCode.PAYMENT_NOT_FOUND, assertThrows(NotFoundException.class,
                () -> engine.payments().confirm("alipay", "nope")).code());
        assertEquals(ErrorCode.PAYMENT_NOT_FOUND, assertThrows(NotFoundException.class,
                () -> engine.payments().fail("alipay", "nope", "x")).code());
        assertEquals(ErrorCode.ACCOUNT_NOT_FOUND, assertThrows(NotFoundException.class,
                () -> engine.payments().payments("nobody")).code());
        engine.accounts().setStatus("acme", AccountStatus.CLOSED, "close");
        StorageSnapshot closed = snapshot();
        assertEquals(ErrorCode.ACCOUNT_NOT_ACTIVE, assertThrows(ConflictException.class,
                () -> engine.payments().begin("acme", cny("1"), "alipay", "x")).code());
        assertEquals(closed, snapshot());
        assertEquals(before.payments(), closed.payments());
    }

    @Test
    void aConfirmation_ofASuspendedAccountWithoutDebt_creditsIt_andLeavesTheSuspension() {
        engine.wallet().recharge("acme", cny("1"), "r1");
        engine.wallet().adjust("acme", cny("-1"), "test", "a1");
        engine.accounts().setStatus("acme", AccountStatus.SUSPENDED, "s1");
        String ref = alipay.start("acme", cny("10"));
        alipay.pay(ref);
        assertEquals(AccountStatus.SUSPENDED, engine.wallet().balance("acme").status(),
                "no debt: an operator's suspension stays");
        assertEquals(cny("10.00"), balance("acme"));
        assertTrue(events.types().contains(RECHARGE_CONFIRMED));
        assertTrue(!events.types().contains(ACCOUNT_REACTIVATED));
    }

    /**
     * Confirmations and failures of one payment race from eight threads (four each), and ten more
     * confirmations of another: each payment ends in one final state, credited at most once, and every
     * caller got either that state or a refusal.
     */
    @Test
    void racingCallbacks_creditAtMostOnce_andEndInOneFinalState() throws Exception {
        String contested = alipay.start("acme", cny("100"));
        String repeated = alipay.start("beta", cny("50"));
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads + 10);
        ExecutorService pool = Executors.newFixedThreadPool(threads + 10);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                boolean confirm = i % 2 == 0;
                results.add(pool.submit(() -> outcome(start, confirm ? () -> engine.payments().confirm("alipay", contested)
                        : () -> engine.payments().fail("alipay", contested, "declined"))));
            }
            for (int i = 0; i < 10; i++) {
                results.add(pool.submit(() -> outcome(start, () -> engine.payments().confirm("alipay", repeated))));
            }
            List<Object> outcomes = new ArrayList<>();
            for (Future<Object> f : results) {
                outcomes.add(f.get(120, TimeUnit.SECONDS));
            }
            Payment contestedFinal = engine.payments().payment("alipay", contested);
            assertTrue(contestedFinal.status() == PaymentStatus.SUCCEEDED || contestedFinal.status() == PaymentStatus.FAILED);
            for (Object o : outcomes.subList(0, threads)) {
                assertTrue(o.equals(contestedFinal) || o instanceof ConflictException c
                        && c.code() == ErrorCode.PAYMENT_NOT_PENDING, "either the final state or a refusal: " + o);
            }
            boolean credited = contestedFinal.status() == PaymentStatus.SUCCEEDED;
            assertEquals(credited ? 1 : 0, recharges("acme").size());
            assertEquals(credited ? cny("100.00") : cny("0.00"), balance("acme"));

            Payment repeatedFinal = engine.payments().payment("alipay", repeated);
            assertEquals(PaymentStatus.SUCCEEDED, repeatedFinal.status());
            for (Object o : outcomes.subList(threads, outcomes.size())) {
                assertEquals(repeatedFinal, o, "every repeat answers the one confirmation");
            }
            assertEquals(1, recharges("beta").size());
            assertEquals(cny("50.00"), balance("beta"));
            assertNotNull(repeatedFinal.transactionId());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Object outcome(CyclicBarrier start, Supplier<Payment> call) throws Exception {
        start.await(30, TimeUnit.SECONDS);
        try {
            return call.get();
        } catch (BillingException e) {
            return e;
        }
    }

    @Test
    void theExpiry_isTheEnginesSetting() {
        BillingEngine shortExpiry = BillingEngine.builder().storage(billing.storage()).clock(billing.clock())
                .paymentExpiry(Duration.ofMinutes(15)).build();
        Payment p = shortExpiry.payments().begin("acme", cny("5"), "alipay", "quick");
        assertEquals(START.plus(Duration.ofMinutes(15)), p.expiresAt());
        billing.clock().advance(Duration.ofMinutes(15));
        shortExpiry.runDue();
        assertEquals(PaymentStatus.EXPIRED, shortExpiry.payments().payment("alipay", "quick").status());
        assertThrows(IllegalArgumentException.class, () -> BillingEngine.builder().paymentExpiry(Duration.ZERO));
    }
}
