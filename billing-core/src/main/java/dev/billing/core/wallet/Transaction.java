package dev.billing.core.wallet;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.money.MonetaryAmount;

/**
 * A money movement of an account. Immutable, thread-safe.
 *
 * @param id the transaction id
 * @param namespace the account
 * @param kind what it was
 * @param amount the magnitude moved, positive, {@link #kind()} telling the direction; only an
 *     {@link TransactionKind#ADJUSTMENT} carries a sign (negative for a debit)
 * @param description free text, such as the plan's description
 * @param paymentMethod {@code balance} for payments from the wallet; the top-up method for recharges
 * @param status {@link TransactionStatus#REFUNDED} for a purchase refunded since, else {@link TransactionStatus#FINISH}
 * @param createdAt when it happened
 * @param balanceAfter the wallet balance right after it
 * @param planId the plan bought, or {@code null}
 * @param refundOf for a refund, the purchase it paid back; else {@code null}
 * @param refundedBy for a refunded purchase, its refund; else {@code null}
 */
public record Transaction(
        String id,
        String namespace,
        TransactionKind kind,
        MonetaryAmount amount,
        String description,
        String paymentMethod,
        TransactionStatus status,
        Instant createdAt,
        MonetaryAmount balanceAfter,
        String planId,
        String refundOf,
        String refundedBy) {

    /** Rejects null required fields. */
    public Transaction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(paymentMethod, "paymentMethod");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(balanceAfter, "balanceAfter");
    }

    /** @return the plan bought, if any */
    public Optional<String> plan() {
        return Optional.ofNullable(planId);
    }
}
