package com.example.paas;

import static dev.billing.core.wallet.TransactionKind.DEBT_PAYMENT;
import static dev.billing.core.wallet.TransactionKind.PURCHASE;
import static dev.billing.core.wallet.TransactionKind.RECHARGE;
import static dev.billing.core.wallet.TransactionKind.USAGE_CHARGE;
import static dev.billing.test.BillingAssertions.assertHistory;
import static dev.billing.test.BillingAssertions.assertStatement;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.billing.core.BillingEngine;
import dev.billing.core.accounts.AccountStatus;
import dev.billing.core.usage.UsageEvent;
import dev.billing.http.CatalogFile;
import dev.billing.test.BillingAssertions.HistoryLine;
import dev.billing.test.BillingAssertions.StatementLine;
import dev.billing.test.BillingFixture;
import dev.billing.test.BillingTest;
import dev.billing.test.TestClock;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A customer's first two months on our PaaS, as our billing code sees them. */
@BillingTest(start = "2026-01-05T09:00:00Z")
class CustomerLifecycleTest {

    @BeforeEach
    void catalog(BillingEngine engine) throws Exception {
        CatalogFile.apply(Path.of("src/test/resources/catalog.json"), engine);
    }

    private static Money cny(String amount) {
        return Money.of(new BigDecimal(amount), "CNY");
    }

    /** One database running: an hourly usage event, for so many days. */
    private static void runDatabase(BillingEngine engine, TestClock clock, int days) {
        for (int hour = 0; hour < days * 24; hour++) {
            engine.usage().ingest(new UsageEvent("db-" + clock.instant(), "acme", "DBAAS", "UPTIME", BigDecimal.ONE,
                    clock.instant()));
            clock.advance(Duration.ofHours(1));
        }
    }

    @Test
    void rechargeBuyUseRenewStatementArrearsAndPayBack(BillingFixture billing, BillingEngine engine, TestClock clock) {
        engine.wallet().recharge("acme", cny("100"), "alipay-1");
        engine.subscriptions().checkout("acme", "c-small", "cn-north-1", "order-1");   // 80 left

        runDatabase(engine, clock, 30);         // 720 hours at 0.05
        billing.travel(Duration.ofDays(1));     // Feb 5: the period closes (36.00), c-small renews (20.00)
        assertStatement(engine.charges().statements("acme").get(0), cny("36"),
                StatementLine.of("DBAAS", "UPTIME", new BigDecimal("720"), cny("36")));
        assertEquals(cny("24"), engine.wallet().balance("acme").amount());

        runDatabase(engine, clock, 27);         // 648 hours: 32.40, more than the wallet holds
        billing.travel(Duration.ofDays(1));     // Mar 5: the wallet pays its 24.00, 8.40 is debt
        assertEquals(AccountStatus.SUSPENDED, engine.wallet().balance("acme").status());

        engine.wallet().recharge("acme", cny("50"), "alipay-2");   // pays the debt first
        assertEquals(AccountStatus.ACTIVE, engine.wallet().balance("acme").status());
        assertEquals(cny("41.60"), engine.wallet().balance("acme").amount());
        assertHistory(engine, "acme",
                HistoryLine.of(RECHARGE, cny("100")),
                HistoryLine.of(PURCHASE, cny("20")),
                HistoryLine.of(USAGE_CHARGE, cny("36")),
                HistoryLine.of(PURCHASE, cny("20")),
                HistoryLine.of(USAGE_CHARGE, cny("32.40")),   // 24.00 paid, 8.40 owed
                HistoryLine.of(RECHARGE, cny("50")),
                HistoryLine.of(DEBT_PAYMENT, cny("8.40")));
    }
}
