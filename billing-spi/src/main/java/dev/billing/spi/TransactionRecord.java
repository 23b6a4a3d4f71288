package dev.billing.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored money movement, the header of a set of balanced postings. Immutable, thread-safe.
 *
 * <p>Transactions are append-only: a store never updates or deletes one. Whether a purchase was
 * refunded is derived from the refund that names it in {@code refundOf}; stores fill
 * {@code refundedBy} when reading.
 *
 * @param seq the store's insertion sequence, strictly increasing; {@code 0} when appending
 * @param id the transaction id, unique
 * @param namespace the account's namespace
 * @param kind {@code recharge}, {@code purchase}, {@code refund} or {@code adjustment}
 * @param amount the magnitude moved, positive (signed for adjustments: negative for a debit)
 * @param currency the ISO-4217 code of the amount
 * @param description free text, such as the plan's description
 * @param paymentMethod {@code balance} for wallet payments, the top-up method for recharges
 * @param planId the plan bought, or {@code null}
 * @param refundOf for a refund, the id of the purchase it refunds (unique among refunds); else {@code null}
 * @param balanceAfter the wallet balance right after this transaction
 * @param createdAt when it happened, from the engine's clock
 * @param refundedBy the id of the refund of this purchase, or {@code null}; ignored when appending
 */
public record TransactionRecord(
        long seq,
        String id,
        String namespace,
        String kind,
        BigDecimal amount,
        String currency,
        String description,
        String paymentMethod,
        String planId,
        String refundOf,
        BigDecimal balanceAfter,
        Instant createdAt,
        String refundedBy) {

    /** Rejects null required fields. */
    public TransactionRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(paymentMethod, "paymentMethod");
        Objects.requireNonNull(balanceAfter, "balanceAfter");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /**
     * @param seq the sequence a store assigned
     * @param refundedBy the refund naming this transaction, or {@code null}
     * @return this record as read back from a store
     */
    public TransactionRecord asStored(long seq, String refundedBy) {
        return new TransactionRecord(seq, id, namespace, kind, amount, currency, description, paymentMethod,
                planId, refundOf, balanceAfter, createdAt, refundedBy);
    }

    /**
     * @param balance the wallet's balance after this transaction
     * @return this record with that {@code balanceAfter}
     */
    public TransactionRecord withBalanceAfter(BigDecimal balance) {
        return new TransactionRecord(seq, id, namespace, kind, amount, currency, description, paymentMethod,
                planId, refundOf, balance, createdAt, refundedBy);
    }
}
