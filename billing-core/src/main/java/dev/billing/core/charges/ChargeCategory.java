package dev.billing.core.charges;

/** The kind of a line of estimated charges, as the seed writes it. */
public enum ChargeCategory {
    /** Metered usage priced by the rate card. */
    CHARGE,
    /** A commit discount, negative. */
    DISCOUNT
}
