package dev.billing.tck;

import java.math.BigDecimal;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of wallet operations. */
public final class WalletArbitraries {

    private WalletArbitraries() {
    }

    /** @return a few namespaces, so that operations meet on the same accounts */
    public static Arbitrary<String> namespaces() {
        return Arbitraries.of("hello", "chaizs", "铸造-org");
    }

    /** CNY amounts from 0.01 to 150.00, biased to the edges. */
    public static Arbitrary<BigDecimal> amounts() {
        return Arbitraries.bigDecimals().between(new BigDecimal("0.01"), new BigDecimal("150.00")).ofScale(2)
                .edgeCases(c -> c.includeOnly(new BigDecimal("0.01"), new BigDecimal("150.00")));
    }

    /** @return recharges, in CNY but now and then in USD (which the accounts refuse) */
    public static Arbitrary<WalletOp.Recharge> recharges() {
        Arbitrary<String> currency = Arbitraries.frequency(
                net.jqwik.api.Tuple.of(12, World.CNY), net.jqwik.api.Tuple.of(1, "USD"));
        return Combinators.combine(namespaces(), amounts(), currency).as(WalletOp.Recharge::new);
    }

    /** @return checkouts of the world's plans, sellable or not */
    public static Arbitrary<WalletOp.Checkout> checkouts() {
        Arbitrary<List<String>> planAndRegion = Arbitraries.of(
                List.of(World.SMALL, "aws"), List.of(World.MEDIUM, "aws"), List.of(World.LARGE, "aws"),
                List.of(World.NORMAL, "cn-north-1"), List.of(World.RETIRED, "aws"));
        return Combinators.combine(namespaces(), planAndRegion)
                .as((ns, pr) -> new WalletOp.Checkout(ns, pr.get(0), pr.get(1)));
    }

    /** @return refunds of one of the purchases made so far, asked through any namespace (its own or not) */
    public static Arbitrary<WalletOp.Refund> refunds() {
        return Combinators.combine(namespaces(), Arbitraries.integers().between(0, 50)).as(WalletOp.Refund::new);
    }

    /** @return any operation of the wallet chain */
    public static Arbitrary<WalletOp> ops() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, recharges()),
                net.jqwik.api.Tuple.of(6, checkouts()),
                net.jqwik.api.Tuple.of(3, refunds()),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(0, 50).map(WalletOp.Replay::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 50).map(WalletOp.KeyReuse::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(Arbitraries.integers().between(0, 11), namespaces())
                        .as(WalletOp.Bad::new)));
    }
}
