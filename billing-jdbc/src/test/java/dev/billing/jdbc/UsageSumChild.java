package dev.billing.jdbc;

import dev.billing.core.BillingEngine;
import dev.billing.core.DueRun;
import dev.billing.core.charges.ChargeCategory;
import dev.billing.core.charges.ChargeLine;
import dev.billing.core.charges.Commitment;
import dev.billing.core.charges.EstimatedCharges;
import dev.billing.core.charges.Rate;
import dev.billing.core.charges.Statement;
import dev.billing.core.charges.Tier;
import dev.billing.test.TestClock;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import javax.money.CurrencyUnit;
import javax.money.Monetary;
import javax.money.MonetaryAmount;
import org.javamoney.moneta.Money;
import org.jdbi.v3.core.Handle;

/**
 * The child JVM of {@link UsageSumMemoryTest}, started with a small heap.
 *
 * <p>Mode {@code engine}: through the engine, opens account {@code big} on {@link #OPENED}, defines
 * {@link #rates()} and a commitment, recharges it, inserts the half million usage rows of
 * {@link UsageSumMemoryTest} into the storage's {@code usage_events} with set-based {@code INSERT ...
 * SELECT} statements (100,000 rows each), then prints {@code LINE <offering> <chargeType> <quantity>
 * <amount>} per charge line and {@code DISCOUNT}, {@code SUBTOTAL}, {@code TOTAL} of
 * {@code estimatedCharges}; then advances the clock to the period end, runs {@code runDue} and prints
 * {@code STATEMENT <total>}, {@code BALANCE <balance>}, then {@code DONE}.
 *
 * <p>Mode {@code rows}: loads every row (a {@link JdbcSnapshots#of snapshot}), which should not
 * fit, and prints {@code LOADED <n>} if it does.
 *
 * <p>Arguments: the database path without {@code .mv.db}, the mode.
 */
final class UsageSumChild {

    static final String NAMESPACE = "big";
    static final Instant OPENED = Instant.parse("2024-03-01T00:00:00Z");
    static final Instant PERIOD_END = Instant.parse("2024-04-01T00:00:00Z");
    static final CurrencyUnit USD = Monetary.getCurrency("USD");
    static final BigDecimal RECHARGE = new BigDecimal("1000000.00");
    /** 10% off spending over 1,000.00. */
    static final Commitment COMMITMENT = new Commitment("c1", BigDecimal.TEN, Money.of(new BigDecimal("1000.00"), "USD"),
            Instant.parse("2030-01-01T00:00:00Z"));

    private UsageSumChild() {
    }

    /** One rate per (offering OFF0..2, charge type CT0..1): flat, with an allowance, and tiered. */
    static List<Rate> rates() {
        LocalDate from = LocalDate.of(2024, 1, 1);
        return List.of(
                Rate.flat("OFF0", "CT0", "HRS", new BigDecimal("0.123"), USD, from),
                Rate.flat("OFF0", "CT1", "HRS", new BigDecimal("0.0075"), USD, from).withIncluded(new BigDecimal("1000")),
                new Rate("OFF1", "CT0", "GB", USD, BigDecimal.ZERO,
                        List.of(new Tier(new BigDecimal("10000"), new BigDecimal("0.05")), Tier.flat(new BigDecimal("0.02"))),
                        from),
                Rate.flat("OFF1", "CT1", "COUNT", new BigDecimal("0.33"), USD, from),
                Rate.flat("OFF2", "CT0", "HRS", new BigDecimal("1.5"), USD, from).withIncluded(new BigDecimal("50")),
                new Rate("OFF2", "CT1", "GB", USD, new BigDecimal("20"), List.of(new Tier(new BigDecimal("100"),
                        new BigDecimal("0.1")), new Tier(new BigDecimal("5000"), new BigDecimal("0.07")),
                        Tier.flat(new BigDecimal("0.011"))), from));
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        String mode = args[1];
        try (JdbiStorage storage = JdbiStorage.h2File(Path.of(args[0]))) {
            out.println("HEAP " + Runtime.getRuntime().maxMemory());
            if (mode.equals("engine")) {
                engine(storage, out);
            } else {
                int rows = JdbcSnapshots.of(storage).usage().size();
                out.println("LOADED " + rows);
            }
            out.println("DONE");
            out.flush();
        }
    }

    private static void engine(JdbiStorage storage, PrintStream out) {
        TestClock clock = TestClock.at(OPENED, ZoneOffset.UTC);
        BillingEngine engine = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneOffset.UTC).build();
        rates().forEach(engine.charges()::defineRate);
        engine.accounts().openAccount(NAMESPACE, USD, "open-big");
        engine.charges().defineCommitment(NAMESPACE, COMMITMENT);
        engine.wallet().recharge(NAMESPACE, Money.of(RECHARGE, "USD"), "recharge-big");
        fill(storage);
        clock.set(UsageSumMemoryTest.ESTIMATE_AT);
        EstimatedCharges e = engine.charges().estimatedCharges(NAMESPACE, null, null, 0, 100);
        for (ChargeLine l : e.lines()) {
            if (l.category() == ChargeCategory.CHARGE) {
                out.println("LINE " + l.offeringCode() + " " + l.chargeType() + " " + l.quantity().toPlainString() + " "
                        + plain(l.amount()));
            }
        }
        out.println("DISCOUNT " + plain(e.totals().discountTotal()));
        out.println("SUBTOTAL " + plain(e.totals().chargeSubTotal()));
        out.println("TOTAL " + plain(e.totals().total()));
        clock.set(PERIOD_END);
        DueRun run = engine.runDue();
        if (!run.failures().isEmpty() || run.statements() != 1) {
            throw new IllegalStateException("runDue: " + run);
        }
        Statement st = engine.charges().statements(NAMESPACE).get(0);
        out.println("STATEMENT " + plain(st.totals().total()));
        out.println("BALANCE " + plain(engine.wallet().balance(NAMESPACE).amount()));
    }

    /**
     * Event X of {@code big}: offering OFF(X mod 3), charge type CT(X mod 2), quantity (X mod 7) / 10, at
     * OPENED + (X - 1) s; plus 1,000 events of another namespace and 1,000 of {@code big} in the next
     * period, which the period's sums must leave out.
     */
    private static void fill(JdbiStorage storage) {
        try (Handle h = storage.jdbi().open()) {
            for (int from = 1; from <= UsageSumMemoryTest.EVENTS; from += 100_000) {
                h.createUpdate("""
                        INSERT INTO usage_events (namespace, event_id, offering_code, charge_type, quantity, occurred_at,
                            recorded_at)
                        SELECT 'big', 'e' || X, 'OFF' || MOD(X, 3), 'CT' || MOD(X, 2), CAST(MOD(X, 7) * 0.1 AS DECIMAL(28,6)),
                            TIMESTAMP WITH TIME ZONE '2024-03-01 00:00:00+00' + (X - 1) * INTERVAL '1' SECOND,
                            TIMESTAMP WITH TIME ZONE '2024-03-20 00:00:00+00'
                        FROM SYSTEM_RANGE(:from, :to)""")
                        .bind("from", from).bind("to", from + 99_999).execute();
            }
            h.execute("""
                    INSERT INTO usage_events (namespace, event_id, offering_code, charge_type, quantity, occurred_at,
                        recorded_at)
                    SELECT 'other', 'e' || X, 'OFF0', 'CT0', 1, TIMESTAMP WITH TIME ZONE '2024-03-02 00:00:00+00',
                        TIMESTAMP WITH TIME ZONE '2024-03-20 00:00:00+00'
                    FROM SYSTEM_RANGE(1, 1000)""");
            h.execute("""
                    INSERT INTO usage_events (namespace, event_id, offering_code, charge_type, quantity, occurred_at,
                        recorded_at)
                    SELECT 'big', 'next-' || X, 'OFF0', 'CT0', 1, TIMESTAMP WITH TIME ZONE '2024-04-01 00:00:00+00',
                        TIMESTAMP WITH TIME ZONE '2024-03-20 00:00:00+00'
                    FROM SYSTEM_RANGE(1, 1000)""");
        }
    }

    /** At the currency's scale; more decimals would throw, so no rounding hides here. */
    private static String plain(MonetaryAmount a) {
        return a.getNumber().numberValueExact(BigDecimal.class).setScale(USD.getDefaultFractionDigits()).toPlainString();
    }
}
