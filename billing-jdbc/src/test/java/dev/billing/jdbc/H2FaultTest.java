package dev.billing.jdbc;

import dev.billing.spi.BillingStorage;
import dev.billing.tck.FaultContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Faults injected at every write of every call, on an H2 file database. */
class H2FaultTest extends FaultContract {

    @TempDir
    Path dir;

    private int databases;

    @Override
    protected BillingStorage newStorage() {
        return JdbiStorage.h2File(dir.resolve("fault-" + databases++));
    }
}
