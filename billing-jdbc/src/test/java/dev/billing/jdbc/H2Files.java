package dev.billing.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Fresh H2 file databases for tests, under {@code target/h2-tests} (removed by {@code mvn clean}). */
final class H2Files {

    private H2Files() {
    }

    /** @return the path (without {@code .mv.db}) of a database that does not exist yet */
    static Path fresh() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "h2-tests"));
            return dir.resolve("db-" + UUID.randomUUID()).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a new storage on a new H2 file database */
    static JdbiStorage freshStorage() {
        return JdbiStorage.h2File(fresh());
    }
}
