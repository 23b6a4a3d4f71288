package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.WalletChainProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.PropertyDefaults;

/**
 * The engine's wallet action chains on the embedded default: an H2 file database with its grouped
 * CHECKPOINT after every writing call. Every try opens a fresh file under {@code target/}, so fewer
 * tries than jqwik's 1000 keep the build short.
 */
@PropertyDefaults(tries = 30)
class H2WalletChainProperties extends WalletChainProperties {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Path DIR = directory();

    private static Path directory() {
        try {
            return Files.createTempDirectory(Files.createDirectories(Path.of("target")), "wallet-chains-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected BillingStorage newStorage() {
        return JdbiStorage.h2File(DIR.resolve("chain-" + DATABASES.incrementAndGet()));
    }
}
