package dev.billing.test;

import static dev.billing.test.BillingAssertions.assertBalanceMatchesLedger;
import static dev.billing.test.BillingAssertions.assertHistory;
import static dev.billing.test.BillingAssertions.assertLedgerBalanced;
import static dev.billing.test.BillingAssertions.assertRefusedUnchanged;
import static dev.billing.test.BillingAssertions.assertStatement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.ErrorCode;
import dev.billing.core.InsufficientFundsException;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.charges.ChargeTotals;
import dev.billing.core.charges.Rate;
import dev.billing.core.charges.Statement;
import dev.billing.core.memory.InMemoryStorage;
import dev.billing.core.usage.UsageEvent;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.core.wallet.TransactionStatus;
import dev.billing.spi.AccountStore;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.LedgerStore;
import dev.billing.spi.StorageWork;
import dev.billing.tck.ForwardingSession;
import dev.billing.test.BillingAssertions.HistoryLine;
import dev.billing.test.BillingAssertions.StatementLine;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.Period;
import java.util.Map;
import java.util.TreeMap;
import javax.money.Monetary;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** Each assertion passes on sound books and fails, showing both sides, when they are not what is expected. */
class BillingAssertionsTest {

    private final BillingFixture billing = BillingFixture.builder().start("2016-01-01T00:00:00Z")
            .rate(Rate.flat("DBAAS", "UPTIME", "HRS", new BigDecimal("0.01"), Monetary.getCurrency("CNY"),
                    LocalDate.parse("2016-01-01")))
            .build();
    private final BillingEngine engine = billing.engine();

    @AfterEach
    void close() {
        billing.close();
    }

    @Test
    void soundBooks_pass() {
        engine.wallet().recharge("acme", Money.of(10, "CNY"), "r-1");
        assertLedgerBalanced(engine);
        assertBalanceMatchesLedger(engine, "acme");
        billing.assertInvariants();
    }

    @Test
    void aBalanceChangedWithoutPostings_fails_showingBoth() {
        engine.wallet().recharge("acme", Money.of(10, "CNY"), "r-1");
        billing.storage().inTransaction(s -> s.accounts().applyBalanceDelta("acme", BigDecimal.ONE,
                AccountStore.MAX_BALANCE.negate()));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertBalanceMatchesLedger(engine, "acme"));
        assertEquals("acme's balance is CNY 11.00 but the postings to its wallet sum to CNY 10.00", e.getMessage());
        assertEquals("CNY 10.00", e.getExpected().getValue());
        assertEquals("CNY 11.00", e.getActual().getValue());
        assertThrows(AssertionFailedError.class, billing::assertInvariants);
    }

    @Test
    void postingsThatDoNotSumToZero_fail() {
        // a storage whose postings do not balance (the in-memory one refuses to store such), as a broken
        // storage would answer
        InMemoryStorage inner = InMemoryStorage.create();
        BillingStorage broken = new BillingStorage() {
            @Override
            public <T> T inTransaction(StorageWork<T> work) {
                return inner.inTransaction(s -> work.run(new ForwardingSession(s, call -> { }) {
                    @Override
                    public LedgerStore ledger() {
                        return new ForwardingSession.ForwardingLedgerStore(s.ledger(), call -> { }) {
                            @Override
                            public Map<String, BigDecimal> sumPostingsByCurrency() {
                                Map<String, BigDecimal> sums = new TreeMap<>(super.sumPostingsByCurrency());
                                sums.merge("CNY", new BigDecimal("5.00"), BigDecimal::add);
                                return sums;
                            }
                        };
                    }
                }));
            }

            @Override
            public String describe() {
                return "broken";
            }
        };
        try (BillingFixture b = BillingFixture.builder().storage(broken).build()) {
            b.engine().wallet().recharge("acme", Money.of(10, "CNY"), "r-1");
            AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertLedgerBalanced(b.engine()));
            assertEquals("the ledger does not balance: its postings sum to [CNY 5.00], not zero", e.getMessage());
        }
    }

    @Test
    void refusedUnchanged_passesForARefusal_andFailsNamingWhatAChangingCallChanged() {
        engine.catalog().defineRegion(Region.available("aws", "AWS"));
        engine.catalog().definePlan(Plan.of("big", "C", Money.of(500, "CNY"), PlanTerm.MONTHLY, "big", "aws"));
        engine.wallet().recharge("acme", Money.of(10, "CNY"), "r-1");
        InsufficientFundsException e = assertRefusedUnchanged(billing.storage(), InsufficientFundsException.class,
                () -> engine.subscriptions().checkout("acme", "big", "aws", "c-1"));
        assertEquals(ErrorCode.INSUFFICIENT_FUNDS, e.code());

        AssertionFailedError changed = assertThrows(AssertionFailedError.class, () -> assertRefusedUnchanged(
                billing.storage(), IllegalStateException.class, () -> {
                    engine.wallet().recharge("acme", Money.of(1, "CNY"), "r-2");
                    throw new IllegalStateException("refused after all");
                }));
        String m = changed.getMessage();
        assertTrue(m.startsWith("the call was refused (java.lang.IllegalStateException: refused after all) but changed"
                + " accounts (1 rows before, 1 after; before only: [AccountRecord[namespace=acme"), m);
        assertTrue(m.contains("balance=10.00") && m.contains("balance=11.00"), "both sides of the changed row: " + m);
        assertTrue(m.contains("transactions (1 rows before, 2 after; before only: []; after only: [TransactionRecord[")
                && m.contains("postings (2 rows before, 4 after") && m.contains("idempotency (1 rows before, 2 after"), m);

        assertThrows(AssertionFailedError.class, () -> assertRefusedUnchanged(billing.storage(),
                IllegalStateException.class, () -> { }));
    }

    @Test
    void history_oldestFirst_amountsByValue() {
        engine.wallet().recharge("acme", Money.of(10, "CNY"), "r-1");
        engine.wallet().adjust("acme", Money.of(new BigDecimal("-2.5"), "CNY"), "goodwill reversed", "a-1");
        assertHistory(engine, "acme", HistoryLine.of(TransactionKind.RECHARGE, Money.of(new BigDecimal("10.00"), "CNY")),
                HistoryLine.of(TransactionKind.ADJUSTMENT, Money.of(new BigDecimal("-2.5"), "CNY"), TransactionStatus.FINISH));
    }

    @Test
    void history_thatDiffers_failsWithBothListsShown() {
        engine.wallet().recharge("acme", Money.of(10, "CNY"), "r-1");
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> assertHistory(engine, "acme",
                HistoryLine.of(TransactionKind.RECHARGE, Money.of(12, "CNY"))));
        assertEquals("acme's history differs.\nexpected 1:\n  RECHARGE CNY 12.00 FINISH\nfound 1:\n  RECHARGE CNY 10.00 FINISH",
                e.getMessage());
        assertThrows(AssertionFailedError.class, () -> assertHistory(engine, "acme"));
    }

    @Test
    void statement_linesAndTotal() {
        engine.wallet().recharge("acme", Money.of(10, "CNY"), "r-1");
        engine.usage().ingest(new UsageEvent("e-1", "acme", "DBAAS", "UPTIME", new BigDecimal("720"),
                billing.clock().instant()));
        billing.travel(Period.ofMonths(1));
        Statement s = engine.charges().statements("acme").get(0);
        assertStatement(s, Money.of(new BigDecimal("7.2"), "CNY"), StatementLine.of("DBAAS", "UPTIME", new BigDecimal("720"),
                Money.of(new BigDecimal("7.2"), "CNY")));
        AssertionFailedError lines = assertThrows(AssertionFailedError.class, () -> assertStatement(s,
                Money.of(new BigDecimal("7.2"), "CNY"), StatementLine.of("DBAAS", "UPTIME", new BigDecimal("721"), Money.of(new BigDecimal("7.21"), "CNY"))));
        assertEquals("  DBAAS UPTIME x 721 = CNY 7.21", lines.getExpected().getValue());
        assertEquals("  DBAAS UPTIME x 720 = CNY 7.20", lines.getActual().getValue());
        AssertionFailedError total = assertThrows(AssertionFailedError.class, () -> assertStatement(s,
                Money.of(7, "CNY"), StatementLine.of("DBAAS", "UPTIME", new BigDecimal("720"), Money.of(new BigDecimal("7.2"), "CNY"))));
        assertEquals("statement " + s.id() + " charged CNY 7.20, not CNY 7.00", total.getMessage());
        Money zero = Money.of(0, "CNY");
        Money charged = Money.of(new BigDecimal("7.2"), "CNY");
        StatementLine line = StatementLine.of("DBAAS", "UPTIME", new BigDecimal("720"), charged);
        assertStatement(s, new ChargeTotals(charged, zero, charged, zero, charged), line);
        AssertionFailedError hierarchy = assertThrows(AssertionFailedError.class, () -> assertStatement(s,
                new ChargeTotals(charged, zero, charged, Money.of(1, "CNY"), Money.of(new BigDecimal("8.2"), "CNY")), line));
        assertTrue(hierarchy.getMessage().contains("chargeHierarchyTotal CNY 0.00")
                && hierarchy.getMessage().contains("chargeHierarchyTotal CNY 1.00"), hierarchy.getMessage());
    }
}
