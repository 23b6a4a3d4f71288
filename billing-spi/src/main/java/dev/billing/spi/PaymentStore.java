package dev.billing.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Payments through providers ({@link PaymentRecord}). Payment ids are unique, and so is
 * {@code (provider, providerRef)}: of two units of work beginning the same provider's payment, one
 * commits. Settling is a compare-and-set from {@code pending} ({@link #settlePayment}): of a confirmation
 * and a failure racing, or a callback repeated, exactly one settles the payment.
 *
 * <p>Valid only inside the unit of work whose {@link StorageSession} handed it out; not to be shared
 * between threads.
 */
public interface PaymentStore {

    /**
     * Inserts a payment.
     *
     * @throws DuplicateKeyException when the id, or the provider's reference for that provider, exists
     */
    void insertPayment(PaymentRecord payment);

    /**
     * @param provider the provider
     * @param providerRef its reference
     * @return the payment
     */
    Optional<PaymentRecord> findPayment(String provider, String providerRef);

    /**
     * Settles a payment, provided it is still {@code pending} (compare-and-set).
     *
     * @param settled the payment's final state (same id): status, settledAt, transactionId and reason are written
     * @return whether it was pending and is now settled
     */
    boolean settlePayment(PaymentRecord settled);

    /**
     * @param namespace the account
     * @return its payments, oldest first (by createdAt, then id)
     */
    List<PaymentRecord> listPayments(String namespace);

    /**
     * @param now the moment
     * @param limit at most this many
     * @return pending payments whose {@code expiresAt} is at or before {@code now}, by expiresAt, then id
     */
    List<PaymentRecord> listPaymentsExpired(Instant now, int limit);
}
