package dev.billing.core.payments;

import java.time.Instant;
import java.util.Objects;
import javax.money.MonetaryAmount;

/**
 * A recharge through a payment provider ({@link Payments}). Immutable, thread-safe.
 *
 * @param id the engine's id for it
 * @param namespace the account it credits
 * @param provider the provider's name, such as {@code alipay}
 * @param providerReference the provider's reference for it, unique per provider
 * @param amount what it credits once confirmed
 * @param status where it stands
 * @param createdAt when it began
 * @param expiresAt when it expires if still pending
 * @param settledAt when it left {@link PaymentStatus#PENDING}, or {@code null}
 * @param transactionId the recharge transaction that credited it, or {@code null} unless {@link PaymentStatus#SUCCEEDED}
 * @param reason why it failed or expired, or {@code null}
 */
public record Payment(String id, String namespace, String provider, String providerReference, MonetaryAmount amount,
        PaymentStatus status, Instant createdAt, Instant expiresAt, Instant settledAt, String transactionId,
        String reason) {

    /** Rejects null required fields. */
    public Payment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(providerReference, "providerReference");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
