package dev.billing.tck;

import dev.billing.core.ErrorCode;
import dev.billing.spi.BillingStorage;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the wallet over random sequences of recharges, checkouts, refunds, replays, key
 * re-uses and malformed requests, written once for every storage: extend it and implement
 * {@link #newStorage()}. The reference model ({@link WalletModel}) checks after every step that the
 * balance equals recharges - purchases + refunds and the sum of the wallet's postings, that it never
 * goes below zero, that the ledger sums to zero, and that every failed call left the storage
 * unchanged.
 */
public abstract class WalletProperties {

    /** @return a new, empty storage; the property closes it */
    protected abstract BillingStorage newStorage();

    @Provide
    Arbitrary<List<WalletOp>> scenarios() {
        return WalletArbitraries.ops().list().ofMinSize(1).ofMaxSize(40);
    }

    private WalletModel run(List<WalletOp> ops) {
        World world = new World(newStorage());
        try {
            WalletModel model = new WalletModel(world);
            ops.forEach(model::apply);
            model.checkHistory();
            return model;
        } finally {
            world.close();
        }
    }

    /** (1) balance = recharges - purchases + refunds = sum of postings; (2) never below zero. */
    @Property
    void anySequence_keepsBalanceEqualToMovementsAndPostings(@ForAll("scenarios") List<WalletOp> ops) {
        WalletModel model = run(ops);
        Statistics.label("insufficient funds").collect(model.failures().containsKey(ErrorCode.INSUFFICIENT_FUNDS));
        Statistics.label("already refunded").collect(model.failures().containsKey(ErrorCode.ALREADY_REFUNDED));
        Statistics.label("refund done").collect(!model.refundedIds.isEmpty());
        if (checksCoverage()) {
            Statistics.label("insufficient funds").coverage(c -> c.check(true).percentage(p -> p > 10));
        }
        if (checksCoverage()) {
            Statistics.label("refund done").coverage(c -> c.check(true).percentage(p -> p > 10));
        }
    }

    /** (3) replaying every successful call with its key answers the same and changes nothing. */
    @Property
    void replayingAnyCallWithItsKey_changesNothing(@ForAll("scenarios") List<WalletOp> ops) {
        World world = new World(newStorage());
        try {
            WalletModel model = new WalletModel(world);
            ops.forEach(model::apply);
            model.replayAll();
            model.checkInvariants();
            Statistics.label("calls replayed").collect(model.done.size() > 3 ? "more than 3" : "up to 3");
        } finally {
            world.close();
        }
    }

    /** (4) every failed call (bad input, insufficient funds, conflicts) leaves the storage unchanged. */
    @Property
    void failedCalls_leaveStorageUnchanged(@ForAll("scenarios") @Size(min = 5) List<WalletOp> ops) {
        WalletModel model = run(ops);
        Statistics.label("failures").collect(model.failures().isEmpty() ? "none" : "some");
        if (checksCoverage()) {
            Statistics.label("failures").coverage(c -> c.check("some").percentage(p -> p > 50));
        }
    }

    /**
     * @return whether the properties check their generators' coverage (jqwik statistics); a storage
     *     that runs fewer tries, where the percentages wander, turns it off (the generators are the
     *     same on every storage, and the in-memory and H2 runs check them)
     */
    protected boolean checksCoverage() {
        return true;
    }
}
