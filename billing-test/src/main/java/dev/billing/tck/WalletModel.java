package dev.billing.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import dev.billing.spi.StorageSnapshot;

import dev.billing.core.BillingEngine;
import dev.billing.core.BillingException;
import dev.billing.core.ErrorCode;
import dev.billing.core.InvalidRequestException;
import dev.billing.core.accounts.Account;
import dev.billing.core.catalog.Plan;
import dev.billing.core.wallet.Balance;
import dev.billing.core.wallet.Transaction;
import dev.billing.core.wallet.TransactionKind;
import dev.billing.core.wallet.TransactionStatus;
import dev.billing.core.wallet.Wallet;
import dev.billing.spi.PostingRecord;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.javamoney.moneta.Money;

/**
 * A reference model of the wallet: plain maps of decimals that say what the engine must answer.
 * {@link #apply(WalletOp)} runs one operation against both and compares; every failure is checked
 * to have left the storage unchanged.
 */
public final class WalletModel {

    /** A successful call, kept to replay it. */
    record Done(String namespace, String key, Supplier<Object> call, Object result) {
    }

    record Purchase(String namespace, String id, BigDecimal amount) {
    }

    /** A transaction the history must show: its kind, amount, status, the plan bought and what it refunds. */
    record Tx(TransactionKind kind, BigDecimal amount, TransactionStatus status, String planId, String refundOf) {
    }

    final World world;
    final BillingEngine engine;
    final Map<String, BigDecimal> balances = new TreeMap<>();
    final Map<String, BigDecimal> recharged = new HashMap<>();
    final Map<String, BigDecimal> purchased = new HashMap<>();
    final Map<String, BigDecimal> refunded = new HashMap<>();
    final List<Purchase> purchases = new ArrayList<>();
    final Map<String, Boolean> refundedIds = new HashMap<>();
    /** Per namespace, oldest first. */
    final Map<String, List<Tx>> history = new HashMap<>();
    /** Per purchase id, its plan while its subscription is active. */
    final Map<String, String> activePlans = new HashMap<>();
    final List<Done> done = new ArrayList<>();
    final Map<ErrorCode, Integer> failures = new TreeMap<>();
    private int keys;

    /** @param world the engine under test, which the model follows */
    public WalletModel(World world) {
        this.world = world;
        this.engine = world.engine;
    }

    private String nextKey() {
        return "key-" + (++keys);
    }

    /** Runs {@code op} against the engine and the model and checks that they agree. */
    public void apply(WalletOp op) {
        if (op instanceof WalletOp.Recharge r) {
            recharge(r);
        } else if (op instanceof WalletOp.Checkout c) {
            checkout(c);
        } else if (op instanceof WalletOp.Refund r) {
            refund(r);
        } else if (op instanceof WalletOp.Replay r) {
            replay(r);
        } else if (op instanceof WalletOp.KeyReuse r) {
            keyReuse(r);
        } else if (op instanceof WalletOp.Bad b) {
            bad(b);
        }
        checkInvariants();
    }

    private void recharge(WalletOp.Recharge r) {
        String key = nextKey();
        Supplier<Object> call = () -> engine.wallet().recharge(r.namespace(), Money.of(r.amount(), r.currency()), key);
        if (!r.currency().equals(World.CNY)) {
            if (!balances.containsKey(r.namespace())) {
                return; // a first recharge would open the account in that currency
            }
            expectFailure(ErrorCode.CURRENCY_MISMATCH, call);
            return;
        }
        BigDecimal next = balances.getOrDefault(r.namespace(), BigDecimal.ZERO).add(r.amount());
        Balance b = (Balance) call.get();
        assertEquals(0, next.compareTo(number(b)), "balance after recharge");
        balances.put(r.namespace(), next);
        recharged.merge(r.namespace(), r.amount(), BigDecimal::add);
        history(r.namespace()).add(new Tx(TransactionKind.RECHARGE, r.amount(), TransactionStatus.FINISH, null, null));
        done.add(new Done(r.namespace(), key, call, b));
    }

    private void checkout(WalletOp.Checkout c) {
        String key = nextKey();
        Supplier<Object> call = () -> engine.subscriptions().checkout(c.namespace(), c.plan(), c.region(), key);
        if (!balances.containsKey(c.namespace())) {
            expectFailure(ErrorCode.ACCOUNT_NOT_FOUND, call);
            return;
        }
        if (c.plan().equals(World.RETIRED)) {
            expectFailure(ErrorCode.PLAN_NOT_AVAILABLE, call);
            return;
        }
        Plan plan = engine.catalog().plan(c.plan());
        BigDecimal price = plan.price().getNumber().numberValueExact(BigDecimal.class);
        BigDecimal balance = balances.get(c.namespace());
        if (balance.compareTo(price) < 0) {
            expectFailure(ErrorCode.INSUFFICIENT_FUNDS, call);
            return;
        }
        Balance b = (Balance) call.get();
        balances.put(c.namespace(), balance.subtract(price));
        assertEquals(0, balance.subtract(price).compareTo(number(b)), "balance after checkout");
        purchased.merge(c.namespace(), price, BigDecimal::add);
        Transaction t = engine.wallet().transactions(c.namespace(), null, 1).items().get(0);
        assertEquals(0, price.compareTo(t.amount().getNumber().numberValueExact(BigDecimal.class)));
        purchases.add(new Purchase(c.namespace(), t.id(), price));
        history(c.namespace()).add(new Tx(TransactionKind.PURCHASE, price, TransactionStatus.FINISH, c.plan(), null));
        activePlans.put(t.id(), c.plan());
        done.add(new Done(c.namespace(), key, call, b));
    }

    private void refund(WalletOp.Refund r) {
        String key = nextKey();
        if (purchases.isEmpty()) {
            if (balances.containsKey(r.namespace())) {
                expectFailure(ErrorCode.TRANSACTION_NOT_FOUND, () -> engine.wallet().refund(r.namespace(), "no-such-tx", key));
            }
            return;
        }
        Purchase p = purchases.get(Math.floorMod(r.pick(), purchases.size()));
        Supplier<Object> call = () -> engine.wallet().refund(r.namespace(), p.id(), key);
        if (!balances.containsKey(r.namespace())) {
            expectFailure(ErrorCode.ACCOUNT_NOT_FOUND, call);
            return;
        }
        if (!p.namespace().equals(r.namespace())) {
            expectFailure(ErrorCode.TRANSACTION_NOT_FOUND, call);
            return;
        }
        if (refundedIds.containsKey(p.id())) {
            expectFailure(ErrorCode.ALREADY_REFUNDED, call);
            return;
        }
        Transaction t = (Transaction) call.get();
        BigDecimal next = balances.get(r.namespace()).add(p.amount());
        balances.put(r.namespace(), next);
        refunded.merge(r.namespace(), p.amount(), BigDecimal::add);
        refundedIds.put(p.id(), true);
        List<Tx> own = history(r.namespace());
        int at = indexOfPurchase(r.namespace(), p.id());
        Tx bought = own.get(at);
        own.set(at, new Tx(bought.kind(), bought.amount(), TransactionStatus.REFUNDED, bought.planId(), null));
        own.add(new Tx(TransactionKind.REFUND, p.amount(), TransactionStatus.FINISH, bought.planId(), p.id()));
        activePlans.remove(p.id());
        assertEquals(0, next.compareTo(t.balanceAfter().getNumber().numberValueExact(BigDecimal.class)));
        done.add(new Done(r.namespace(), key, call, t));
    }

    private void replay(WalletOp.Replay r) {
        if (done.isEmpty()) {
            return;
        }
        Done d = done.get(Math.floorMod(r.pick(), done.size()));
        StorageSnapshot before = world.snapshot();
        Object again = d.call().get();
        assertEquals(d.result(), again, "a replay answered differently");
        assertEquals(before, world.snapshot(), "a replay changed the storage");
    }

    private void keyReuse(WalletOp.KeyReuse r) {
        if (done.isEmpty()) {
            return;
        }
        Done d = done.get(Math.floorMod(r.pick(), done.size()));
        Supplier<Object> other = Math.floorMod(r.pick(), 2) == 0
                ? () -> engine.wallet().recharge(d.namespace(), Money.of(new BigDecimal("999999.99"), World.CNY), d.key())
                : () -> engine.subscriptions().checkout(d.namespace(), World.LARGE, "cn-north-1", d.key());
        expectFailure(ErrorCode.IDEMPOTENCY_CONFLICT, other);
    }

    private void bad(WalletOp.Bad b) {
        String key = nextKey();
        boolean open = balances.containsKey(b.namespace());
        ErrorCode code = ErrorCode.INVALID_REQUEST;
        Supplier<Object> call;
        switch (Math.floorMod(b.variant(), 12)) {
            case 0 -> call = () -> engine.wallet().recharge(null, World.cny("1"), key);
            case 1 -> call = () -> engine.wallet().recharge(" ", World.cny("1"), key);
            case 2 -> call = () -> engine.wallet().recharge("x".repeat(65), World.cny("1"), key);
            case 3 -> call = () -> engine.wallet().recharge(b.namespace(), World.cny("0.001"), key);
            case 4 -> call = () -> engine.wallet().recharge(b.namespace(), World.cny("-5"), key);
            case 5 -> call = () -> engine.wallet().recharge(b.namespace(), World.cny("0"), key);
            case 6 -> call = () -> engine.wallet().recharge(b.namespace(), World.cny("1"), "");
            case 7 -> call = () -> engine.subscriptions().checkout(b.namespace(), "", "aws", key);
            case 8 -> call = () -> engine.wallet().recharge("bad\u0007ns", World.cny("1"), key);
            case 9 -> {
                call = () -> engine.subscriptions().checkout(b.namespace(), "no-such-plan", "aws", key);
                code = open ? ErrorCode.PLAN_NOT_FOUND : ErrorCode.ACCOUNT_NOT_FOUND;
            }
            case 10 -> {
                call = () -> engine.subscriptions().checkout(b.namespace(), World.SMALL, "no-such-region", key);
                code = open ? ErrorCode.REGION_NOT_FOUND : ErrorCode.ACCOUNT_NOT_FOUND;
            }
            default -> {
                call = () -> engine.subscriptions().checkout(b.namespace(), World.CLOSED_REGION_PLAN, "closed-1", key);
                code = open ? ErrorCode.REGION_NOT_AVAILABLE : ErrorCode.ACCOUNT_NOT_FOUND;
            }
        }
        expectFailure(code, call);
    }

    /** Expects {@code call} to fail with {@code code} and to change nothing. */
    private void expectFailure(ErrorCode code, Supplier<Object> call) {
        StorageSnapshot before = world.snapshot();
        try {
            Object result = call.get();
            fail("expected " + code + " but the call answered " + result);
        } catch (BillingException e) {
            assertEquals(code, e.code(), e.getMessage());
            if (e instanceof InvalidRequestException ire) {
                assertNotNull(ire.field());
            }
        }
        assertEquals(before, world.snapshot(), "a failed call changed the storage");
        failures.merge(code, 1, Integer::sum);
    }

    private List<Tx> history(String namespace) {
        return history.computeIfAbsent(namespace, n -> new ArrayList<>());
    }

    /** @return the index of purchase {@code id} in its namespace's history */
    private int indexOfPurchase(String namespace, String id) {
        int n = 0;
        for (Purchase p : purchases) {
            if (p.namespace().equals(namespace)) {
                if (p.id().equals(id)) {
                    break;
                }
                n++;
            }
        }
        List<Tx> own = history(namespace);
        for (int i = 0, seen = 0; i < own.size(); i++) {
            if (own.get(i).kind() == TransactionKind.PURCHASE && seen++ == n) {
                return i;
            }
        }
        throw new AssertionError("no purchase " + id + " in the model's history of " + namespace);
    }

    /**
     * The engine's history of each namespace (kinds, amounts, statuses, plans, refunded purchases,
     * newest first) and its active plans are the model's.
     */
    public void checkHistory() {
        for (String ns : balances.keySet()) {
            List<Tx> actual = new ArrayList<>();
            for (Transaction t : engine.wallet().transactions(ns, null, Wallet.MAX_PAGE).items()) {
                actual.add(0, new Tx(t.kind(), t.amount().getNumber().numberValueExact(BigDecimal.class).stripTrailingZeros(),
                        t.status(), t.planId(), t.refundOf()));
            }
            List<Tx> expected = history(ns).stream().map(x -> new Tx(x.kind(), x.amount().stripTrailingZeros(), x.status(),
                    x.planId(), x.refundOf())).toList();
            assertEquals(expected, actual, "the history of " + ns);
            List<String> plans = purchases.stream().filter(p -> p.namespace().equals(ns) && activePlans.containsKey(p.id()))
                    .map(p -> activePlans.get(p.id())).sorted().toList();
            Account a = engine.accounts().account(ns);
            assertEquals(plans, a.plans().stream().map(Plan::id).sorted().toList(), "active plans of " + ns);
            assertEquals(!plans.isEmpty(), a.purchased(), "purchased of " + ns);
        }
    }

    /** Balance = recharges - purchases + refunds = sum of wallet postings, never below zero; the ledger sums to zero. */
    public void checkInvariants() {
        StorageSnapshot s = world.snapshot();
        Map<String, BigDecimal> walletPostings = new HashMap<>();
        BigDecimal all = BigDecimal.ZERO;
        for (PostingRecord p : s.postings()) {
            all = all.add(p.amount());
            if (p.ledgerAccount().startsWith("wallet:")) {
                walletPostings.merge(p.ledgerAccount().substring("wallet:".length()), p.amount(), BigDecimal::add);
            }
        }
        assertEquals(0, all.signum(), "postings sum to zero");
        for (var e : balances.entrySet()) {
            String ns = e.getKey();
            BigDecimal expected = recharged.getOrDefault(ns, BigDecimal.ZERO)
                    .subtract(purchased.getOrDefault(ns, BigDecimal.ZERO))
                    .add(refunded.getOrDefault(ns, BigDecimal.ZERO));
            assertEquals(0, expected.compareTo(e.getValue()), "model arithmetic");
            BigDecimal actual = number(engine.wallet().balance(ns));
            assertEquals(0, expected.compareTo(actual), "balance of " + ns + " = recharges - purchases + refunds");
            assertEquals(0, actual.compareTo(walletPostings.getOrDefault(ns, BigDecimal.ZERO)), "balance = sum of postings");
            assertTrue(actual.signum() >= 0, "balance never below zero");
        }
        assertEquals(balances.size(), s.accounts().size(), "accounts");
    }

    /** Replays every successful call and checks it answers the same and changes nothing. */
    public void replayAll() {
        StorageSnapshot before = world.snapshot();
        for (Done d : done) {
            assertEquals(d.result(), d.call().get(), "replay of " + d.key());
        }
        assertEquals(before, world.snapshot(), "replays changed the storage");
    }

    /** @return how often each refusal happened, for the properties' statistics */
    public Map<ErrorCode, Integer> failures() {
        return failures;
    }

    private static BigDecimal number(Balance b) {
        return b.amount().getNumber().numberValueExact(BigDecimal.class);
    }
}
