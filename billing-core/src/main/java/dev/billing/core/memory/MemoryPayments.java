package dev.billing.core.memory;

import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.PaymentRecord;
import dev.billing.spi.PaymentStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The in-memory {@link PaymentStore} of one unit of work. */
final class MemoryPayments implements PaymentStore {

    private static final Comparator<PaymentRecord> BY_CREATED =
            Comparator.comparing(PaymentRecord::createdAt).thenComparing(PaymentRecord::id);
    private static final Comparator<PaymentRecord> BY_EXPIRY =
            Comparator.comparing(PaymentRecord::expiresAt).thenComparing(PaymentRecord::id);

    private final MemorySession session;
    private final MemoryTables t;

    MemoryPayments(MemorySession session, MemoryTables t) {
        this.session = session;
        this.t = t;
    }

    @Override
    public void insertPayment(PaymentRecord p) {
        session.check();
        String ref = MemoryTables.key(p.provider(), p.providerRef());
        if (t.payments.containsKey(p.id()) || t.paymentsByProviderRef.containsKey(ref)) {
            throw session.spoil(new DuplicateKeyException("payment " + p.id() + " or " + p.provider() + " reference "
                    + p.providerRef() + " exists", null));
        }
        session.put(t.payments, p.id(), p);
        session.put(t.paymentsByProviderRef, ref, p.id());
    }

    @Override
    public Optional<PaymentRecord> findPayment(String provider, String providerRef) {
        session.check();
        return Optional.ofNullable(t.paymentsByProviderRef.get(MemoryTables.key(provider, providerRef)))
                .map(t.payments::get);
    }

    @Override
    public boolean settlePayment(PaymentRecord settled) {
        session.check();
        PaymentRecord stored = t.payments.get(settled.id());
        if (stored == null || !stored.status().equals("pending")) {
            return false;
        }
        session.put(t.payments, settled.id(), stored.settled(settled.status(), settled.settledAt(),
                settled.transactionId(), settled.reason()));
        return true;
    }

    @Override
    public List<PaymentRecord> listPayments(String namespace) {
        session.check();
        return t.payments.values().stream().filter(p -> p.namespace().equals(namespace)).sorted(BY_CREATED).toList();
    }

    @Override
    public List<PaymentRecord> listPaymentsExpired(Instant now, int limit) {
        session.check();
        return t.payments.values().stream()
                .filter(p -> p.status().equals("pending") && !p.expiresAt().isAfter(now))
                .sorted(BY_EXPIRY).limit(Math.max(limit, 0)).toList();
    }
}
