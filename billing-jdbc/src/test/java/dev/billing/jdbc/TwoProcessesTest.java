package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.billing.core.BillingEngine;
import dev.billing.spi.TransactionRecord;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Two engine processes, one wallet: two child JVMs ({@link CrashChild}), four threads each, recharge
 * one account and check a plan out on one PostgreSQL or MariaDB database at the same time. Afterwards
 * the balance, the transaction count and the ledger are exactly what the calls they acknowledged add
 * up to, and each call appears once. The processes really overlapped: their transactions interleave
 * in the ledger's order.
 */
class TwoProcessesTest {

    private static final int THREADS = 4;
    private static final int CALLS = 60;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ServerDatabase.class)
    void twoProcesses_oneWallet_keepExactBooks(ServerDatabase server) throws Exception {
        try (ServerDatabase.Scratch scratch = server.scratch()) {
            List<ChildJvm> children = new ArrayList<>();
            try {
                for (String tag : List.of("a", "b")) {
                    children.add(ChildJvm.start(CrashChild.class, dir.resolve("child-" + tag + ".txt"), scratch.url(),
                            Durability.PROCESS_CRASH.name(), Integer.toString(THREADS), tag, Integer.toString(CALLS)));
                }
                List<List<String>> acks = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
                for (ChildJvm child : children) {
                    List<String> lines = new ArrayList<>();
                    for (String line; !"DONE".equals(line = child.next(deadline));) {
                        if (line == null || line.equals(ChildJvm.EOF)) {
                            fail("a child ended before it was done; stderr:\n" + child.errors());
                        }
                        if (line.startsWith("ACK ")) {
                            lines.add(line);
                        }
                    }
                    acks.add(lines);
                    assertTrue(child.process.waitFor(30, TimeUnit.SECONDS));
                    assertEquals(0, child.process.exitValue(), child.errors());
                }
                try (JdbiStorage storage = JdbiStorage.of(scratch.dataSource())) {
                    check(storage, acks);
                }
            } finally {
                children.forEach(ChildJvm::close);
            }
        }
    }

    private static void check(JdbiStorage storage, List<List<String>> acks) {
        BigDecimal expected = BigDecimal.ONE; // the opening recharge, made once by whichever process came first
        int calls = 0;
        for (int p = 0; p < acks.size(); p++) {
            assertEquals(THREADS * CALLS, acks.get(p).size(), "every call of process " + p + " was answered");
            for (String line : acks.get(p)) {
                String[] parts = line.split(" ");
                int thread = Integer.parseInt(parts[1]);
                int i = Integer.parseInt(parts[2]);
                expected = CrashChild.isCheckout(i) ? expected.subtract(CrashChild.PRICE.getNumber()
                        .numberValueExact(BigDecimal.class)) : expected.add(CrashChild.amount(thread, i).getNumber()
                        .numberValueExact(BigDecimal.class));
                calls++;
            }
        }
        BillingEngine engine = BillingEngine.builder().storage(storage).build();
        BigDecimal balance = engine.wallet().balance(CrashChild.NAMESPACE).amount().getNumber()
                .numberValueExact(BigDecimal.class);
        assertEquals(0, expected.compareTo(balance), "balance " + balance + ", the acknowledged calls make " + expected);
        dev.billing.spi.StorageSnapshot snapshot = JdbcSnapshots.of(storage);
        List<TransactionRecord> transactions = snapshot.transactions();
        Map<String, String> processOf = new java.util.HashMap<>();
        snapshot.idempotency().forEach(k -> {
            if (k.transactionId() != null && k.key().startsWith("k-")) {
                processOf.put(k.transactionId(), k.key().substring(2, 3));
            }
        });
        assertEquals(1 + calls, transactions.size(), "one transaction per acknowledged call, and the opening one");
        assertEquals(transactions.size(), new HashSet<>(transactions.stream().map(TransactionRecord::id).toList()).size());
        BigDecimal wallet = storage.inTransaction(s -> s.ledger().sumPostings(CrashChild.WALLET));
        assertEquals(0, balance.compareTo(wallet), "balance " + balance + ", wallet postings " + wallet);
        Map<String, BigDecimal> sums = storage.inTransaction(s -> s.ledger().sumPostingsByCurrency());
        sums.forEach((currency, sum) -> assertEquals(0, sum.signum(), currency + " postings sum to " + sum));
        // the two processes' calls interleave in the ledger: they ran at the same time, not one after the other
        int switches = 0;
        for (int t = 1; t < transactions.size(); t++) {
            String before = processOf.getOrDefault(transactions.get(t - 1).id(), "?");
            String now = processOf.getOrDefault(transactions.get(t).id(), "?");
            if (!before.equals(now)) {
                switches++;
            }
        }
        assertTrue(switches > 10, "the processes' transactions interleave (" + switches + " switches)");
    }
}
