package dev.billing.jdbc;

import static dev.billing.test.BillingAssertions.assertHistory;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.billing.core.BillingEngine;
import dev.billing.core.DueRun;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.test.BillingAssertions.HistoryLine;
import dev.billing.test.BillingFixture;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.List;
import java.util.UUID;
import org.javamoney.moneta.Money;
import org.junit.jupiter.api.Test;

/** The test kit's fixture on H2 in memory, as a host's test would build it: time travel finds what falls due. */
class BillingFixtureOnH2Test {

    @Test
    void travel_onH2InMemory_renewsAndClosesAtTheirMoments() {
        try (BillingFixture billing = BillingFixture.builder()
                .storage(JdbiStorage.h2InMemory("fixture-" + UUID.randomUUID()))
                .start("2026-01-15T10:00:00Z")
                .region(Region.available("eu-1", "Europe"))
                .plan(Plan.of("small", "C", Money.of(20, "EUR"), PlanTerm.MONTHLY, "1 CPU", "eu-1"))
                .build()) {
            BillingEngine engine = billing.engine();
            engine.wallet().recharge("acme", Money.of(100, "EUR"), "r-1");
            billing.clock().advance(Duration.ofDays(5));
            engine.subscriptions().checkout("acme", "small", "eu-1", "c-1");

            List<DueRun> runs = billing.travel(Period.ofMonths(2));

            assertEquals(List.of(Instant.parse("2026-02-15T10:00:00Z"), Instant.parse("2026-02-20T10:00:00Z"),
                    Instant.parse("2026-03-15T10:00:00Z"), Instant.parse("2026-03-20T10:00:00Z")),
                    runs.stream().map(DueRun::at).toList());
            assertHistory(engine, "acme", HistoryLine.of(TransactionKind.RECHARGE, Money.of(100, "EUR")),
                    HistoryLine.of(TransactionKind.PURCHASE, Money.of(20, "EUR")),
                    HistoryLine.of(TransactionKind.PURCHASE, Money.of(20, "EUR")),
                    HistoryLine.of(TransactionKind.PURCHASE, Money.of(20, "EUR")));
            billing.assertInvariants();
        }
    }
}
