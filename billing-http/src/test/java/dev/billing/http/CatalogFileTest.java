package dev.billing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.catalog.Plan;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.spi.StorageSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A catalog file applied to an engine from a path, as a host's tests do (the server's use is in its tests). */
class CatalogFileTest {

    private final InMemoryStorage storage = InMemoryStorage.create();
    private final BillingEngine engine = BillingEngine.builder().storage(storage).build();

    @Test
    void theSampleCatalog_definesItsRegionsPlansAndRates() throws IOException {
        String applied = CatalogFile.apply(Path.of("../examples/catalog.json"), engine);
        assertEquals("3 regions, 4 plans, 4 rates", applied);
        assertEquals(java.util.List.of("c-small", "c-medium", "c-large"),
                engine.catalog().market("aws", "C").stream().map(Plan::id).toList());
        assertEquals(4, engine.charges().rates().size());
        // applying it again defines the same entries again: nothing new
        StorageSnapshot before = storage.snapshot();
        CatalogFile.apply(Path.of("../examples/catalog.json"), engine);
        assertEquals(before, storage.snapshot());
    }

    @Test
    void aFileThatIsNotJson_orNotACatalog_isRefused_andChangesNothing(@TempDir Path dir) throws IOException {
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"regions\": [");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CatalogFile.apply(broken, engine));
        assertTrue(e.getMessage().startsWith(broken + ": not JSON: "), e.getMessage());

        Path other = Files.writeString(dir.resolve("other.json"), "{\"tokens\": []}");
        e = assertThrows(IllegalArgumentException.class, () -> CatalogFile.apply(other, engine));
        assertEquals("catalog: unknown field \"tokens\"", e.getMessage());

        Path huge = Files.writeString(dir.resolve("huge.json"), "{\"plans\": [{\"price\": 1e999999999999}]}");
        e = assertThrows(IllegalArgumentException.class, () -> CatalogFile.apply(huge, engine));
        assertTrue(e.getMessage().startsWith(huge + ": "), e.getMessage());

        assertThrows(NoSuchFileException.class, () -> CatalogFile.apply(dir.resolve("missing.json"), engine));
        assertEquals(InMemoryStorage.create().snapshot(), storage.snapshot());
    }

    @Test
    void aRefusedEntry_isNamed_withTheApisAnswer(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("catalog.json"), """
                {"regions": [{"identification": "eu-1", "region_describe": "Europe"}],
                 "plans": [{"plan_id": "p", "type": "C", "price": -1, "currency": "EUR", "bill_period": "M",
                            "description": "d", "region": "eu-1"}]}
                """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CatalogFile.apply(file, engine));
        assertTrue(e.getMessage().startsWith("catalog: plans[0]: "), e.getMessage());
        assertTrue(e.getMessage().contains("price"), e.getMessage());
    }
}
