package dev.billing.jdbc;

import dev.billing.core.BillingEngine;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.wallet.Balance;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.javamoney.moneta.Money;

/**
 * The child JVM of {@link DurabilityCrashTest} and {@link TwoProcessesTest}: recharges one account and
 * checks a plan out from several threads through the engine, as fast as it can, and prints
 * {@code ACK <thread> <i> <balance it answered> <status>} after each call returned, until it is killed
 * or each thread has made its calls (then {@code DONE}). Bounded: it halts by itself after a few
 * minutes or when its parent is gone.
 *
 * <p>Arguments: the database (an H2 file path without {@code .mv.db}, or a PostgreSQL or MariaDB JDBC
 * URL), the {@link Durability} (H2 only; ignored otherwise), the thread count, and optionally the
 * process's tag (part of every idempotency key, so that processes never share one; default {@code p})
 * and the calls per thread (default: until killed).
 */
final class CrashChild {

    static final String NAMESPACE = "crash";
    static final String WALLET = "wallet:" + NAMESPACE;
    static final String REGION = "cn-north-1";
    static final String PLAN = "crash-plan";
    static final Money PRICE = Money.of(new BigDecimal("0.50"), "CNY");
    private static final long MAX_MILLIS = 180_000;
    private static final int MAX_PER_THREAD = 200_000;

    private CrashChild() {
    }

    /** The recharge of call {@code i} of thread {@code thread}: 0.01 to 99.99 CNY. */
    static Money amount(int thread, int i) {
        return Money.of(BigDecimal.valueOf(1 + (i * 37L + thread) % 9999, 2), "CNY");
    }

    /** @return whether call {@code i} is a checkout (every fourth), else a recharge */
    static boolean isCheckout(int i) {
        return i % 4 == 3;
    }

    static String key(int thread, int i) {
        return key("p", thread, i);
    }

    static String key(String process, int thread, int i) {
        return "k-" + process + "-" + thread + "-" + i;
    }

    /** @return a storage on {@code database}: an H2 file path, or a server's JDBC URL (pooled) */
    static JdbiStorage open(String database, Durability durability) {
        if (!database.startsWith("jdbc:")) {
            return JdbiStorage.builder().jdbcUrl("jdbc:h2:file:" + database).user("sa").password("")
                    .durability(durability).build();
        }
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(database);
        config.setMaximumPoolSize(8);
        return JdbiStorage.of(new com.zaxxer.hikari.HikariDataSource(config));
    }

    public static void main(String[] args) throws Exception {
        startWatchdog();
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        Durability durability = Durability.valueOf(args[1]);
        int threads = Integer.parseInt(args[2]);
        String process = args.length > 3 ? args[3] : "p";
        int calls = args.length > 4 ? Integer.parseInt(args[4]) : MAX_PER_THREAD;
        JdbiStorage storage = open(args[0], durability);
        BillingEngine engine = BillingEngine.builder().storage(storage).build();
        engine.catalog().defineRegion(Region.available(REGION, "铸造一区"));
        engine.catalog().definePlan(Plan.of(PLAN, "C", PRICE, PlanTerm.MONTHLY, "crash plan", REGION));
        engine.wallet().recharge(NAMESPACE, Money.of(BigDecimal.ONE, "CNY"), "alipay", "open");
        synchronized (out) {
            out.println("READY");
            out.flush();
        }
        java.util.List<Thread> workers = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread worker = new Thread(() -> work(engine, out, process, thread, calls), "worker-" + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread w : workers) {
            w.join();
        }
        synchronized (out) {
            out.println("DONE");
            out.flush();
        }
        storage.close();
        System.exit(0);
    }

    private static void work(BillingEngine engine, PrintStream out, String process, int thread, int calls) {
        for (int i = 0; i < calls; i++) {
            String key = key(process, thread, i);
            Balance b = isCheckout(i) ? engine.subscriptions().checkout(NAMESPACE, PLAN, REGION, key)
                    : engine.wallet().recharge(NAMESPACE, amount(thread, i), "alipay", key);
            synchronized (out) {
                out.println("ACK " + thread + " " + i + " "
                        + b.amount().getNumber().numberValueExact(BigDecimal.class).toPlainString() + " " + b.status());
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
