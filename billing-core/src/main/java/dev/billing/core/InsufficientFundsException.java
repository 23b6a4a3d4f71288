package dev.billing.core;

import javax.money.MonetaryAmount;

/** The balance does not cover a debit. Nothing was debited. Immutable and thread-safe. */
public final class InsufficientFundsException extends BillingException {

    private static final long serialVersionUID = 1L;

    private final transient MonetaryAmount balance;
    private final transient MonetaryAmount required;

    /**
     * @param namespace the account
     * @param balance its balance when the debit was refused
     * @param required what the debit needed
     */
    public InsufficientFundsException(String namespace, MonetaryAmount balance, MonetaryAmount required) {
        super(ErrorCode.INSUFFICIENT_FUNDS, null,
                "namespace " + namespace + ": balance " + balance + " does not cover " + required, null);
        this.balance = balance;
        this.required = required;
    }

    /** @return the balance when the debit was refused */
    public MonetaryAmount balance() {
        return balance;
    }

    /** @return the amount the debit needed */
    public MonetaryAmount required() {
        return required;
    }
}
