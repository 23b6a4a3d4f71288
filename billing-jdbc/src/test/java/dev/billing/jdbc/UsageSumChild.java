package dev.billing.jdbc;

import dev.billing.spi.StorageSession;
import dev.billing.spi.UsageSum;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The child JVM of {@link UsageSumMemoryTest}, started with a small heap. In mode {@code sum} it prints
 * {@code SUM <offering> <chargeType> <quantity> <events>} per line of
 * {@link StorageSession#sumUsage sumUsage}, then {@code DONE}; in mode {@code rows} it loads every row
 * (a {@link StorageSession#snapshot() snapshot}), which should not fit, and prints {@code LOADED <n>}
 * if it does.
 *
 * <p>Arguments: the database path without {@code .mv.db}, the mode, the namespace, from, to (ISO instants).
 */
final class UsageSumChild {

    private UsageSumChild() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        String mode = args[1];
        String namespace = args[2];
        Instant from = Instant.parse(args[3]);
        Instant to = Instant.parse(args[4]);
        try (JdbiStorage storage = JdbiStorage.h2File(Path.of(args[0]))) {
            out.println("HEAP " + Runtime.getRuntime().maxMemory());
            if (mode.equals("sum")) {
                List<UsageSum> sums = storage.inTransaction(s -> s.sumUsage(namespace, from, to));
                for (UsageSum sum : sums) {
                    out.println("SUM " + sum.offeringCode() + " " + sum.chargeType() + " "
                            + sum.quantity().toPlainString() + " " + sum.events());
                }
            } else {
                int rows = storage.inTransaction(StorageSession::snapshot).usage().size();
                out.println("LOADED " + rows);
            }
            out.println("DONE");
            out.flush();
        }
    }
}
