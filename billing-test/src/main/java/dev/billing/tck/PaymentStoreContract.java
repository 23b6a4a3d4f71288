package dev.billing.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.PaymentRecord;
import dev.billing.spi.StorageSnapshot;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The payments area's contract ({@link dev.billing.spi.PaymentStore}), written once and run against every
 * storage: extend it and implement {@link #newStorage()}. What two-phase recharges rely on: a provider's
 * reference names one payment, even against a concurrent insert; settling is a compare-and-set from
 * {@code pending} that exactly one of many racing units of work wins.
 */
public abstract class PaymentStoreContract extends StorageFixture {

    private static final Instant T0 = Instant.parse("2026-12-07T09:27:04.123456Z");

    private static PaymentRecord pending(String id, String ref, String namespace, Instant created) {
        return new PaymentRecord(id, namespace, "alipay", ref, new BigDecimal("20.00"), "CNY", "pending", created,
                created.plusSeconds(3600), null, null, null);
    }

    /** @return the payment, its amount at scale 2 (stores may keep another scale; amounts compare by value) */
    private Optional<PaymentRecord> find(String provider, String ref) {
        return storage.inTransaction(s -> s.payments().findPayment(provider, ref)).map(PaymentStoreContract::scale2);
    }

    private static PaymentRecord scale2(PaymentRecord p) {
        return new PaymentRecord(p.id(), p.namespace(), p.provider(), p.providerRef(),
                p.amount().setScale(2, java.math.RoundingMode.UNNECESSARY), p.currency(), p.status(), p.createdAt(),
                p.expiresAt(), p.settledAt(), p.transactionId(), p.reason());
    }

    @Test
    void aPayment_readsBackAsInserted_byItsProvidersReference() {
        PaymentRecord p = pending("p1", "ref-1", "acme", T0);
        run(s -> s.payments().insertPayment(p));
        assertEquals(Optional.of(p), find("alipay", "ref-1"));
        assertEquals(Optional.empty(), find("wechat", "ref-1"), "the reference is the provider's own");
        assertEquals(Optional.empty(), find("alipay", "ref-2"));
        assertEquals(List.of(p), snapshot().payments().stream().map(PaymentStoreContract::scale2).toList());
    }

    @Test
    void aSecondPaymentWithTheIdOrTheProvidersReference_isRefused_andItsUnitIsUndone() {
        run(s -> s.payments().insertPayment(pending("p1", "ref-1", "acme", T0)));
        StorageSnapshot before = snapshot();
        assertThrows(DuplicateKeyException.class, () -> run(s -> {
            s.payments().insertPayment(pending("p2", "ref-2", "acme", T0));
            s.payments().insertPayment(pending("p3", "ref-1", "beta", T0));
        }));
        assertEquals(before, snapshot());
        assertThrows(DuplicateKeyException.class, () -> run(s -> s.payments().insertPayment(pending("p1", "ref-9", "acme", T0))));
        assertEquals(before, snapshot());
        run(s -> s.payments().insertPayment(new PaymentRecord("p4", "acme", "wechat", "ref-1", BigDecimal.ONE, "CNY",
                "pending", T0, T0, null, null, null)));
        assertEquals(2, snapshot().payments().size(), "another provider may use the same reference");
    }

    @Test
    void settling_isACompareAndSetFromPending() {
        PaymentRecord p = pending("p1", "ref-1", "acme", T0);
        run(s -> s.payments().insertPayment(p));
        PaymentRecord succeeded = p.settled("succeeded", T0.plusSeconds(5), "tx-1", null);
        assertTrue((boolean) storage.inTransaction(s -> s.payments().settlePayment(succeeded)));
        assertEquals(Optional.of(succeeded), find("alipay", "ref-1"));
        assertFalse((boolean) storage.inTransaction(s -> s.payments().settlePayment(p.settled("failed", T0, null, "declined"))),
                "settled already");
        assertFalse((boolean) storage.inTransaction(s -> s.payments().settlePayment(succeeded)));
        assertEquals(Optional.of(succeeded), find("alipay", "ref-1"));
        assertFalse((boolean) storage.inTransaction(s -> s.payments().settlePayment(pending("nope", "x", "acme", T0)
                .settled("failed", T0, null, "x"))), "no such payment");
    }

    @Test
    void listings_areInTheirDocumentedOrders() {
        run(s -> {
            s.payments().insertPayment(pending("b", "r1", "acme", T0.plusSeconds(10)));
            s.payments().insertPayment(pending("a", "r2", "acme", T0.plusSeconds(10)));
            s.payments().insertPayment(pending("c", "r3", "acme", T0));
            s.payments().insertPayment(pending("d", "r4", "beta", T0));
        });
        assertEquals(List.of("c", "a", "b"), storage.inTransaction(s -> s.payments().listPayments("acme")).stream()
                .map(PaymentRecord::id).toList());
        run(s -> s.payments().settlePayment(pending("d", "r4", "beta", T0).settled("failed", T0, null, "declined")));
        Instant now = T0.plusSeconds(3600);
        assertEquals(List.of("c"), storage.inTransaction(s -> s.payments().listPaymentsExpired(now, 10)).stream()
                .map(PaymentRecord::id).toList(), "pending ones expired at or before now; d is settled");
        assertEquals(List.of("c", "a", "b"), storage.inTransaction(s -> s.payments().listPaymentsExpired(
                now.plusSeconds(10), 10)).stream().map(PaymentRecord::id).toList());
        assertEquals(List.of("c"), storage.inTransaction(s -> s.payments().listPaymentsExpired(now.plusSeconds(10), 1))
                .stream().map(PaymentRecord::id).toList());
    }

    @Test
    void workThatThrows_leavesNoPayment_andNoSettlement() {
        PaymentRecord p = pending("p1", "ref-1", "acme", T0);
        run(s -> s.payments().insertPayment(p));
        StorageSnapshot before = snapshot();
        assertThrows(IllegalStateException.class, () -> storage.inTransaction(s -> {
            s.payments().insertPayment(pending("p2", "ref-2", "acme", T0));
            s.payments().settlePayment(p.settled("succeeded", T0, "tx", null));
            throw new IllegalStateException("boom");
        }));
        assertEquals(before, snapshot());
    }

    /** Eight units of work settle one payment at once, half as succeeded, half as failed: exactly one wins. */
    @Test
    void ofManyRacingSettlements_exactlyOneWins() throws Exception {
        PaymentRecord p = pending("p1", "ref-1", "acme", T0);
        run(s -> s.payments().insertPayment(p));
        int won = race(8, (s, i) -> s.payments().settlePayment(i % 2 == 0 ? p.settled("succeeded", T0, "tx-" + i, null)
                : p.settled("failed", T0, null, "declined " + i)));
        assertEquals(1, won);
        PaymentRecord stored = find("alipay", "ref-1").orElseThrow();
        assertTrue(stored.status().equals("succeeded") ? stored.transactionId() != null && stored.reason() == null
                : stored.status().equals("failed") && stored.transactionId() == null, stored.toString());
    }
}
