package dev.billing.tck;

import dev.billing.spi.BillingStorage;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * (5) A stateful property: action chains of wallet operations run against the engine and the
 * reference model side by side, with the ledger invariants checked after every action. Written once
 * for every storage: extend it and implement {@link #newStorage()}.
 */
public abstract class WalletChainProperties {

    /** @return a new, empty storage */
    protected abstract BillingStorage newStorage();

    @Property
    void engineAgreesWithReferenceModel(@ForAll("chains") ActionChain<WalletModel> chain) {
        WalletModel last = chain.withInvariant("balance = movements = postings >= 0", WalletModel::checkInvariants)
                .withInvariant("history and plans as the model's", WalletModel::checkHistory).run();
        last.world.close();
    }

    @Provide
    Arbitrary<ActionChain<WalletModel>> chains() {
        return ActionChain.<WalletModel>startWith(() -> new WalletModel(new World(newStorage())))
                .withAction(4, op(WalletArbitraries.recharges()))
                .withAction(4, op(WalletArbitraries.checkouts()))
                .withAction(2, refundAction())
                .withAction(1, replayAction())
                .withMaxTransformations(30);
    }

    private static Action.Independent<WalletModel> op(Arbitrary<? extends WalletOp> ops) {
        return () -> ops.map(op -> Transformer.mutate(op.toString(), model -> model.apply(op)));
    }

    /** Refunds only once there are purchases to refund. */
    private static Action.Dependent<WalletModel> refundAction() {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(WalletModel model) {
                return !model.purchases.isEmpty();
            }

            @Override
            public Arbitrary<Transformer<WalletModel>> transformer(WalletModel model) {
                return WalletArbitraries.refunds().map(op -> Transformer.mutate(op.toString(), m -> m.apply(op)));
            }
        };
    }

    private static Action.Dependent<WalletModel> replayAction() {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(WalletModel model) {
                return !model.done.isEmpty();
            }

            @Override
            public Arbitrary<Transformer<WalletModel>> transformer(WalletModel model) {
                return net.jqwik.api.Arbitraries.integers().between(0, model.done.size() - 1)
                        .map(i -> Transformer.mutate("replay " + i, m -> m.apply(new WalletOp.Replay(i))));
            }
        };
    }
}
