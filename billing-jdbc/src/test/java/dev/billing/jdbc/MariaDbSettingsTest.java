package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.billing.spi.StorageException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The MariaDB settings the storage refuses to run with, each of which would break a guarantee
 * silently: a non-strict SQL mode (values truncated instead of refused), changed-row counts
 * ({@code useAffectedRows=true}: the no-op {@code UPDATE}s that lock rows would count 0), and a
 * case-insensitive collation (two namespaces differing in case would be one account).
 */
@EnabledIfEnvironmentVariable(named = "BILLING_TEST_MARIADB_URL", matches = ".+", disabledReason = "BILLING_TEST_MARIADB_URL is not set")
class MariaDbSettingsTest {

    private static StorageException refused(String url) {
        try (HikariDataSource pool = ServerDatabase.Scratch.pool(ServerDatabase.MARIADB, url, 2)) {
            return assertThrows(StorageException.class, () -> JdbiStorage.of(pool).close());
        }
    }

    private static String with(String url, String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }

    @Test
    void aNonStrictSqlMode_isRefused() {
        try (ServerDatabase.Scratch scratch = ServerDatabase.MARIADB.scratch()) {
            StorageException e = refused(with(scratch.url(), "sessionVariables=sql_mode='NO_ENGINE_SUBSTITUTION'"));
            assertTrue(e.getMessage().contains("strict SQL mode"), e.getMessage());
        }
    }

    @Test
    void changedRowCounts_areRefused() {
        try (ServerDatabase.Scratch scratch = ServerDatabase.MARIADB.scratch()) {
            StorageException e = refused(with(scratch.url(), "useAffectedRows=true"));
            assertTrue(e.getMessage().contains("useAffectedRows"), e.getMessage());
        }
    }

    @Test
    void aCaseInsensitiveCollation_isRefused() throws Exception {
        String admin = ServerDatabase.MARIADB.require();
        String name = "billing_ci_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
            try {
                StorageException e = refused(ServerDatabase.MARIADB.scratchUrl(admin, name));
                assertTrue(e.getMessage().contains("binary collation"), e.getMessage());
            } finally {
                s.execute("DROP DATABASE " + name);
            }
        }
    }
}
