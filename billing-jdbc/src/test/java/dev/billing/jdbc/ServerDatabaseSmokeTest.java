package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ServerDatabaseSmokeTest {

    @ParameterizedTest
    @EnumSource(ServerDatabase.class)
    void migrates(ServerDatabase server) {
        try (ServerDatabase.Scratch scratch = server.scratch(); JdbiStorage storage = JdbiStorage.of(scratch.dataSource())) {
            assertEquals(server == ServerDatabase.POSTGRESQL ? Dialect.POSTGRESQL : Dialect.MARIADB, storage.dialect());
            JdbcSnapshots.of(storage);
        }
    }
}
