package dev.billing.test;

import dev.billing.core.BillingEngine;
import dev.billing.core.payments.Payment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.money.MonetaryAmount;

/**
 * A payment provider for tests: what a host's integration with a real one (Alipay, Stripe, ...) does,
 * without the network. {@link #start} is the host starting a payment at the provider (it gets the
 * provider's reference) and telling the engine ({@code payments().begin}); {@link #pay} and
 * {@link #decline} are the provider's callbacks reaching the host, which hands them to the engine
 * ({@code confirm}, {@code fail}); {@link #redeliver} sends the last callback of a payment again, as
 * providers do when they did not see an answer.
 *
 * <pre>{@code
 * FakePaymentProvider alipay = new FakePaymentProvider(fixture.engine(), "alipay");
 * String ref = alipay.start("acme", Money.of(100, "CNY"));   // pending: nothing credited
 * alipay.pay(ref);                                             // credited once
 * alipay.redeliver(ref);                                       // the callback again: nothing more
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class FakePaymentProvider {

    private final BillingEngine engine;
    private final String name;
    private final AtomicInteger references = new AtomicInteger();
    private final Map<String, Supplier<Payment>> lastCallback = new HashMap<>();
    private final List<String> callbacks = new ArrayList<>();

    /**
     * @param engine the host's engine, which the callbacks reach
     * @param name the provider's name, as the engine records it ({@code funding:<name>} in the ledger)
     */
    public FakePaymentProvider(BillingEngine engine, String name) {
        this.engine = engine;
        this.name = name;
    }

    /** @return the provider's name */
    public String name() {
        return name;
    }

    /**
     * Starts a payment at the provider and records it with the engine as pending.
     *
     * @param namespace the account to credit
     * @param amount the amount
     * @return the provider's reference for it, {@code <name>-1}, {@code <name>-2}, ...
     */
    public String start(String namespace, MonetaryAmount amount) {
        String ref = name + "-" + references.incrementAndGet();
        engine.payments().begin(namespace, amount, name, ref);
        return ref;
    }

    /**
     * The provider took the money: its confirmation callback reaches the engine.
     *
     * @param reference the payment
     * @return what the engine answered
     */
    public Payment pay(String reference) {
        return callback(reference, "paid", () -> engine.payments().confirm(name, reference));
    }

    /**
     * The provider declined: its failure callback reaches the engine.
     *
     * @param reference the payment
     * @param reason the provider's reason
     * @return what the engine answered
     */
    public Payment decline(String reference, String reason) {
        return callback(reference, "declined", () -> engine.payments().fail(name, reference, reason));
    }

    /**
     * Starts a payment and pays it at once: a recharge through this provider.
     *
     * @param namespace the account
     * @param amount the amount
     * @return the confirmed payment
     */
    public Payment payNow(String namespace, MonetaryAmount amount) {
        return pay(start(namespace, amount));
    }

    /**
     * Sends the last callback of a payment again, as a provider that saw no answer does.
     *
     * @param reference the payment
     * @return what the engine answered this time
     * @throws IllegalStateException when no callback was sent for it yet
     */
    public Payment redeliver(String reference) {
        Supplier<Payment> last;
        synchronized (this) {
            last = lastCallback.get(reference);
        }
        if (last == null) {
            throw new IllegalStateException("no callback was sent for " + reference + " yet");
        }
        synchronized (this) {
            callbacks.add("again " + reference);
        }
        return last.get();
    }

    /** @return every callback sent, in order, such as {@code paid alipay-1}, {@code again alipay-1} */
    public synchronized List<String> callbacks() {
        return List.copyOf(callbacks);
    }

    private Payment callback(String reference, String what, Supplier<Payment> call) {
        synchronized (this) {
            lastCallback.put(reference, call);
            callbacks.add(what + " " + reference);
        }
        return call.get();
    }
}
