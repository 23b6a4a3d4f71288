package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.WalletContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The engine's wallet contract on an H2 file database. */
class H2WalletTest extends WalletContract {

    @TempDir
    Path dir;

    private int databases;

    @Override
    protected BillingStorage newStorage() {
        return JdbiStorage.h2File(dir.resolve("wallet-" + databases++));
    }
}
