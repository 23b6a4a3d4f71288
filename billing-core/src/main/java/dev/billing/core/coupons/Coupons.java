package dev.billing.core.coupons;

import dev.billing.core.BillingEngine;
import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.NotFoundException;
import dev.billing.core.events.EventType;
import dev.billing.core.internal.Amounts;
import dev.billing.core.internal.Checks;
import dev.billing.core.internal.Codes;
import dev.billing.core.internal.Credits;
import dev.billing.core.internal.EngineContext;
import dev.billing.core.internal.Outbox;
import dev.billing.core.internal.UnitOfWork;
import dev.billing.spi.CouponRecord;
import dev.billing.spi.StorageSession;
import dev.billing.spi.TransientStorageException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.money.MonetaryAmount;

/**
 * Coupons (vouchers): an operator creates them in batches ({@link #createBatch}), each a random code
 * worth an amount until its expiry; a customer redeems one into a wallet ({@link #redeem}), which credits
 * it exactly once, as a recharge from {@code funding:coupon}, however many requests redeem the same code
 * at once (a compare-and-set from available in the storage). An operator may revoke one not yet redeemed.
 *
 * <p>Codes are 16 symbols of Crockford's base 32 from a {@link java.security.SecureRandom} (80 bits: not
 * guessable), printed {@code XXXX-XXXX-XXXX-XXXX} and read back whatever the case and separators.
 *
 * <p>Thread-safe.
 */
public final class Coupons {

    /** The payment method, and ledger account {@code funding:coupon}, of a redeemed coupon. */
    public static final String FUNDING = "coupon";
    /** The most coupons one batch holds. */
    public static final int MAX_BATCH = 10_000;

    private final UnitOfWork work;
    private final Clock clock;
    private final Outbox outbox;
    private final Credits credits;

    /**
     * Made by the engine; hosts reach it through {@link BillingEngine#coupons()}.
     *
     * @param context the engine's internals (not API)
     */
    public Coupons(EngineContext context) {
        this.work = context.work();
        this.clock = context.clock();
        this.outbox = context.outbox();
        this.credits = context.credits();
    }

    /**
     * Creates a batch of coupons, each worth {@code amount} until {@code expiresAt}. Creating the same
     * batch again (same id, amount, count and expiry) answers its coupons; the id names one batch, even
     * when two calls create it at once.
     *
     * @param batchId the batch's id, up to 64 characters
     * @param amount what each coupon credits: positive, with no more decimals than its currency has
     * @param count how many, 1 to {@value #MAX_BATCH}
     * @param expiresAt from when they can no longer be redeemed; after the clock's now (kept to the microsecond)
     * @return the batch's coupons, by code
     * @throws InvalidRequestException when a field is malformed
     * @throws ConflictException ({@link ErrorCode#COUPON_BATCH_EXISTS}) when a batch with this id differs
     */
    public List<Coupon> createBatch(String batchId, MonetaryAmount amount, int count, Instant expiresAt) {
        Checks.token("batchId", batchId, Checks.MAX_NAMESPACE);
        BigDecimal number = Checks.positiveAmount("amount", amount, amount == null ? null : amount.getCurrency());
        if (count < 1 || count > MAX_BATCH) {
            throw InvalidRequestException.of("count", "must be from 1 to " + MAX_BATCH + ", was " + count);
        }
        Instant expiry = Checks.required("expiresAt", expiresAt).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        return work.transact(s -> {
            Instant now = clock.instant();
            List<CouponRecord> existing = s.coupons().listCoupons(batchId);
            String currency = amount.getCurrency().getCurrencyCode();
            if (!existing.isEmpty()) {
                CouponRecord first = existing.get(0);
                if (existing.size() != count || first.amount().compareTo(number) != 0 || !first.currency().equals(currency)
                        || !first.expiresAt().equals(expiry)) {
                    throw new ConflictException(ErrorCode.COUPON_BATCH_EXISTS, "batchId", "batch " + batchId + " holds "
                            + existing.size() + " coupons of " + first.amount().stripTrailingZeros().toPlainString() + " "
                            + first.currency() + " expiring " + first.expiresAt());
                }
                return existing.stream().map(c -> view(c, now)).toList();
            }
            if (!expiry.isAfter(now)) {
                throw InvalidRequestException.of("expiresAt", "must be after now (" + now + "), was " + expiry);
            }
            List<CouponRecord> batch = new ArrayList<>(count);
            BigDecimal scaled = Amounts.scaled(number, amount.getCurrency());
            for (int i = 1; i <= count; i++) {
                batch.add(new CouponRecord(CouponCodes.next(), batchId, i, scaled, currency,
                        Codes.code(CouponStatus.AVAILABLE), now, expiry, null, null, null));
            }
            s.coupons().insertCoupons(batch); // a code drawn twice (2^-80) fails the unit of work, which draws again
            return batch.stream().sorted(java.util.Comparator.comparing(CouponRecord::code)).map(c -> view(c, now)).toList();
        });
    }

    /**
     * Redeems a coupon into a wallet: credits its amount once (a recharge from {@code funding:coupon},
     * paying any debt first; the first credit of an unknown namespace opens its account in the coupon's
     * currency). Redeeming it again into the same wallet answers the coupon as it stands.
     *
     * @param code the code, whatever its case and separators
     * @param namespace the account to credit
     * @return the coupon, {@link CouponStatus#REDEEMED}
     * @throws InvalidRequestException when the code or namespace is malformed, or the coupon is in another
     *     currency than the account ({@link ErrorCode#CURRENCY_MISMATCH})
     * @throws NotFoundException ({@link ErrorCode#COUPON_NOT_FOUND}) when no coupon has this code
     * @throws ConflictException ({@link ErrorCode#COUPON_NOT_AVAILABLE}) when it was redeemed into another
     *     wallet, revoked, or has expired; or when the account is closed
     */
    public Coupon redeem(String code, String namespace) {
        String canonical = CouponCodes.canonical(code);
        Checks.namespace(namespace);
        return work.transact(s -> {
            Instant now = clock.instant();
            CouponRecord c = require(s, canonical);
            if (c.status().equals(Codes.code(CouponStatus.REDEEMED)) && namespace.equals(c.redeemedBy())) {
                return view(c, now);
            }
            CouponStatus status = status(c, now);
            if (status != CouponStatus.AVAILABLE) {
                throw new ConflictException(ErrorCode.COUPON_NOT_AVAILABLE, "code", "coupon "
                        + CouponCodes.printed(canonical) + " is " + Codes.code(status)
                        + (status == CouponStatus.EXPIRED ? " since " + c.expiresAt() : ""));
            }
            Credits.Credited credited;
            try {
                credited = credits.credit(s, namespace, Amounts.of(c.amount(), c.currency()), FUNDING,
                        "Coupon " + CouponCodes.printed(canonical), now);
            } catch (InvalidRequestException e) {
                if (e.code() != ErrorCode.CURRENCY_MISMATCH) {
                    throw e;
                }
                // the caller sent a code, not an amount: the refusal names the code
                throw new InvalidRequestException(ErrorCode.CURRENCY_MISMATCH, "code", "coupon "
                        + CouponCodes.printed(canonical) + " is in " + c.currency() + ", not the account's currency");
            }
            CouponRecord redeemed = c.redeemed(namespace, now, credited.transactionId());
            if (!s.coupons().settleCoupon(redeemed)) {
                // another unit of work redeemed or revoked it meanwhile: run again and answer as it stands
                throw new TransientStorageException("coupon " + canonical + " was settled concurrently", null);
            }
            outbox.record(s, EventType.COUPON_REDEEMED, namespace, CouponCodes.printed(canonical), Map.of(
                    "amount", c.amount().toPlainString(), "currency", c.currency(), "transactionId",
                    credited.transactionId(), "batchId", c.batchId()));
            return view(redeemed, now);
        });
    }

    /**
     * Withdraws a coupon that was not redeemed: it can never be redeemed after. Revoking it again answers it.
     *
     * @param code the code
     * @return the coupon, {@link CouponStatus#REVOKED}
     * @throws NotFoundException ({@link ErrorCode#COUPON_NOT_FOUND}) when no coupon has this code
     * @throws ConflictException ({@link ErrorCode#COUPON_NOT_AVAILABLE}) when it was redeemed already
     */
    public Coupon revoke(String code) {
        String canonical = CouponCodes.canonical(code);
        return work.transact(s -> {
            Instant now = clock.instant();
            CouponRecord c = require(s, canonical);
            if (c.status().equals(Codes.code(CouponStatus.REVOKED))) {
                return view(c, now);
            }
            if (c.status().equals(Codes.code(CouponStatus.REDEEMED))) {
                throw new ConflictException(ErrorCode.COUPON_NOT_AVAILABLE, "code", "coupon "
                        + CouponCodes.printed(canonical) + " was redeemed by " + c.redeemedBy());
            }
            CouponRecord revoked = c.revoked(now);
            if (!s.coupons().settleCoupon(revoked)) {
                throw new TransientStorageException("coupon " + canonical + " was settled concurrently", null);
            }
            return view(revoked, now);
        });
    }

    /**
     * @param code the code
     * @return the coupon as it stands
     * @throws NotFoundException ({@link ErrorCode#COUPON_NOT_FOUND}) when no coupon has this code
     */
    public Coupon coupon(String code) {
        String canonical = CouponCodes.canonical(code);
        return work.transact(s -> view(require(s, canonical), clock.instant()));
    }

    /**
     * @param batchId a batch
     * @return its coupons, by code; empty for an unknown batch
     */
    public List<Coupon> batch(String batchId) {
        Checks.token("batchId", batchId, Checks.MAX_NAMESPACE);
        Instant now = clock.instant();
        return work.transact(s -> s.coupons().listCoupons(batchId).stream().map(c -> view(c, now)).toList());
    }

    private static CouponRecord require(StorageSession s, String canonical) {
        return s.coupons().findCoupon(canonical).orElseThrow(() -> new NotFoundException(ErrorCode.COUPON_NOT_FOUND, "code",
                "no coupon " + CouponCodes.printed(canonical)));
    }

    private static CouponStatus status(CouponRecord c, Instant now) {
        CouponStatus stored = Codes.parse(CouponStatus.class, c.status());
        return stored == CouponStatus.AVAILABLE && !now.isBefore(c.expiresAt()) ? CouponStatus.EXPIRED : stored;
    }

    private static Coupon view(CouponRecord c, Instant now) {
        return new Coupon(CouponCodes.printed(c.code()), c.batchId(), Amounts.of(Amounts.scaled(c.amount(),
                Amounts.currency(c.currency())), c.currency()), status(c, now), c.createdAt(), c.expiresAt(),
                c.redeemedBy(), c.settledAt(), c.transactionId());
    }
}
