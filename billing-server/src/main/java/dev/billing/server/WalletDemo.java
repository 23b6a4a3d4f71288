package dev.billing.server;

import dev.billing.core.BillingEngine;
import dev.billing.core.InsufficientFundsException;
import dev.billing.core.accounts.Account;
import dev.billing.core.catalog.Plan;
import dev.billing.core.catalog.PlanStatus;
import dev.billing.core.catalog.PlanTerm;
import dev.billing.core.catalog.Region;
import dev.billing.core.wallet.Balance;
import dev.billing.core.wallet.Transaction;
import dev.billing.jdbc.JdbiStorage;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import javax.money.MonetaryAmount;
import org.javamoney.moneta.Money;

/**
 * Runs the v1 payment API document's story, as library calls, on an H2 file database: regions, the market, a recharge, a checkout,
 * a refused checkout, a refund, the transactions and the balance, printed readably.
 *
 * <p>Usage: {@code WalletDemo [database-path]}; by default a fresh database under {@code target/demo-db}.
 */
public final class WalletDemo {

    private WalletDemo() {
    }

    /**
     * @param args optionally, the database path (without H2's {@code .mv.db} suffix)
     * @throws Exception when the database cannot be created
     */
    public static void main(String[] args) throws Exception {
        // JDBI logs through SLF4J; the demo has no SLF4J provider and wants no warning about it.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path db = args.length > 0 ? Path.of(args[0])
                : Files.createDirectories(Path.of("target", "demo-db")).resolve("billing-" + UUID.randomUUID());
        try (JdbiStorage storage = JdbiStorage.h2File(db)) {
            BillingEngine engine = BillingEngine.builder().storage(storage).zone(ZoneId.of("Asia/Shanghai")).build();
            out.println("Billing engine on " + storage.describe());
            run(engine, out);
        }
    }

    static void run(BillingEngine engine, PrintStream out) {
        engine.catalog().defineRegion(Region.available("cn-north-1", "铸造一区"));
        engine.catalog().defineRegion(Region.available("cn-north-2", "铸造二区"));
        engine.catalog().defineRegion(Region.available("aws", "AWS"));
        engine.catalog().definePlan(new Plan("c-small", "C", "S", "asdwe", cny("20"), PlanTerm.parse("M"),
                "1 CPU Core, 512M Memory", "aws", PlanStatus.AVAILABLE, null));
        engine.catalog().definePlan(Plan.of("c-medium", "C", cny("40.88"), PlanTerm.parse("M"), "2 CPU Cores, 1G Memory", "aws"));
        engine.catalog().definePlan(Plan.of("c-large", "C", cny("88.88"), PlanTerm.parse("M"), "4 CPU Cores, 2G Memory", "aws"));

        out.println();
        out.println("GET regions");
        engine.catalog().regions().forEach(r -> out.printf("  %-12s %s%n", r.id(), r.description()));

        out.println();
        out.println("GET market?region=aws&type=c");
        List<Plan> market = engine.catalog().market("aws", "c");
        market.forEach(p -> out.printf("  %-9s type=%s price=%s bill_period=%s  %s%n", p.id(), p.type(), money(p.price()),
                p.term().letter(), p.description()));

        out.println();
        out.println("POST recharge chaizs 100.00");
        print(out, engine.wallet().recharge("chaizs", cny("100.00"), "demo-recharge-1"));
        out.println("POST recharge chaizs 100.00 again with the same idempotency key (nothing changes)");
        print(out, engine.wallet().recharge("chaizs", cny("100.00"), "demo-recharge-1"));

        out.println();
        out.println("POST checkout chaizs c-medium in aws");
        print(out, engine.subscriptions().checkout("chaizs", "c-medium", "aws", "demo-checkout-1"));
        out.println("POST checkout chaizs c-large in aws");
        try {
            engine.subscriptions().checkout("chaizs", "c-large", "aws", "demo-checkout-2");
        } catch (InsufficientFundsException e) {
            out.println("  refused: " + e.code().code() + " (" + e.getMessage() + ")");
        }
        out.println("POST checkout chaizs c-small in aws");
        print(out, engine.subscriptions().checkout("chaizs", "c-small", "aws", "demo-checkout-3"));

        String small = engine.wallet().transactions("chaizs", null, 1).items().get(0).id();
        out.println();
        out.println("POST refund of the c-small purchase");
        Transaction refund = engine.wallet().refund("chaizs", small, "demo-refund-1");
        out.printf("  refund %s of %s, balance after %s%n", refund.id(), money(refund.amount()),
                money(refund.balanceAfter()));

        out.println();
        out.println("GET account?namespace=chaizs");
        Account a = engine.accounts().account("chaizs");
        out.printf("  purchased=%s status=%s balance=%s plans=%s%n", a.purchased(),
                a.status().name().toLowerCase(java.util.Locale.ROOT), money(a.balance()),
                a.plans().stream().map(Plan::id).toList());

        out.println();
        out.println("GET amounts?namespace=chaizs (newest first)");
        for (Transaction t : engine.wallet().transactions("chaizs", null, 20).items()) {
            out.printf("  %-9s %-8s %10s  %-8s %-9s %s%n", t.kind().name().toLowerCase(java.util.Locale.ROOT),
                    t.status().name().toLowerCase(java.util.Locale.ROOT), plain(t.amount()), t.paymentMethod(),
                    "after " + plain(t.balanceAfter()), t.description());
        }

        out.println();
        out.println("GET balance?namespace=chaizs");
        print(out, engine.wallet().balance("chaizs"));
        out.println("ledger: wallet postings sum " + money(engine.wallet().ledgerBalance("chaizs"))
                + ", trial balance (sum of all postings) " + engine.wallet().trialBalance().values().stream().map(WalletDemo::money).toList());
    }

    private static void print(PrintStream out, Balance b) {
        out.println("  balance=" + money(b.amount()) + " status=" + b.status().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** @return e.g. {@code CNY 20.00}: the currency code and the number at the currency's digits */
    private static String money(MonetaryAmount amount) {
        return amount.getCurrency().getCurrencyCode() + " " + plain(amount);
    }

    private static String plain(MonetaryAmount amount) {
        return amount.getNumber().numberValueExact(BigDecimal.class)
                .setScale(amount.getCurrency().getDefaultFractionDigits()).toPlainString();
    }

    private static Money cny(String amount) {
        return Money.of(new BigDecimal(amount), "CNY");
    }
}
