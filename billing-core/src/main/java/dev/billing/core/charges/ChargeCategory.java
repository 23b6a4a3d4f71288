package dev.billing.core.charges;

/** The kind of a line of estimated charges, as the estimated-charges API writes it. */
public enum ChargeCategory {
    /** Metered usage priced by the rate card. */
    CHARGE,
    /** A commit discount, negative. */
    DISCOUNT
}
