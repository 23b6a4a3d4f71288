package dev.billing.test;

import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.billing.core.BillingEngine;
import dev.billing.core.charges.ChargeLine;
import dev.billing.core.charges.ChargeTotals;
import dev.billing.core.charges.Statement;
import dev.billing.core.wallet.Transaction;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.core.wallet.TransactionPage;
import dev.billing.core.wallet.TransactionStatus;
import dev.billing.core.wallet.Wallet;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.SnapshotSource;
import dev.billing.spi.StorageSnapshot;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.money.CurrencyUnit;
import javax.money.MonetaryAmount;
import org.junit.jupiter.api.function.Executable;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions on the books a host's test can call, with failure messages that show what was expected and
 * what was found (and an {@link AssertionFailedError} carrying both, which IDEs show side by side).
 * Amounts compare by value in the same currency: {@code CNY 5} equals {@code CNY 5.00}.
 *
 * <pre>{@code
 * assertLedgerBalanced(engine);
 * assertBalanceMatchesLedger(engine, "acme");
 * assertHistory(engine, "acme",
 *         HistoryLine.of(TransactionKind.RECHARGE, Money.of(100, "CNY")),
 *         HistoryLine.of(TransactionKind.PURCHASE, Money.of(20, "CNY")));
 * assertRefusedUnchanged(storage, InsufficientFundsException.class, () -> engine.subscriptions().checkout(...));
 * assertStatement(statement, Money.of(new BigDecimal("7.2"), "CNY"),
 *         StatementLine.of("DBAAS", "UPTIME", new BigDecimal("720"), Money.of(new BigDecimal("7.2"), "CNY")));
 * }</pre>
 */
public final class BillingAssertions {

    private BillingAssertions() {
    }

    /**
     * Asserts that every currency's postings sum to zero ({@link Wallet#trialBalance()}): no money was made
     * or lost.
     *
     * @param engine the engine whose ledger to check
     */
    public static void assertLedgerBalanced(BillingEngine engine) {
        Map<CurrencyUnit, MonetaryAmount> sums = engine.wallet().trialBalance();
        List<String> off = sums.values().stream().filter(m -> !m.isZero()).map(BillingAssertions::text).toList();
        if (!off.isEmpty()) {
            throw new AssertionFailedError("the ledger does not balance: its postings sum to " + off + ", not zero",
                    "every currency summing to zero", sums.values().stream().map(BillingAssertions::text).toList());
        }
    }

    /**
     * Asserts that an account's balance equals the sum of the postings to its wallet.
     *
     * @param engine the engine
     * @param namespace the account
     */
    public static void assertBalanceMatchesLedger(BillingEngine engine, String namespace) {
        MonetaryAmount balance = engine.wallet().balance(namespace).amount();
        MonetaryAmount ledger = engine.wallet().ledgerBalance(namespace);
        if (!same(balance, ledger)) {
            throw new AssertionFailedError(namespace + "'s balance is " + text(balance)
                    + " but the postings to its wallet sum to " + text(ledger), text(ledger), text(balance));
        }
    }

    /**
     * Asserts an account's whole history, oldest first: each transaction's kind, amount and status.
     *
     * @param engine the engine
     * @param namespace the account
     * @param expected the transactions expected, oldest first
     */
    public static void assertHistory(BillingEngine engine, String namespace, HistoryLine... expected) {
        List<Transaction> all = new ArrayList<>();
        String cursor = null;
        do {
            TransactionPage page = engine.wallet().transactions(namespace, cursor, Wallet.MAX_PAGE);
            all.addAll(page.items());
            cursor = page.next().orElse(null);
        } while (cursor != null);
        Collections.reverse(all);
        List<HistoryLine> actual = all.stream().map(t -> new HistoryLine(t.kind(), t.amount(), t.status())).toList();
        compare(namespace + "'s history", List.of(expected), actual, HistoryLine::matches, HistoryLine::toString);
    }

    /**
     * Asserts a statement's lines, in order, and the total it charged.
     *
     * @param actual the statement
     * @param chargeTotal what it charged ({@code chargeTotal}: its charges less its discounts)
     * @param lines its lines, in the statement's order
     */
    public static void assertStatement(Statement actual, MonetaryAmount chargeTotal, StatementLine... lines) {
        List<StatementLine> found = actual.lines().stream().map(StatementLine::of).toList();
        compare("statement " + actual.id() + " of " + actual.namespace() + " (" + actual.period().start() + " to "
                + actual.period().end() + ")", List.of(lines), found, StatementLine::matches, StatementLine::toString);
        MonetaryAmount total = actual.totals().chargeTotal();
        if (!same(chargeTotal, total)) {
            throw new AssertionFailedError("statement " + actual.id() + " charged " + text(total) + ", not "
                    + text(chargeTotal), text(chargeTotal), text(total));
        }
    }

    /**
     * Asserts a statement's lines, in order, and every one of its totals (subtotal, discounts, what the
     * account itself is charged, what its descendants were charged, the total).
     *
     * @param actual the statement
     * @param totals its totals
     * @param lines its lines, in the statement's order
     */
    public static void assertStatement(Statement actual, ChargeTotals totals, StatementLine... lines) {
        assertStatement(actual, totals.chargeTotal(), lines);
        ChargeTotals found = actual.totals();
        List<String> expected = totalsText(totals);
        List<String> got = totalsText(found);
        if (!same(totals.chargeSubTotal(), found.chargeSubTotal()) || !same(totals.discountTotal(), found.discountTotal())
                || !same(totals.chargeHierarchyTotal(), found.chargeHierarchyTotal()) || !same(totals.total(), found.total())) {
            throw new AssertionFailedError("statement " + actual.id() + " has totals " + got + ", not " + expected,
                    expected, got);
        }
    }

    private static List<String> totalsText(ChargeTotals t) {
        return List.of("chargeSubTotal " + text(t.chargeSubTotal()), "discountTotal " + text(t.discountTotal()),
                "chargeTotal " + text(t.chargeTotal()), "chargeHierarchyTotal " + text(t.chargeHierarchyTotal()),
                "total " + text(t.total()));
    }

    /**
     * Asserts that a call is refused with an exception of a given type and changes nothing the storage
     * holds: what a host's test of bad input needs. The storage must be a {@link SnapshotSource} (the
     * in-memory and JDBC storages are).
     *
     * <pre>{@code
     * InsufficientFundsException e = assertRefusedUnchanged(billing.storage(), InsufficientFundsException.class,
     *         () -> engine.subscriptions().checkout("acme", "c-large", "cn-north-1", "c-2"));
     * }</pre>
     *
     * @param storage the engine's storage
     * @param expected the type of exception the call must throw
     * @param call the call
     * @param <T> the exception's type
     * @return the exception, for more assertions on it
     * @throws IllegalArgumentException when the storage cannot show what it holds
     */
    public static <T extends Throwable> T assertRefusedUnchanged(BillingStorage storage, Class<T> expected,
            Executable call) {
        if (!(storage instanceof SnapshotSource source)) {
            throw new IllegalArgumentException(storage.describe() + " cannot show what it holds (not a SnapshotSource)");
        }
        StorageSnapshot before = source.snapshot();
        T thrown = assertThrows(expected, call);
        StorageSnapshot after = source.snapshot();
        if (!before.equals(after)) {
            List<String> changed = new ArrayList<>();
            for (RecordComponent c : StorageSnapshot.class.getRecordComponents()) {
                Object b = component(c, before);
                Object a = component(c, after);
                if (!b.equals(a)) {
                    List<?> gone = new ArrayList<>((List<?>) b);
                    gone.removeAll((List<?>) a);
                    List<?> come = new ArrayList<>((List<?>) a);
                    come.removeAll((List<?>) b);
                    changed.add(c.getName() + " (" + ((List<?>) b).size() + " rows before, " + ((List<?>) a).size()
                            + " after; before only: " + gone + "; after only: " + come + ")");
                }
            }
            throw new AssertionFailedError("the call was refused (" + thrown + ") but changed " + String.join(", ",
                    changed), before, after);
        }
        return thrown;
    }

    private static Object component(RecordComponent c, StorageSnapshot s) {
        try {
            return c.getAccessor().invoke(s);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> void compare(String what, List<T> expected, List<T> actual, BiPredicate<T, T> matches,
            Function<T, String> show) {
        boolean equal = expected.size() == actual.size();
        for (int i = 0; equal && i < expected.size(); i++) {
            equal = matches.test(expected.get(i), actual.get(i));
        }
        if (!equal) {
            String e = expected.stream().map(show).collect(Collectors.joining("\n  ", "  ", ""));
            String a = actual.stream().map(show).collect(Collectors.joining("\n  ", "  ", ""));
            throw new AssertionFailedError(what + " differs.\nexpected " + expected.size() + ":\n" + e + "\nfound "
                    + actual.size() + ":\n" + a, e, a);
        }
    }

    static boolean same(MonetaryAmount a, MonetaryAmount b) {
        return a.getCurrency().equals(b.getCurrency()) && a.isEqualTo(b);
    }

    /** @return the amount as {@code CNY 7.20}: at least its currency's digits, more when it has them */
    static String text(MonetaryAmount m) {
        BigDecimal n = m.getNumber().numberValue(BigDecimal.class);
        int digits = m.getCurrency().getDefaultFractionDigits();
        return m.getCurrency().getCurrencyCode() + " " + (n.scale() < digits ? n.setScale(digits) : n).toPlainString();
    }

    /**
     * One transaction as {@link #assertHistory} compares it.
     *
     * @param kind what it was
     * @param amount the amount it moved, as {@link Transaction#amount()} shows it (positive, but for an
     *     adjustment's debit)
     * @param status finished, or refunded since
     */
    public record HistoryLine(TransactionKind kind, MonetaryAmount amount, TransactionStatus status) {

        /** Rejects nulls. */
        public HistoryLine {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(status, "status");
        }

        /** @return a finished transaction of this kind and amount */
        public static HistoryLine of(TransactionKind kind, MonetaryAmount amount) {
            return new HistoryLine(kind, amount, TransactionStatus.FINISH);
        }

        /** @return a transaction of this kind, amount and status */
        public static HistoryLine of(TransactionKind kind, MonetaryAmount amount, TransactionStatus status) {
            return new HistoryLine(kind, amount, status);
        }

        boolean matches(HistoryLine other) {
            return kind == other.kind && status == other.status && same(amount, other.amount);
        }

        @Override
        public String toString() {
            return kind + " " + text(amount) + " " + status;
        }
    }

    /**
     * One statement line as {@link #assertStatement} compares it.
     *
     * @param offeringCode the product, or {@code null} for a discount
     * @param chargeType what was metered, or the discount's type
     * @param quantity the period's quantity (1 for a discount)
     * @param amount the line's amount (negative for a discount)
     */
    public record StatementLine(String offeringCode, String chargeType, BigDecimal quantity, MonetaryAmount amount) {

        /** Rejects nulls but the offering code. */
        public StatementLine {
            Objects.requireNonNull(chargeType, "chargeType");
            Objects.requireNonNull(quantity, "quantity");
            Objects.requireNonNull(amount, "amount");
        }

        /** @return a line of this product, type, quantity and amount */
        public static StatementLine of(String offeringCode, String chargeType, BigDecimal quantity,
                MonetaryAmount amount) {
            return new StatementLine(offeringCode, chargeType, quantity, amount);
        }

        static StatementLine of(ChargeLine line) {
            return new StatementLine(line.offeringCode(), line.chargeType(), line.quantity(), line.amount());
        }

        boolean matches(StatementLine other) {
            return Objects.equals(offeringCode, other.offeringCode) && chargeType.equals(other.chargeType)
                    && quantity.compareTo(other.quantity) == 0 && same(amount, other.amount);
        }

        @Override
        public String toString() {
            return (offeringCode == null ? "" : offeringCode + " ") + chargeType + " x " + quantity.toPlainString() + " = "
                    + text(amount);
        }
    }
}
