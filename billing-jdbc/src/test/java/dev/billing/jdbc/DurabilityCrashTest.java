package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.billing.spi.StorageSession;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.TransactionRecord;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Kills a child JVM with SIGKILL while four threads commit recharges, then reopens its H2 file: every
 * unit of work the child acknowledged must be there, and the ledger must agree with the balance.
 *
 * <p>POWER_LOSS cannot be tested for what it adds (a power loss); it runs to show it survives SIGKILL
 * as well.
 */
class DurabilityCrashTest {

    private static final int ACKS_BEFORE_KILL = 300;
    private static final long CHILD_BUDGET_SECONDS = 120;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Durability.class, names = {"PROCESS_CRASH", "POWER_LOSS"})
    void everyAcknowledgedUnitOfWork_survivesSigkill(Durability durability) throws Exception {
        Path db = dir.resolve("crash");
        Map<String, BigDecimal> acked = new LinkedHashMap<>();
        try (ChildJvm child = ChildJvm.start(CrashChild.class, dir.resolve("child-stderr.txt"),
                db.toString(), durability.name(), "4")) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_BUDGET_SECONDS);
            boolean ready = false;
            while (acked.size() < ACKS_BEFORE_KILL) {
                String line = child.next(deadline);
                if (line == null || line.equals(ChildJvm.EOF)) {
                    fail("the child gave " + acked.size() + " ACKs (ready: " + ready + ") before "
                            + (line == null ? "the time budget ran out" : "it ended") + "; stderr:\n" + child.errors());
                }
                ready |= line.equals("READY");
                record(acked, line);
            }
            child.process.destroyForcibly();
            assertTrue(child.process.waitFor(30, TimeUnit.SECONDS), "the child survived SIGKILL");
            // lines the child printed before it died were acknowledged too
            for (String line : child.rest(30)) {
                record(acked, line);
            }
            assertEquals(137, child.process.exitValue(), "killed by SIGKILL (128 + 9); stderr:\n" + child.errors());
        }

        try (JdbiStorage reopened = JdbiStorage.h2File(db)) {
            StorageSnapshot snap = reopened.inTransaction(StorageSession::snapshot);
            Map<String, TransactionRecord> stored = new LinkedHashMap<>();
            snap.transactions().forEach(t -> stored.put(t.id(), t));
            List<String> lost = acked.keySet().stream().filter(id -> !stored.containsKey(id)).toList();
            assertTrue(lost.isEmpty(), lost.size() + " of " + acked.size() + " acknowledged units of work were lost: "
                    + lost.subList(0, Math.min(10, lost.size())));
            acked.forEach((id, amount) -> assertEquals(0, stored.get(id).amount().compareTo(amount), id));

            BigDecimal balance = reopened.inTransaction(s -> s.findAccount(CrashChild.NAMESPACE)).orElseThrow().balance();
            BigDecimal wallet = reopened.inTransaction(s -> s.sumPostings(CrashChild.WALLET));
            BigDecimal recharged = stored.values().stream().map(TransactionRecord::amount)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertEquals(0, balance.compareTo(wallet), "balance " + balance + " but wallet postings " + wallet);
            assertEquals(0, balance.compareTo(recharged), "balance " + balance + " but recharges " + recharged);
            Map<String, BigDecimal> sums = reopened.inTransaction(StorageSession::sumPostingsByCurrency);
            assertFalse(sums.isEmpty());
            sums.forEach((currency, sum) -> assertEquals(0, sum.signum(), currency + " postings sum to " + sum));
            assertEquals(2 * stored.size(), snap.postings().size());
            System.out.printf("%s: %d acknowledged, %d committed, all acknowledged present after SIGKILL%n",
                    durability, acked.size(), stored.size());
        }
    }

    private static void record(Map<String, BigDecimal> acked, String line) {
        if (line.startsWith("ACK ")) {
            String[] parts = line.split(" ");
            assertEquals(3, parts.length, line);
            if (acked.put(parts[1], new BigDecimal(parts[2])) != null) {
                fail("ACKed twice: " + line);
            }
        }
    }
}
