package dev.billing.core;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
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

    /**
     * @return time-ordered random UUIDs (version 7: milliseconds, then 74 random bits): the default, safe
     *     for several engines sharing one database
     */
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

/**
 * The generator behind {@link IdGenerator#random()}: time-ordered UUIDs (RFC 9562 version 7), 48 bits of
 * Unix milliseconds, then 74 random bits from a per-thread {@link SecureRandom}. Ids made later sort after
 * earlier ones (to the millisecond), so the stores' indexes on ids take each new one at their end instead
 * of at a random page (measured: a checkout on H2 spent a fifth of its time inserting random version-4
 * ids into the subscription indexes); per-thread generators instead of {@link UUID#randomUUID()}'s one
 * shared source, which serialized the threads; each draws its bytes a hundred ids ahead. Each thread
 * seeds its own generator from the system's entropy on its first id, once: cheap for pooled threads, a
 * cost per thread for short-lived ones.
 */
enum RandomIds implements IdGenerator {
    INSTANCE;

    private static final ThreadLocal<Source> RANDOM = ThreadLocal.withInitial(Source::new);
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * A thread's generator and the bytes it drew ahead: one draw of 1,000 bytes serves 100 ids (each draw
     * of the DRBG costs a few hashes and a lock whatever its length; per id it was a tenth of an
     * in-memory recharge's time, measured with JFR).
     */
    private static final class Source {
        private final SecureRandom random = newRandom();
        private final byte[] ahead = new byte[1000];
        private int next = ahead.length;

        /** Fills {@code r} with the next of the bytes drawn ahead, drawing again when they are spent. */
        void nextBytes(byte[] r) {
            if (next + r.length > ahead.length) {
                random.nextBytes(ahead);
                next = 0;
            }
            System.arraycopy(ahead, next, r, 0, r.length);
            next += r.length;
        }
    }

    @Override
    public String next() {
        long millis = System.currentTimeMillis();
        byte[] r = new byte[10];
        RANDOM.get().nextBytes(r);
        long high = (millis << 16) | 0x7000L | ((r[0] & 0x0fL) << 8) | (r[1] & 0xffL);
        long low = 0x8000_0000_0000_0000L | ((r[2] & 0x3fL) << 56);
        for (int i = 3; i < 10; i++) {
            low |= (r[i] & 0xffL) << (8 * (9 - i));
        }
        return format(high, low);
    }

    /** @return {@code high} and {@code low} as a UUID's 36 characters, as {@link UUID#toString()} writes them */
    static String format(long high, long low) {
        char[] out = new char[36];
        int at = 0;
        for (int nibble = 15; nibble >= 0; nibble--) {
            at = hex(out, at, high >>> (4 * nibble));
            if (nibble == 8 || nibble == 4) {
                out[at++] = '-';
            }
        }
        out[at++] = '-';
        for (int nibble = 15; nibble >= 0; nibble--) {
            at = hex(out, at, low >>> (4 * nibble));
            if (nibble == 12) {
                out[at++] = '-';
            }
        }
        return new String(out);
    }

    private static int hex(char[] out, int at, long value) {
        out[at] = HEX[(int) (value & 0xf)];
        return at + 1;
    }

    private static SecureRandom newRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }
}
