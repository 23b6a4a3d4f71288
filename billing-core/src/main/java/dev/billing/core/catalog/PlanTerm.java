package dev.billing.core.catalog;

import java.time.Period;
import java.util.Locale;

/**
 * A plan's term: how long one purchase of the plan lasts, and so how often a subscription to it renews.
 * The v1 payment API writes it two ways ({@code "M"} and {@code "monthly"}): {@link #parse(String)}
 * accepts both, in any case. (Not to be confused with an account's billing cycle, which lays out the
 * billing periods that metered usage is charged in.)
 */
public enum PlanTerm {
    /** Every day. */
    DAILY("D", "daily", Period.ofDays(1)),
    /** Every week. */
    WEEKLY("W", "weekly", Period.ofWeeks(1)),
    /** Every month; a period that starts on the 31st ends on the last day of a shorter month. */
    MONTHLY("M", "monthly", Period.ofMonths(1)),
    /** Every three months. */
    QUARTERLY("Q", "quarterly", Period.ofMonths(3)),
    /** Every year. */
    YEARLY("Y", "yearly", Period.ofYears(1));

    private final String letter;
    private final String word;
    private final Period length;

    PlanTerm(String letter, String word, Period length) {
        this.letter = letter;
        this.word = word;
        this.length = length;
    }

    /** @return the one-letter spelling, such as {@code M} */
    public String letter() {
        return letter;
    }

    /** @return the word spelling, such as {@code monthly}; this is how storages keep it */
    public String word() {
        return word;
    }

    /** @return the calendar length of one period */
    public Period length() {
        return length;
    }

    /**
     * Reads either spelling, case-insensitively: {@code M}, {@code m}, {@code monthly}, {@code MONTHLY}.
     *
     * @param text the spelling
     * @return the period
     * @throws IllegalArgumentException when the text is null or names no period
     */
    public static PlanTerm parse(String text) {
        if (text != null) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            for (PlanTerm p : values()) {
                if (p.letter.toLowerCase(Locale.ROOT).equals(t) || p.word.equals(t)) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("term: unknown plan term '" + text
                + "' (expected one of D, W, M, Q, Y or daily, weekly, monthly, quarterly, yearly)");
    }
}
