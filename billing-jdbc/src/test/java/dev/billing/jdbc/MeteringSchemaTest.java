package dev.billing.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.spi.BillingProfileRecord;
import dev.billing.spi.CommitmentRecord;
import dev.billing.spi.DuplicateKeyException;
import dev.billing.spi.RateRecord;
import dev.billing.spi.StatementLineRecord;
import dev.billing.spi.StatementRecord;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageSession;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.UsageRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only the JDBC storage has to show for metering: the V2 columns and indexes, the query plan of
 * {@code sumUsage}, numbers refused rather than rounded, and microsecond instants.
 */
class MeteringSchemaTest {

    private static final Instant T0 = Instant.parse("2024-03-01T00:00:00Z");
    private JdbiStorage storage;

    @BeforeEach
    void open() {
        storage = H2Files.freshStorage();
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private void run(Consumer<StorageSession> work) {
        storage.inTransaction(s -> {
            work.accept(s);
            return null;
        });
    }

    private static BigDecimal dec(String value) {
        return new BigDecimal(value);
    }

    private static UsageRecord usage(String id, String quantity, Instant at) {
        return new UsageRecord("a", id, "DBAAS", "UPTIME", dec(quantity), at, T0);
    }

    private static StatementRecord statement(String id, String amount) {
        return new StatementRecord(id, "a", T0, T0.plusSeconds(60), "CNY", dec(amount), dec("0"), dec(amount), dec("0"),
                dec(amount), null, T0);
    }

    private static StatementLineRecord line(String statementId, int lineNo, String quantity, String rate,
            String amount) {
        return new StatementLineRecord(statementId, lineNo, "DBAAS", "UPTIME", "CHARGE", dec(quantity), "HRS", dec(rate),
                dec(amount), null, null, null);
    }

    private String column(String table, String column) {
        try (Handle h = storage.jdbi().open()) {
            return h.createQuery("""
                            SELECT DATA_TYPE || '(' || COALESCE(NUMERIC_PRECISION, 0) || ',' || COALESCE(NUMERIC_SCALE, 0)
                                || ')' || IS_NULLABLE
                            FROM INFORMATION_SCHEMA.COLUMNS
                            WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_NAME = :table AND COLUMN_NAME = :column""")
                    .bind("table", table.toUpperCase(Locale.ROOT))
                    .bind("column", column.toUpperCase(Locale.ROOT))
                    .mapTo(String.class)
                    .one();
        }
    }

    @Test
    void numbers_haveTheDocumentedColumnTypes() {
        assertEquals("NUMERIC(28,6)NO", column("usage_events", "quantity"));
        assertEquals("NUMERIC(28,6)NO", column("rates", "included_quantity"));
        assertEquals("NUMERIC(28,6)YES", column("rate_tiers", "up_to"));
        assertEquals("NUMERIC(19,6)NO", column("rate_tiers", "unit_rate"));
        assertEquals("NUMERIC(9,4)NO", column("commitments", "percent_off"));
        assertEquals("NUMERIC(19,4)NO", column("commitments", "threshold"));
        assertEquals("NUMERIC(19,4)NO", column("statements", "total"));
        assertEquals("NUMERIC(28,6)NO", column("statement_lines", "quantity"));
        assertEquals("NUMERIC(19,6)NO", column("statement_lines", "rate"));
        assertEquals("NUMERIC(19,4)NO", column("statement_lines", "amount"));
        assertTrue(column("usage_events", "occurred_at").startsWith("TIMESTAMP WITH TIME ZONE"));
        assertTrue(column("rates", "effective_from").startsWith("DATE"));
    }

    @Test
    void theMeteringQueries_haveTheirIndexes() {
        try (Handle h = storage.jdbi().open()) {
            List<String> indexes = h.createQuery("""
                            SELECT INDEX_NAME FROM INFORMATION_SCHEMA.INDEXES
                            WHERE TABLE_SCHEMA = 'PUBLIC' ORDER BY INDEX_NAME""")
                    .mapTo(String.class).list();
            for (String ix : List.of("USAGE_EVENTS_NAMESPACE_OCCURRED_IX", "BILLING_PROFILES_PERIOD_END_IX",
                    "BILLING_PROFILES_PARENT_IX", "SUBSCRIPTIONS_STATUS_PERIOD_END_IX")) {
                assertTrue(indexes.contains(ix), ix + " in " + indexes);
            }
            String plan = h.createQuery("""
                            EXPLAIN SELECT offering_code, charge_type, SUM(quantity), COUNT(*)
                            FROM usage_events
                            WHERE namespace = 'a' AND occurred_at >= TIMESTAMP WITH TIME ZONE '2024-03-01 00:00:00+00'
                                AND occurred_at < TIMESTAMP WITH TIME ZONE '2024-04-01 00:00:00+00'
                            GROUP BY offering_code, charge_type
                            ORDER BY offering_code, charge_type""")
                    .mapTo(String.class).one();
            assertTrue(plan.contains("USAGE_EVENTS_NAMESPACE_OCCURRED_IX"), plan);
        }
    }

    @Test
    void quantitiesRatesAndAmounts_thatTheColumnsWouldRound_areRefused_andNothingIsWritten() {
        StorageSnapshot before = JdbcSnapshots.of(storage);
        List<Consumer<StorageSession>> refused = List.of(
                s -> s.usage().insertUsage(usage("e1", "0.0000001", T0)),
                s -> s.usage().insertUsage(usage("e1", "10000000000000000000000", T0)),
                s -> s.rating().putRate(new RateRecord("DBAAS", "UPTIME", LocalDate.parse("2024-01-01"), "HRS", "CNY",
                        dec("0.1234567"), List.of())),
                s -> s.rating().putRate(new RateRecord("DBAAS", "UPTIME", LocalDate.parse("2024-01-01"), "HRS", "CNY",
                        dec("1"), List.of(new RateRecord.TierRecord(null, dec("0.0000001"))))),
                s -> s.rating().putRate(new RateRecord("DBAAS", "UPTIME", LocalDate.parse("2024-01-01"), "HRS", "CNY",
                        dec("1"), List.of(new RateRecord.TierRecord(dec("1.0000001"), dec("1"))))),
                s -> s.rating().putCommitment(new CommitmentRecord("a", "c", dec("10.00001"), dec("1"), "CNY", T0)),
                s -> s.rating().putCommitment(new CommitmentRecord("a", "c", dec("100000"), dec("1"), "CNY", T0)),
                s -> s.rating().putCommitment(new CommitmentRecord("a", "c", dec("10"), dec("1.00001"), "CNY", T0)),
                s -> s.statements().insertStatement(statement("st", "1.00001"), List.of()),
                s -> s.statements().insertStatement(statement("st", "1"), List.of(line("st", 0, "0.0000001", "1", "1"))),
                s -> s.statements().insertStatement(statement("st", "1"), List.of(line("st", 0, "1", "0.0000001", "1"))),
                s -> s.statements().insertStatement(statement("st", "1"), List.of(line("st", 0, "1", "1", "0.00001"))),
                s -> s.statements().insertStatement(statement("st", "1"), List.of(line("other", 0, "1", "1", "1"))),
                s -> s.statements().insertStatement(statement("st", "1"), List.of(line("st", 0, "1", "1", "1"),
                        line("st", 0, "2", "1", "1"))));
        for (Consumer<StorageSession> write : refused) {
            StorageException e = assertThrows(StorageException.class, () -> run(s -> {
                s.usage().insertUsage(usage("first-" + System.nanoTime(), "1", T0));
                write.accept(s);
            }));
            assertFalse(e instanceof DuplicateKeyException, "a refused number or line is no duplicate: " + e);
            assertEquals(before, JdbcSnapshots.of(storage), e.getMessage());
        }
    }

    @Test
    void theLargestAndFinestNumbers_roundTripExactly() {
        String quantity = "9999999999999999999999.999999";
        run(s -> {
            s.usage().insertUsage(usage("max", quantity, T0));
            s.usage().insertUsage(usage("min", "0.000001", T0));
            s.rating().putRate(new RateRecord("DBAAS", "UPTIME", LocalDate.parse("2024-01-01"), "HRS", "CNY", dec(quantity),
                    List.of(new RateRecord.TierRecord(dec(quantity), dec("9999999999999.999999")))));
            s.rating().putCommitment(new CommitmentRecord("a", "c", dec("99999.9999"), dec("999999999999999.9999"), "CNY", T0));
        });
        assertEquals(0, dec(quantity).compareTo(storage.inTransaction(s -> s.usage().findUsage("a", "max")).orElseThrow().quantity()));
        assertEquals(0, dec(quantity).add(dec("0.000001")).compareTo(
                storage.inTransaction(s -> s.usage().sumUsage("a", T0, T0.plusSeconds(1))).get(0).quantity()));
        RateRecord rate = storage.inTransaction(s -> s.rating().listRates(null, null)).get(0);
        assertEquals(0, dec("9999999999999.999999").compareTo(rate.tiers().get(0).unitRate()));
        assertEquals(0, dec("99999.9999").compareTo(storage.inTransaction(s -> s.rating().listCommitments("a")).get(0).percentOff()));
    }

    @Test
    void instants_keepMicroseconds_andCompareAndSetMatchesThem() {
        Instant micro = Instant.parse("2024-03-01T09:27:04.123456Z");
        run(s -> s.profiles().insertBillingProfile(new BillingProfileRecord("a", null, "cloud", micro, micro.plusSeconds(60))));
        assertEquals(micro, storage.inTransaction(s -> s.profiles().findBillingProfile("a")).orElseThrow().periodStart());
        BillingProfileRecord next = new BillingProfileRecord("a", null, "cloud", micro.plusSeconds(60),
                micro.plusSeconds(120));
        boolean offByOneMicro = storage.inTransaction(s -> s.profiles().replaceBillingProfile(next, micro.plusNanos(1_000)));
        assertFalse(offByOneMicro);
        boolean exact = storage.inTransaction(s -> s.profiles().replaceBillingProfile(next, micro));
        assertTrue(exact);
    }
}
