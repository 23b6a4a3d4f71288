package dev.billing.jdbc;

import dev.billing.spi.AccountRecord;
import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.PostingRecord;
import dev.billing.spi.TransactionRecord;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The child JVM of {@link DurabilityCrashTest}: recharges one account from several threads as fast as
 * it can and prints {@code ACK <id> <amount>} after each {@code inTransaction} returned, until it is
 * killed. Bounded: it halts by itself after a few minutes or when its parent is gone.
 *
 * <p>Arguments: the database path without {@code .mv.db}, the {@link Durability}, the thread count.
 */
final class CrashChild {

    static final String NAMESPACE = "crash";
    static final String WALLET = "wallet:" + NAMESPACE;
    static final String FUNDING = "funding:recharge";
    private static final long MAX_MILLIS = 180_000;
    private static final int MAX_PER_THREAD = 200_000;

    private CrashChild() {
    }

    public static void main(String[] args) throws Exception {
        startWatchdog();
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        Durability durability = Durability.valueOf(args[1]);
        int threads = Integer.parseInt(args[2]);
        JdbiStorage storage = JdbiStorage.builder().jdbcUrl("jdbc:h2:file:" + args[0]).user("sa").password("")
                .durability(durability).build();
        try {
            storage.inTransaction(s -> {
                s.insertAccount(new AccountRecord(NAMESPACE, "CNY", "active", false, BigDecimal.ZERO, Instant.now()));
                return null;
            });
        } catch (DuplicateKeyException exists) {
            // a previous run created it
        }
        synchronized (out) {
            out.println("READY");
            out.flush();
        }
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> recharge(storage, out, thread), "recharge-" + t);
            worker.start();
        }
    }

    private static void recharge(JdbiStorage storage, PrintStream out, int thread) {
        for (int i = 0; i < MAX_PER_THREAD; i++) {
            String id = "tx-" + thread + "-" + i;
            BigDecimal amount = BigDecimal.valueOf(1 + (i * 37L + thread) % 9999, 2);
            storage.inTransaction(s -> {
                BigDecimal balance = s.applyBalanceDelta(NAMESPACE, amount, null).orElseThrow();
                TransactionRecord t = new TransactionRecord(0, id, NAMESPACE, "recharge", amount, "CNY", "crash test",
                        "alipay", null, null, balance, Instant.now(), null);
                s.appendTransaction(t, List.of(new PostingRecord(id, WALLET, amount, "CNY"),
                        new PostingRecord(id, FUNDING, amount.negate(), "CNY")));
                return null;
            });
            synchronized (out) {
                out.println("ACK " + id + " " + amount.toPlainString());
                out.flush();
            }
        }
    }

    private static void startWatchdog() {
        long start = System.nanoTime();
        Thread watchdog = new Thread(() -> {
            while (true) {
                boolean orphan = ProcessHandle.current().parent().map(p -> !p.isAlive()).orElse(true);
                if (orphan || System.nanoTime() - start > MAX_MILLIS * 1_000_000L) {
                    Runtime.getRuntime().halt(3);
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }
}
