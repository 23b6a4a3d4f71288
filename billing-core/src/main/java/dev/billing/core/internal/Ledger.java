package dev.billing.core.internal;

/** The names of the ledger's accounts, and the payment methods the engine writes itself. Not API. */
public final class Ledger {

    /** The payment method of everything paid from the wallet. */
    public static final String BALANCE_PAYMENT = "balance";
    /** The ledger account (and payment method) of operator adjustments. */
    public static final String ADJUSTMENTS = "adjustment";
    /** Revenue from plans. */
    public static final String REVENUE_PLANS = "revenue:plans";
    /** Revenue from metered usage. */
    public static final String REVENUE_USAGE = "revenue:usage";

    private Ledger() {
    }

    /** @return the wallet of {@code namespace} */
    public static String wallet(String namespace) {
        return "wallet:" + namespace;
    }

    /** @return what {@code namespace} owes from periods its wallet could not cover */
    public static String receivable(String namespace) {
        return "receivable:" + namespace;
    }

    /** @return where recharges paid by {@code paymentMethod} come from */
    public static String funding(String paymentMethod) {
        return "funding:" + paymentMethod;
    }
}
