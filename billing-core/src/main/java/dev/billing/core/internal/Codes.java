package dev.billing.core.internal;

import java.util.Locale;

/** How enums are stored: as their lower-case names. Not API. */
public final class Codes {

    private Codes() {
    }

    /** @return the stored spelling of {@code value} */
    public static String code(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** @return the constant stored as {@code stored} */
    public static <E extends Enum<E>> E parse(Class<E> type, String stored) {
        return Enum.valueOf(type, stored.toUpperCase(Locale.ROOT));
    }
}
