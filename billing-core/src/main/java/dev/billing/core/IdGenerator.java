package dev.billing.core;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes the ids of transactions and subscriptions. Implementations are thread-safe and never
 * return the same id twice.
 */
@FunctionalInterface
public interface IdGenerator {

    /** @return a new id, 1 to 64 characters */
    String next();

    /** @return random UUIDs: the default, safe for several engines sharing one database */
    static IdGenerator random() {
        return RandomIds.INSTANCE;
    }

    /**
     * Readable ids {@code prefix1}, {@code prefix2}, ... for tests and demos. Unique only within
     * this generator: not for several engines sharing one database.
     *
     * @param prefix what every id starts with
     * @return a new generator counting from 1
     */
    static IdGenerator sequential(String prefix) {
        AtomicLong counter = new AtomicLong();
        return () -> prefix + counter.incrementAndGet();
    }
}

/** The UUID generator behind {@link IdGenerator#random()}. */
enum RandomIds implements IdGenerator {
    INSTANCE;

    @Override
    public String next() {
        return UUID.randomUUID().toString();
    }
}
