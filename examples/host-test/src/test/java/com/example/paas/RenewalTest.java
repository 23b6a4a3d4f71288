package com.example.paas;

import static dev.billing.core.wallet.TransactionKind.PURCHASE;
import static dev.billing.core.wallet.TransactionKind.RECHARGE;
import static dev.billing.test.BillingAssertions.assertHistory;

import dev.billing.core.BillingEngine;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.test.BillingAssertions.HistoryLine;
import dev.billing.test.BillingFixture;
import dev.billing.test.BillingTest;
import java.time.Period;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The README's "Testing your billing code" example, as it is printed there, so that the build proves it compiles and passes. */
@BillingTest(start = "2026-01-05T09:00:00Z")
class RenewalTest {
    @BeforeEach
    void catalog(BillingEngine engine) {   // or the server's catalog file: CatalogFile.apply(path, engine), in billing-http
        engine.catalog().defineRegion(Region.available("cn-north-1", "North"));
        engine.catalog().definePlan(Plan.of("c-small", "C", Money.of(20, "CNY"), PlanTerm.MONTHLY, "1 CPU", "cn-north-1"));
    }

    @Test
    void renewsFromTheWallet(BillingFixture billing, BillingEngine engine) {
        engine.wallet().recharge("acme", Money.of(100, "CNY"), "r-1");
        engine.subscriptions().checkout("acme", "c-small", "cn-north-1", "c-1");
        billing.travel(Period.ofMonths(2));                   // two renewals, two statements
        assertHistory(engine, "acme", HistoryLine.of(RECHARGE, Money.of(100, "CNY")),
                HistoryLine.of(PURCHASE, Money.of(20, "CNY")), HistoryLine.of(PURCHASE, Money.of(20, "CNY")),
                HistoryLine.of(PURCHASE, Money.of(20, "CNY")));
    }
}
