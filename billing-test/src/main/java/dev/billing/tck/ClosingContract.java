package dev.billing.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.billing.core.BillingEngine;
import dev.billing.core.BillingException;
import dev.billing.core.ConflictException;
import dev.billing.core.DueRun;
import dev.billing.core.ErrorCode;
import dev.billing.core.IdGenerator;
import dev.billing.core.NotFoundException;
import dev.billing.core.accounts.Account;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.accounts.BillingPeriod;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.charges.EstimatedCharges;
import dev.billing.core.charges.Rate;
import dev.billing.core.charges.Statement;
import dev.billing.core.subscriptions.Subscription;
import dev.billing.core.subscriptions.SubscriptionStatus;
import dev.billing.core.usage.IngestResult;
import dev.billing.core.usage.IngestStatus;
import dev.billing.core.usage.UsageEvent;
import dev.billing.core.wallet.Balance;
import dev.billing.core.wallet.Transaction;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.spi.BillingStorage;
import dev.billing.spi.StatementLineRecord;
import dev.billing.spi.StatementRecord;
import dev.billing.spi.StatementStore;
import dev.billing.spi.StorageException;
import dev.billing.spi.StorageSnapshot;
import dev.billing.spi.StorageWork;
import dev.billing.spi.UsageRecord;
import dev.billing.test.TestClock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import javax.money.MonetaryAmount;
import org.junit.jupiter.api.Test;

/**
 * Closing periods into statements, arrears, renewals and the calendars periods follow, written once and
 * run against every storage: extend it and implement {@link #newStorage()}.
 */
public abstract class ClosingContract extends ChargesFixture {
    // ------------------------------------------------------------ period close

    @Test
    void runDue_closesThePeriodIntoAStatement_chargesTheWallet_once() {
        engine.wallet().recharge("ran", usd("100.00"), "r1");
        ingestExampleUsage();
        EstimatedCharges last = engine.charges().estimatedCharges("ran");
        assertEquals(0, engine.runDue().statements(), "nothing is due before the period ends");
        clock.set(PERIOD_END);
        DueRun run = engine.runDue();
        assertEquals(1, run.statements());
        assertEquals(0, run.arrears());
        assertTrue(run.failures().isEmpty());
        StorageSnapshot after = snapshot();
        assertEquals(0, engine.runDue().statements(), "running again does nothing more");
        assertEquals(after, snapshot());

        List<Statement> statements = engine.charges().statements("ran");
        assertEquals(1, statements.size());
        Statement st = statements.get(0);
        assertEquals(last.period(), st.period());
        assertEquals(last.lines(), st.lines());
        assertEquals(last.totals().total(), st.totals().total());
        assertEquals(last.totals().chargeSubTotal(), st.totals().chargeSubTotal());
        assertEquals(usd("79.67"), engine.wallet().balance("ran").amount());
        Transaction charge = engine.wallet().transaction("ran", st.transactionId());
        assertEquals(TransactionKind.USAGE_CHARGE, charge.kind());
        assertEquals(usd("20.33"), charge.amount());
        assertEquals(engine.wallet().balance("ran").amount(), engine.wallet().ledgerBalance("ran"));
        assertTrue(engine.wallet().trialBalance().values().stream().allMatch(MonetaryAmount::isZero));

        EstimatedCharges next = engine.charges().estimatedCharges("ran");
        assertEquals(new BillingPeriod(PERIOD_END, Instant.parse("2016-12-16T21:32:52Z")), next.period());
        assertEquals(usd("0.00"), next.totals().total());
        assertEquals(next.period(), engine.accounts().billingProfile("ran").openPeriod());
        IngestResult late = engine.usage().ingestBatch(List.of(new UsageEvent("late", "ran", "DBAAS", "UPTIME", d("1"),
                PERIOD_END.minusSeconds(1)))).get(0);
        assertEquals(ErrorCode.PERIOD_CLOSED, late.code(), "usage of a closed period is rejected");
    }

    @Test
    void runDue_aFailureBetweenTwoAccounts_losesNothing_andTheNextRunCarriesOn() {
        engine.accounts().openAccount("b-account", USD, "open-b");
        engine.wallet().recharge("ran", usd("50.00"), "r-ran");
        engine.wallet().recharge("b-account", usd("50.00"), "r-b");
        engine.usage().ingest(use("ran", "DBAAS", "UPTIME", "10"));
        engine.usage().ingest(use("b-account", "DBAAS", "UPTIME", "5"));
        boolean[] armed = {true};
        BillingStorage failing = failingStorage(storage, armed);
        BillingEngine crashing = BillingEngine.builder().storage(failing).clock(clock).zone(ZoneOffset.UTC).build();
        clock.set(Instant.parse("2016-12-02T00:00:00Z"));
        DueRun first = crashing.runDue();
        assertEquals(1, first.failures().size(), first.toString());
        assertEquals(1, engine.charges().statements("ran").size(), "the healthy account was closed");
        assertTrue(engine.charges().statements("b-account").isEmpty(), "the failed close left nothing behind");
        assertEquals(usd("50.00"), engine.wallet().balance("b-account").amount());
        armed[0] = false;
        DueRun second = crashing.runDue();
        assertEquals(1, second.statements());
        assertEquals(usd("48.00"), engine.wallet().balance("b-account").amount());
        assertEquals(usd("46.00"), engine.wallet().balance("ran").amount());
        assertTrue(engine.wallet().trialBalance().values().stream().allMatch(MonetaryAmount::isZero));
    }

    /** A storage whose units of work fail when they store a statement of {@code b-account}, while armed. */
    private static BillingStorage failingStorage(BillingStorage delegate, boolean[] armed) {
        return new BillingStorage() {
            @Override
            public <T> T inTransaction(dev.billing.spi.StorageWork<T> work) {
                return delegate.inTransaction(s -> work.run(new ForwardingSession(s, call -> { }) {
                    @Override
                    public StatementStore statements() {
                        return new ForwardingSession.ForwardingStatementStore(s.statements(), call -> { }) {
                            @Override
                            public void insertStatement(StatementRecord statement, List<StatementLineRecord> lines,
                                    List<String> ancestors) {
                                if (armed[0] && statement.namespace().equals("b-account")) {
                                    throw new StorageException("simulated crash", null);
                                }
                                super.insertStatement(statement, lines, ancestors);
                            }
                        };
                    }
                }));
            }

            @Override
            public String describe() {
                return "failing " + delegate.describe();
            }

            @Override
            public void close() {
            }
        };
    }

    @Test
    void runDue_emptyPeriod_givesAZeroStatementWithoutTransaction() {
        clock.set(PERIOD_END.plusSeconds(1));
        assertEquals(1, engine.runDue().statements());
        Statement st = engine.charges().statements("ran").get(0);
        assertNull(st.transactionId());
        assertEquals(usd("0.00"), st.totals().total());
        assertTrue(engine.wallet().transactions("ran", null, 10).items().isEmpty());
    }

    @Test
    void runDue_lateUsageOfTheOpenPeriod_isStillCharged() {
        engine.wallet().recharge("ran", usd("10.00"), "r1");
        clock.set(PERIOD_END.plusSeconds(3600));
        // the period ended but is not closed yet: its usage is still accepted
        assertEquals(IngestStatus.ACCEPTED, engine.usage().ingest(new UsageEvent("late", "ran", "DBAAS", "UPTIME", d("10"),
                PERIOD_END.minusSeconds(10))).status());
        engine.runDue();
        assertEquals(usd("4.00"), engine.charges().statements("ran").get(0).totals().chargeTotal());
        assertEquals(usd("6.00"), engine.wallet().balance("ran").amount());
    }

    @Test
    void runDue_severalPeriodsBehind_closesEachInTurn() {
        engine.wallet().recharge("ran", usd("100.00"), "r1");
        engine.usage().ingest(use("ran", "DBAAS", "UPTIME", "10"));
        clock.set(Instant.parse("2017-01-20T00:00:00Z"));
        engine.usage().ingest(new UsageEvent("dec", "ran", "DBAAS", "UPTIME", d("5"), Instant.parse("2016-12-01T00:00:00Z")));
        DueRun run = engine.runDue();
        assertEquals(3, run.statements());
        List<Statement> st = engine.charges().statements("ran");
        assertEquals(List.of(usd("0.00"), usd("2.00"), usd("4.00")), st.stream().map(s -> s.totals().chargeTotal()).toList());
        assertEquals(Instant.parse("2017-01-16T21:32:52Z"), engine.accounts().billingProfile("ran").openPeriod().start());
        assertEquals(usd("94.00"), engine.wallet().balance("ran").amount());
    }

    @Test
    void runDue_insufficientBalance_putsTheAccountInArrears_nextRechargePaysTheDebtFirst() {
        engine.wallet().recharge("ran", usd("1.00"), "r1");
        engine.usage().ingest(use("ran", "DBAAS", "UPTIME", "10")); // 4.00
        clock.set(PERIOD_END);
        DueRun run = engine.runDue();
        assertEquals(1, run.arrears());
        Account a = engine.accounts().account("ran");
        assertEquals(AccountStatus.SUSPENDED, a.status());
        assertTrue(a.notification());
        assertEquals(usd("0.00"), a.balance());
        assertEquals(usd("0.00"), engine.wallet().ledgerBalance("ran"));
        assertTrue(engine.wallet().trialBalance().values().stream().allMatch(MonetaryAmount::isZero));

        Balance partial = engine.wallet().recharge("ran", usd("2.00"), "r2");
        assertEquals(usd("0.00"), partial.amount());
        assertEquals(AccountStatus.SUSPENDED, partial.status(), "still owes 1.00");
        Balance paid = engine.wallet().recharge("ran", usd("5.00"), "r3");
        assertEquals(usd("4.00"), paid.amount());
        assertEquals(AccountStatus.ACTIVE, paid.status());
        assertEquals(paid, engine.wallet().recharge("ran", usd("5.00"), "r3"), "replay answers the same");
        assertEquals(usd("4.00"), engine.wallet().ledgerBalance("ran"));
        List<TransactionKind> kinds = engine.wallet().transactions("ran", null, 20).items().stream().map(Transaction::kind).toList();
        assertEquals(List.of(TransactionKind.DEBT_PAYMENT, TransactionKind.RECHARGE, TransactionKind.DEBT_PAYMENT,
                TransactionKind.RECHARGE, TransactionKind.USAGE_CHARGE, TransactionKind.RECHARGE), kinds);
        assertTrue(engine.wallet().trialBalance().values().stream().allMatch(MonetaryAmount::isZero));
    }

    // ------------------------------------------------------------ renewal

    @Test
    void runDue_renewsSubscriptionsAtTheEndOfTheirPeriod_byDebitingThePrice() {
        catalog();
        engine.wallet().recharge("ran", usd("7.00"), "r1");
        engine.subscriptions().checkout("ran", "box", "us-east", "c1");
        Subscription sub = engine.accounts().account("ran").subscriptions().get(0);
        clock.set(sub.periodEnd());
        DueRun run = engine.runDue();
        assertEquals(1, run.renewals());
        Subscription renewed = engine.accounts().account("ran").subscriptions().get(0);
        assertEquals(sub.periodEnd(), renewed.periodStart());
        assertEquals(SubscriptionStatus.ACTIVE, renewed.status());
        assertEquals(usd("1.00"), engine.wallet().balance("ran").amount());
        assertEquals(0, engine.runDue().renewals(), "running again does nothing more");
        Transaction t = engine.wallet().transactions("ran", null, 1).items().get(0);
        assertEquals(TransactionKind.PURCHASE, t.kind());
        assertTrue(t.description().startsWith("Renewal of"), t.description());

        clock.set(renewed.periodEnd());
        run = engine.runDue();
        assertEquals(1, run.expired());
        Account a = engine.accounts().account("ran");
        assertEquals(SubscriptionStatus.EXPIRED, a.subscriptions().get(0).status());
        assertTrue(a.notification());
        assertEquals(usd("1.00"), a.balance());
        assertEquals(a.balance(), engine.wallet().ledgerBalance("ran"));
        assertTrue(engine.wallet().trialBalance().values().stream().allMatch(MonetaryAmount::isZero));
    }

    // ------------------------------------------------------------ calendars

    @Test
    void periods_anchoredOnThe31st_endOnTheLastDayOfShorterMonths_inTheEngineZone() {
        ZoneId shanghai = ZoneId.of("Asia/Shanghai");
        TestClock c = TestClock.at(Instant.parse("2016-01-30T16:00:00Z"), shanghai); // 2016-01-31 00:00 +08
        BillingEngine e = BillingEngine.builder().storage(storage).clock(c).zone(shanghai).build();
        e.accounts().openAccount("jan31", USD, "open");
        assertEquals(Instant.parse("2016-02-28T16:00:00Z"), e.accounts().billingProfile("jan31").openPeriod().end(),
                "leap year: 2016-02-29 00:00 +08");
        c.set(Instant.parse("2016-03-01T00:00:00Z"));
        e.runDue();
        assertEquals(Instant.parse("2016-03-30T16:00:00Z"), e.accounts().billingProfile("jan31").openPeriod().end(),
                "back to the 31st after February");
        c.set(Instant.parse("2016-04-01T00:00:00Z"));
        e.runDue();
        assertEquals(Instant.parse("2016-04-29T16:00:00Z"), e.accounts().billingProfile("jan31").openPeriod().end());
        assertEquals(Period.ofDays(28), e.charges().estimatedCharges("jan31").durationRemaining());
    }

    @Test
    void statements_ofUnknownAccount_isNotFound() {
        assertThrows(NotFoundException.class, () -> engine.charges().statements("nobody"));
        assertThrows(BillingException.class, () -> engine.accounts().billingProfile("nobody"));
    }

    // ------------------------------------------------------------ zones and rate versions

    @Test
    void renewal_isLaidOutInTheZoneOfTheAccount_whateverEngineRenewsIt() {
        BillingEngine shanghai = BillingEngine.builder().storage(storage).clock(clock).zone(ZoneId.of("Asia/Shanghai"))
                .idGenerator(IdGenerator.random()).build();
        shanghai.catalog().defineRegion(dev.billing.core.catalog.Region.available("cn", "CN"));
        shanghai.catalog().definePlan(dev.billing.core.catalog.Plan.of("p", "C", usd("1.00"),
                dev.billing.core.catalog.PlanTerm.MONTHLY, "d", "cn"));
        clock.set(Instant.parse("2016-01-30T16:30:00Z"));   // Jan 31 00:30 in Shanghai
        shanghai.wallet().recharge("sh", usd("10.00"), "r1");
        shanghai.subscriptions().checkout("sh", "p", "cn", "c1");
        Subscription first = engine.accounts().account("sh").subscriptions().get(0);
        assertEquals(Instant.parse("2016-02-28T16:30:00Z"), first.periodEnd(), "Feb 29 00:30 in Shanghai");
        clock.set(Instant.parse("2016-02-28T17:00:00Z"));
        assertEquals(1, engine.runDue().renewals(), "renewed by the UTC engine");
        Subscription renewed = engine.accounts().account("sh").subscriptions().get(0);
        assertEquals(Instant.parse("2016-02-28T16:30:00Z"), renewed.periodStart());
        assertEquals(Instant.parse("2016-03-30T16:30:00Z"), renewed.periodEnd(), "Mar 31 00:30 in Shanghai, a full month");
    }

    @Test
    void storedUsage_withNoRateInForceForItsPeriod_isRefused_neverPricedWithAnotherVersion() {
        engine.charges().defineRate(Rate.flat("LATE", "USE", "HRS", d("1.00"), USD, LocalDate.of(2017, 1, 1)));
        // usage the engine would have refused, written past it (a restore, another writer)
        storage.inTransaction(s -> {
            s.usage().insertUsage(new dev.billing.spi.UsageRecord("ran", "raw-1", "LATE", "USE", d("5"), NOW, NOW));
            return null;
        });
        ConflictException e = assertThrows(ConflictException.class, () -> engine.charges().estimatedCharges("ran"));
        assertEquals(ErrorCode.RATE_NOT_FOUND, e.code());
    }
}
