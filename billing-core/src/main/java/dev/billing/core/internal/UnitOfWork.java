package dev.billing.core.internal;

import dev.billing.core.BillingException;
import dev.billing.core.BillingStorageException;
import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.IdempotencyRecord;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageSession;
import dev.billing.spi.StorageWork;
import dev.billing.spi.TransientStorageException;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * How every area runs its calls: one unit of work of the storage per call, retried when the storage
 * could not serialize it, and, for mutations, once per idempotency key. Thread-safe. Not API.
 */
public final class UnitOfWork {

    private static final int MAX_ATTEMPTS = 12;

    private final BillingStorage storage;
    private final Clock clock;
    private final Outbox outbox;

    /**
     * @param storage where the units of work run
     * @param clock stamps idempotency records
     * @param outbox told when each unit of work starts and commits, so that it dispatches the events it wrote
     */
    public UnitOfWork(BillingStorage storage, Clock clock, Outbox outbox) {
        this.storage = storage;
        this.clock = clock;
        this.outbox = outbox;
    }

    /**
     * What a keyed mutation returns, and what its idempotency record keeps of it.
     *
     * @param value what the call returns
     * @param transactionId the transaction it made, or {@code null}
     * @param balance the balance after it
     * @param status the account's status after it
     * @param <T> the call's result
     */
    public record Keyed<T>(T value, String transactionId, BigDecimal balance, String status) {
    }

    /**
     * Rebuilds a call's result from its idempotency record.
     *
     * @param <T> the call's result
     */
    @FunctionalInterface
    public interface Replay<T> {
        /**
         * @param session the unit of work
         * @param prior what the first call left
         * @return the first call's result
         */
        T apply(StorageSession session, IdempotencyRecord prior);
    }

    /**
     * Runs a mutation once per idempotency key, in one unit of work with the key's record: the same
     * key with the same fingerprint replays, with another fingerprint it is a conflict.
     *
     * <p>The first attempt runs as if the key were new, as almost every key is, and does not read the
     * key first: the key's record is inserted with the outcome, and when the key was used already, the
     * store's uniqueness refuses it, the whole unit of work is undone, and the next attempt reads the key
     * and answers from its record. A mutation that fails in that first attempt (its account closed since,
     * its balance spent by the call it repeats) is answered from the key's record too, when there is
     * one. So a new key costs no read, and a repeated one is answered exactly as before.
     *
     * @throws ConflictException ({@link ErrorCode#IDEMPOTENCY_CONFLICT}) when the key was used for another request
     */
    public <T> T keyed(String namespace, String key, String fingerprint, Function<StorageSession, Keyed<T>> mutation,
            Replay<T> replay) {
        boolean[] attempted = {false};
        boolean[] readKey = {false};
        try {
            return transact(s -> {
                // the first attempt does not read the key; each later one does (the one before may have
                // failed on it, a duplicate key)
                readKey[0] = attempted[0];
                attempted[0] = true;
                if (readKey[0]) {
                    Answer<T> answered = answer(s, namespace, key, fingerprint, replay);
                    if (answered != null) {
                        return answered.value();
                    }
                }
                Keyed<T> outcome = mutation.apply(s);
                s.idempotency().insertIdempotency(new IdempotencyRecord(namespace, key, fingerprint,
                        outcome.transactionId(), outcome.balance(), outcome.status(), clock.instant()));
                return outcome.value();
            });
        } catch (BillingStorageException e) {
            throw e;
        } catch (BillingException e) {
            if (readKey[0]) {
                throw e;
            }
            // failed without reading the key: a repeat of a call that succeeded gets that call's answer
            return transact(s -> {
                Answer<T> answered = answer(s, namespace, key, fingerprint, replay);
                if (answered == null) {
                    throw e;
                }
                return answered.value();
            });
        }
    }

    /** The answer of the call that used a key first (a {@code Void} call's is {@code null}). */
    private record Answer<T>(T value) {
    }

    /**
     * @return the answer of the call that used the key first, or {@code null} when the key is new
     * @throws ConflictException when the key was used for another request
     */
    private static <T> Answer<T> answer(StorageSession s, String namespace, String key, String fingerprint,
            Replay<T> replay) {
        Optional<IdempotencyRecord> prior = s.idempotency().findIdempotency(namespace, key);
        if (prior.isEmpty()) {
            return null;
        }
        if (!prior.get().fingerprint().equals(fingerprint)) {
            throw new ConflictException(ErrorCode.IDEMPOTENCY_CONFLICT, "idempotencyKey", key
                    + " was used for a different request in namespace " + namespace);
        }
        return new Answer<>(replay.apply(s, prior.get()));
    }

    /**
     * Runs a unit of work, again when the storage could not serialize it or a concurrent unit of
     * work won a uniqueness race (the next attempt sees the winner's result).
     *
     * @throws BillingStorageException when the storage failed, or stayed contended after every attempt
     */
    public <T> T transact(StorageWork<T> work) {
        for (int attempt = 1;; attempt++) {
            try {
                outbox.attemptStarting();
                T result = storage.inTransaction(work);
                outbox.committed();
                return result;
            } catch (TransientStorageException | DuplicateKeyException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw new BillingStorageException("storage stayed contended after " + attempt + " attempts: "
                            + e.getMessage(), e);
                }
                pause(attempt);
            } catch (StorageException e) {
                throw new BillingStorageException("storage failed: " + e.getMessage(), e);
            }
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2L + 2L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BillingStorageException("interrupted while retrying", e);
        }
    }
}
