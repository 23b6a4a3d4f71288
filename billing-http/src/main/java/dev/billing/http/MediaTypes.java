package dev.billing.http;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/** Content negotiation: whether {@code Accept} admits JSON, and whether a body's type is JSON. */
final class MediaTypes {

    static final String JSON = "application/json; charset=utf-8";

    private MediaTypes() {
    }

    /**
     * Whether the {@code Accept} headers admit {@code application/json}: no header, or only empty
     * ones, admits anything;
     * otherwise the most specific range that matches ({@code application/json}, then
     * {@code application/*}, then {@code *}{@code /*}) decides, and it admits JSON when its q-value is
     * above zero. A range with a {@code charset} other than UTF-8, or a malformed q-value, matches nothing.
     */
    static boolean acceptsJson(List<String> acceptHeaders) {
        int bestSpecificity = -1;
        boolean bestAdmits = false;
        boolean anyRange = false;
        for (String header : acceptHeaders) {
            for (String range : header.split(",")) {
                if (range.isBlank()) {
                    continue;
                }
                anyRange = true;
                String[] parts = range.split(";");
                String type = parts[0].trim().toLowerCase(Locale.ROOT);
                int specificity = switch (type) {
                    case "application/json" -> 2;
                    case "application/*" -> 1;
                    case "*/*" -> 0;
                    default -> -1;
                };
                if (specificity < 0) {
                    continue;
                }
                BigDecimal q = BigDecimal.ONE;
                boolean usable = true;
                for (int i = 1; i < parts.length; i++) {
                    String[] kv = parts[i].split("=", 2);
                    String key = kv[0].trim().toLowerCase(Locale.ROOT);
                    String value = kv.length > 1 ? unquote(kv[1].trim()) : "";
                    if (key.equals("q")) {
                        q = qValue(value);
                        if (q == null) {
                            usable = false;
                        }
                    } else if (key.equals("charset") && !value.equalsIgnoreCase("utf-8")) {
                        usable = false;
                    }
                }
                if (usable && specificity > bestSpecificity) {
                    bestSpecificity = specificity;
                    bestAdmits = q.signum() > 0;
                } else if (usable && specificity == bestSpecificity && q.signum() > 0) {
                    bestAdmits = true;
                }
            }
        }
        // an empty Accept (no media range at all) says as much as none: anything goes (RFC 9110, 12.5.1)
        return bestAdmits || !anyRange;
    }

    /** Whether a {@code Content-Type} is {@code application/json}, with at most a UTF-8 charset. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].trim().equalsIgnoreCase("application/json")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            String key = kv[0].trim().toLowerCase(Locale.ROOT);
            if (key.isEmpty()) {
                continue;
            }
            if (!key.equals("charset") || kv.length < 2 || !unquote(kv[1].trim()).equalsIgnoreCase("utf-8")) {
                return false;
            }
        }
        return true;
    }

    /** A q-value as RFC 9110 writes it: 0 to 1 with at most three decimals; {@code null} when malformed. */
    private static BigDecimal qValue(String text) {
        if (!text.matches("(0(\\.[0-9]{0,3})?)|(1(\\.0{0,3})?)")) {
            return null;
        }
        return new BigDecimal(text.endsWith(".") ? text + "0" : text);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
