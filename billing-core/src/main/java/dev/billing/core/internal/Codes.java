package dev.billing.core.internal;

import java.util.Locale;

/** How enums are stored: as their lower-case names. Not API. */
public final class Codes {

    private Codes() {
    }

    /** Each enum's stored spellings by ordinal, made once: codes are compared and stored on every call. */
    private static final ClassValue<String[]> SPELLINGS = new ClassValue<>() {
        @Override
        protected String[] computeValue(Class<?> type) {
            Object[] constants = type.getEnumConstants();
            String[] spellings = new String[constants.length];
            for (int i = 0; i < constants.length; i++) {
                spellings[i] = ((Enum<?>) constants[i]).name().toLowerCase(Locale.ROOT);
            }
            return spellings;
        }
    };

    /** @return the stored spelling of {@code value} */
    public static String code(Enum<?> value) {
        return SPELLINGS.get(value.getDeclaringClass())[value.ordinal()];
    }

    /** @return the constant stored as {@code stored} */
    public static <E extends Enum<E>> E parse(Class<E> type, String stored) {
        return Enum.valueOf(type, stored.toUpperCase(Locale.ROOT));
    }
}
