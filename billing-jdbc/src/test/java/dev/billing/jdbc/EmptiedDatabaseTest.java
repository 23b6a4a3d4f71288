package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.DueRun;
import dev.billing.core.IdGenerator;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.charges.Commitment;
import dev.billing.core.charges.Rate;
import dev.billing.core.charges.Tier;
import dev.billing.core.usage.IngestStatus;
import dev.billing.core.usage.UsageEvent;
import dev.billing.http.RememberedResponse;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageSnapshot;
import dev.billing.test.TestClock;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import org.javamoney.moneta.Money;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.JdbiException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EmptiedDatabase}, the one database per H2 property class: emptying leaves no row in any table the
 * schema has (listed from {@code INFORMATION_SCHEMA}, so a table a new migration adds cannot be forgotten:
 * {@link #fill} must then write it, or the test fails), the migrator's bookkeeping as a fresh database
 * has it, and identity columns restarted; a try's storage is closed for good.
 */
class EmptiedDatabaseTest {

    private static final CurrencyUnit USD = Monetary.getCurrency("USD");
    private static final Instant OPENED = Instant.parse("2016-01-31T10:00:00Z");

    private final EmptiedDatabase reused = new EmptiedDatabase("emptied-test");
    private final EmptiedDatabase fresh = new EmptiedDatabase("emptied-test-fresh");

    @AfterEach
    void close() {
        reused.close();
        fresh.close();
    }

    @Test
    void theSnapshot_readsEveryTable_butTheOnesItLeavesOutOnPurpose() {
        reused.newStorage();
        try (Handle h = reused.database().jdbi().open()) {
            java.util.Set<String> tables = new java.util.TreeSet<>();
            EmptiedDatabase.tables(h).forEach(t -> tables.add(t.toLowerCase(java.util.Locale.ROOT)));
            java.util.Set<String> known = new java.util.TreeSet<>(JdbcSnapshots.TABLES_READ);
            known.addAll(JdbcSnapshots.TABLES_LEFT_OUT);
            assertEquals(known, tables, "a table the snapshot neither reads nor leaves out on purpose: the"
                    + " 'changes nothing' checks would miss its rows (JdbcSnapshots)");
        }
    }

    @Test
    void emptying_leavesNoRowInAnyTable_andTheDatabaseAsAFreshOne() {
        BillingStorage first = reused.newStorage();
        fill(first);
        Map<String, Long> filled = counts(reused.database());
        for (Map.Entry<String, Long> e : filled.entrySet()) {
            assertTrue(e.getValue() > 0, "table " + e.getKey() + " has no row after fill(): make fill() write it, so"
                    + " that this test shows EmptiedDatabase empties it; counts " + filled);
        }
        assertTrue(filled.keySet().containsAll(List.of(EmptiedDatabase.VERSION_TABLE, EmptiedDatabase.LOCK_TABLE)),
                "the migrator's tables are named as EmptiedDatabase keeps them: " + filled.keySet());
        assertTrue(filled.keySet().containsAll(createdByTheScripts()),
                "every table the migration scripts create is listed: " + createdByTheScripts() + " in " + filled.keySet());
        try (Handle h = reused.database().jdbi().open()) {
            assertEquals(filled.keySet(), new TreeSet<>(h.createQuery(
                    "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA <> 'INFORMATION_SCHEMA'")
                    .mapTo(String.class).list()), "no table in another schema or of another type is left out");
        }

        reused.newStorage();

        Map<String, Long> emptied = counts(reused.database());
        assertEquals(filled.keySet(), emptied.keySet(), "the same tables");
        for (Map.Entry<String, Long> e : emptied.entrySet()) {
            if (!EmptiedDatabase.kept(e.getKey())) {
                assertEquals(0L, e.getValue(), "rows left in " + e.getKey() + " after emptying: " + emptied);
            }
        }
        fresh.newStorage();
        assertEquals(bookkeeping(fresh.database()), bookkeeping(reused.database()),
                "the migrator's versions and lock row are a fresh database's");
        assertEquals(counts(fresh.database()), emptied, "every table holds what a freshly migrated one holds");
        assertEquals(snapshotOf(fresh.database()), snapshotOf(reused.database()), "the same (empty) storage state");
        try (Handle h = reused.database().jdbi().open()) {
            assertThrows(JdbiException.class, () -> h.execute("""
                    INSERT INTO statement_ancestors (ancestor, statement_id) VALUES ('ran', 'no-such-statement')"""),
                    "referential integrity is checked again after emptying");
        }
    }

    @Test
    void afterEmptying_theSameWorkWritesWhatItWritesOnAFreshDatabase_identitiesRestarted() {
        fill(reused.newStorage());
        BillingStorage again = reused.newStorage();
        fill(again);
        fill(fresh.newStorage());
        assertEquals(counts(fresh.database()), counts(reused.database()));
        assertEquals(identities(fresh.database()), identities(reused.database()),
                "identity columns restart as on a fresh database");
        assertFalse(identities(fresh.database()).isEmpty(), "the schema has identity columns to check");
    }

    @Test
    void aTrysStorage_isClosedByItsCloseAndByTheNextTry_theDatabaseStaysOpen() {
        BillingStorage first = reused.newStorage();
        first.inTransaction(s -> s.catalog().listRegions());
        first.close();
        assertThrows(StorageException.class, () -> first.inTransaction(s -> s.catalog().listRegions()));

        BillingStorage second = reused.newStorage();
        second.inTransaction(s -> s.catalog().listRegions());
        assertEquals(reused.database().describe(), second.describe());
        BillingStorage third = reused.newStorage();
        assertThrows(StorageException.class, () -> second.inTransaction(s -> s.catalog().listRegions()),
                "a storage handed out before the last emptying is refused, never shared");
        third.inTransaction(s -> s.catalog().listRegions());

        JdbiStorage database = reused.database();
        reused.close();
        assertThrows(StorageException.class, () -> third.inTransaction(s -> s.catalog().listRegions()));
        assertThrows(StorageException.class, () -> database.inTransaction(s -> s.catalog().listRegions()));
        BillingStorage reopened = reused.newStorage();
        assertNotEquals(database, reused.database(), "a new database after close()");
        reopened.inTransaction(s -> s.catalog().listRegions());
    }

    /** Writes at least one row to every table of the schema, through the engine (and the SPI for responses). */
    private static void fill(BillingStorage storage) {
        TestClock clock = TestClock.at(OPENED, ZoneOffset.UTC);
        BillingEngine engine = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC)
                .idGenerator(IdGenerator.random()).build();
        engine.catalog().defineRegion(Region.available("us", "US"));
        engine.catalog().definePlan(Plan.of("box", "C", Money.of(new BigDecimal("3.00"), "USD"), PlanTerm.MONTHLY,
                "1 CPU Core, 512M Memory", "us"));
        LocalDate from = LocalDate.of(2016, 1, 1);
        engine.charges().defineRate(Rate.flat("DBAAS", "UPTIME", "HRS", new BigDecimal(".40"), USD, from));
        engine.charges().defineRate(new Rate("RCDN", "BWOUT", "GB", USD, BigDecimal.ZERO,
                List.of(new Tier(new BigDecimal("100"), new BigDecimal(".12")), Tier.flat(new BigDecimal(".08"))), from));
        engine.events().subscribe("fill", e -> { }); // the outbox's sequencer and a cursor, once events are delivered
        engine.accounts().openAccount("ran", USD, "open-ran");
        engine.accounts().openAccount("child", USD, "open-child");
        engine.accounts().setParent("child", "ran");
        engine.wallet().recharge("ran", Money.of(new BigDecimal("50.00"), "USD"), "recharge-ran");
        engine.subscriptions().checkout("ran", "box", "us", "buy-box");
        engine.payments().begin("ran", Money.of(new BigDecimal("5.00"), "USD"), "alipay", "ref-1");
        engine.coupons().createBatch("fill", Money.of(new BigDecimal("5.00"), "USD"), 2, Instant.parse("2030-01-01T00:00:00Z"));
        engine.charges().defineCommitment("ran", new Commitment("commit", new BigDecimal("10"), Money.of(BigDecimal.ONE, "USD"),
                Instant.parse("2030-01-01T00:00:00Z")));
        clock.set(OPENED.plusSeconds(3600));
        assertTrue(engine.usage().ingestBatch(List.of(
                new UsageEvent("e1", "ran", "DBAAS", "UPTIME", new BigDecimal("4"), OPENED.plusSeconds(60)),
                new UsageEvent("e2", "child", "RCDN", "BWOUT", new BigDecimal("112.5"), OPENED.plusSeconds(60))))
                .stream().allMatch(r -> r.status() == IngestStatus.ACCEPTED));
        clock.set(Instant.parse("2016-03-15T00:00:00Z"));
        DueRun due = engine.runDue();
        assertTrue(due.failures().isEmpty(), due.toString());
        assertTrue(due.statements() > 0, due.toString());
        storage.inTransaction(s -> {
            // what JdbiResponseStore writes, through the storage under test
            ((JdbiSession) s).insertResponse(new RememberedResponse("usage", "key-1", "fingerprint", 200, "{}",
                    clock.instant()));
            return null;
        });
    }

    /** @return the tables the migration scripts create, read from the scripts themselves (upper case) */
    private static Set<String> createdByTheScripts() {
        Pattern create = Pattern.compile("(?is)^CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\w+)");
        Set<String> tables = new TreeSet<>();
        for (Migrations.Migration m : Migrations.ALL) {
            for (String statement : m.statements()) {
                Matcher matcher = create.matcher(statement);
                if (matcher.find()) {
                    tables.add(matcher.group(1).toUpperCase(Locale.ROOT));
                }
            }
        }
        assertTrue(tables.size() >= 10, "read the scripts' tables: " + tables);
        return tables;
    }

    /** @return the row count of every table of the schema, by name */
    private static Map<String, Long> counts(JdbiStorage database) {
        try (Handle h = database.jdbi().open()) {
            Map<String, Long> counts = new TreeMap<>();
            for (String table : EmptiedDatabase.tables(h)) {
                counts.put(table, h.createQuery("SELECT COUNT(*) FROM \"" + table + "\"").mapTo(Long.class).one());
            }
            return counts;
        }
    }

    /** @return the migrator's rows, without the times they were written */
    private static List<String> bookkeeping(JdbiStorage database) {
        try (Handle h = database.jdbi().open()) {
            List<String> rows = new ArrayList<>(h.createQuery(
                    "SELECT version || ' ' || description || ' ' || checksum FROM billing_schema_version ORDER BY version")
                    .mapTo(String.class).list());
            rows.addAll(h.createQuery("SELECT 'lock ' || id FROM billing_schema_lock ORDER BY id").mapTo(String.class).list());
            return rows;
        }
    }

    /** @return the values of every identity column, by table and column */
    private static Map<String, List<Long>> identities(JdbiStorage database) {
        try (Handle h = database.jdbi().open()) {
            List<Map<String, Object>> columns = h.createQuery("""
                            SELECT TABLE_NAME, COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS
                            WHERE TABLE_SCHEMA = 'PUBLIC' AND IS_IDENTITY = 'YES' ORDER BY TABLE_NAME, COLUMN_NAME""")
                    .mapToMap().list();
            Map<String, List<Long>> values = new TreeMap<>();
            for (Map<String, Object> c : columns) {
                String table = (String) c.get("table_name");
                String column = (String) c.get("column_name");
                values.put(table + "." + column, h.createQuery(
                        "SELECT \"" + column + "\" FROM \"" + table + "\" ORDER BY \"" + column + "\"")
                        .mapTo(Long.class).list());
            }
            return values;
        }
    }

    private static StorageSnapshot snapshotOf(JdbiStorage database) {
        return JdbcSnapshots.of(database);
    }
}
