package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariDataSource;
import dev.billing.core.BillingEngine;
import java.math.BigDecimal;
import org.javamoney.moneta.Money;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A storage on each database server, migrated on a pool as hosts configure them, auto-commit on or off. */
class ServerDatabaseSmokeTest {

    @ParameterizedTest
    @EnumSource(ServerDatabase.class)
    void migrates_andReportsItsDialect(ServerDatabase server) {
        try (ServerDatabase.Scratch scratch = server.scratch(); JdbiStorage storage = JdbiStorage.of(scratch.dataSource())) {
            assertEquals(server == ServerDatabase.POSTGRESQL ? Dialect.POSTGRESQL : Dialect.MARIADB, storage.dialect());
            JdbcSnapshots.of(storage);
        }
    }

    private static HikariDataSource noAutoCommit(String url) {
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(2);
        config.setAutoCommit(false);
        return new HikariDataSource(config);
    }

    /** A pool that hands out connections without auto-commit (a common HikariCP setting) migrates and works. */
    @ParameterizedTest
    @EnumSource(ServerDatabase.class)
    void aPoolWithoutAutoCommit_migratesAndWorks(ServerDatabase server) {
        try (ServerDatabase.Scratch scratch = server.scratch(); HikariDataSource pool = noAutoCommit(scratch.url())) {
            try (JdbiStorage storage = JdbiStorage.of(pool)) {
                BillingEngine engine = BillingEngine.builder().storage(storage).build();
                engine.wallet().recharge("ns", Money.of(new BigDecimal("2.50"), "CNY"), "k1");
            }
            try (JdbiStorage again = JdbiStorage.of(scratch.dataSource())) {
                assertEquals(0, new BigDecimal("2.50").compareTo(
                        again.inTransaction(s -> s.accounts().findAccount("ns")).orElseThrow().balance()));
                assertEquals(Migrations.ALL.size(), Migrations.readApplied(again.jdbi()).size());
            }
        }
    }
}
