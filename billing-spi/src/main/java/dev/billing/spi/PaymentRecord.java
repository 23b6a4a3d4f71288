package dev.billing.spi;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A recharge taken through a payment provider, in two phases: begun ({@code pending}, nothing credited),
 * then settled once: {@code succeeded} (credited by {@code transactionId}), {@code failed} or
 * {@code expired}. Immutable, thread-safe.
 *
 * @param id the payment's id, unique
 * @param namespace the account it credits
 * @param provider the payment provider's name, such as {@code alipay}
 * @param providerRef the provider's reference for it; {@code (provider, providerRef)} is unique
 * @param amount the amount, positive, an exact decimal
 * @param currency the ISO-4217 code of the amount
 * @param status {@code pending}, {@code succeeded}, {@code failed} or {@code expired}
 * @param createdAt when it began
 * @param expiresAt when a payment still pending expires
 * @param settledAt when it left {@code pending}, or {@code null}
 * @param transactionId the recharge that credited it, or {@code null} unless it succeeded
 * @param reason why it failed or expired, or {@code null}
 */
public record PaymentRecord(
        String id,
        String namespace,
        String provider,
        String providerRef,
        BigDecimal amount,
        String currency,
        String status,
        Instant createdAt,
        Instant expiresAt,
        Instant settledAt,
        String transactionId,
        String reason) {

    /** Rejects null required fields. */
    public PaymentRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(providerRef, "providerRef");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /**
     * @param newStatus the final status
     * @param at when it was settled
     * @param transaction the crediting transaction, or {@code null}
     * @param why the reason, or {@code null}
     * @return this payment, settled
     */
    public PaymentRecord settled(String newStatus, Instant at, String transaction, String why) {
        return new PaymentRecord(id, namespace, provider, providerRef, amount, currency, newStatus, createdAt, expiresAt,
                at, transaction, why);
    }
}
