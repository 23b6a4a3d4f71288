package dev.billing.tck;

import java.math.BigDecimal;

/** An operation of a generated wallet scenario; keys are given when the scenario runs. */
public sealed interface WalletOp {

    /** Credit {@code amount} CNY (or a currency-mismatched amount when {@code currency} is not CNY). */
    record Recharge(String namespace, BigDecimal amount, String currency) implements WalletOp {
    }

    /** Buy {@code plan} in {@code region}. */
    record Checkout(String namespace, String plan, String region) implements WalletOp {
    }

    /** Refund the {@code pick}-th (modulo) purchase seen so far of any namespace, through {@code namespace}. */
    record Refund(String namespace, int pick) implements WalletOp {
    }

    /** Replay the {@code pick}-th (modulo) successful operation so far, with its key and request. */
    record Replay(int pick) implements WalletOp {
    }

    /** Re-use the key of the {@code pick}-th successful operation for a different request. */
    record KeyReuse(int pick) implements WalletOp {
    }

    /** A malformed request of kind {@code variant}. */
    record Bad(int variant, String namespace) implements WalletOp {
    }
}
