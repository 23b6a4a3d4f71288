package dev.billing.core.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.money.MonetaryAmount;

/**
 * JSON in and out. Bodies are decoded as strict UTF-8 and read as a tree with every float as an
 * exact {@link BigDecimal} (never through {@code double}); NaN and Infinity, duplicate keys and
 * trailing content are errors. Amounts are written as plain JSON numbers at their currency's scale.
 */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private Json() {
    }

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JacksonException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The amount's number at its currency's scale, exactly (amounts the engine returns always fit). */
    static BigDecimal number(MonetaryAmount amount) {
        BigDecimal n = amount.getNumber().numberValueExact(BigDecimal.class);
        int digits = Math.max(0, amount.getCurrency().getDefaultFractionDigits());
        return n.setScale(digits, RoundingMode.UNNECESSARY);
    }

    /** Puts an amount as a JSON number at its currency's scale, such as {@code 20.00}. */
    static ObjectNode putAmount(ObjectNode node, String field, MonetaryAmount amount) {
        node.set(field, DecimalNode.valueOf(number(amount)));
        return node;
    }

    /**
     * Reads a request body: strict UTF-8, one JSON object, nothing after it.
     *
     * @throws HttpError 400 naming the field {@code body} otherwise
     */
    static Body parseObject(byte[] bytes, Set<String> fields) {
        if (bytes.length == 0) {
            throw HttpError.invalid("body", "is required (a JSON object)");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw HttpError.invalid("body", "is not valid UTF-8");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw HttpError.invalid("body", "is not valid JSON" + where + ": " + firstLine(e.getOriginalMessage()));
        }
        if (node == null || !node.isObject()) {
            throw HttpError.invalid("body", "must be a JSON object");
        }
        return new Body((ObjectNode) node, fields);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed";
        }
        int nl = message.indexOf('\n');
        String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    /** A request body's fields: only the listed ones are allowed; each read names its field when it fails. */
    static final class Body {

        private final ObjectNode node;

        Body(ObjectNode node, Set<String> allowed) {
            this.node = node;
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                if (!allowed.contains(name)) {
                    throw HttpError.invalid(name, "is not a known field (expected " + String.join(", ",
                            new LinkedHashSet<>(allowed)) + ")");
                }
            }
        }

        /** @return whether the field is present and not {@code null} */
        boolean has(String field) {
            JsonNode v = node.get(field);
            return v != null && !v.isNull();
        }

        /** @return whether the field is present, possibly {@code null} */
        boolean hasField(String field) {
            return node.has(field);
        }

        /** A required string. */
        String text(String field) {
            String value = optionalText(field);
            if (value == null) {
                throw HttpError.invalid(field, "is required");
            }
            return value;
        }

        /** An optional string: absent or {@code null} reads as {@code null}. */
        String optionalText(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isTextual()) {
                throw HttpError.invalid(field, "must be a string, was " + kind(v));
            }
            String s = v.textValue();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw HttpError.invalid(field, "contains an unpaired surrogate");
                }
            }
            return s;
        }

        /**
         * A required decimal: a JSON number (never a string), exact, with at most {@code maxScale}
         * decimals and below 10^15 in magnitude.
         */
        BigDecimal decimal(String field, int maxScale) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                throw HttpError.invalid(field, "is required");
            }
            if (!v.isIntegralNumber() && !v.isBigDecimal()) {
                throw HttpError.invalid(field, "must be a JSON number, was " + kind(v));
            }
            BigDecimal n = v.decimalValue();
            if (n.abs().compareTo(MAX_AMOUNT) >= 0) {
                throw HttpError.invalid(field, "is too large (at most 15 integer digits)");
            }
            if (n.signum() != 0 && n.stripTrailingZeros().scale() > maxScale) {
                throw HttpError.invalid(field, "has more than " + maxScale + " decimals");
            }
            return n;
        }

        /**
         * A required exact decimal given as a JSON number or a decimal string (the second seed writes
         * quantities and rates as strings, such as {@code ".40"}), with at most {@code maxScale}
         * decimals and below 10^15 in magnitude.
         */
        BigDecimal exactDecimal(String field, int maxScale) {
            BigDecimal n = optionalExactDecimal(field, maxScale);
            if (n == null) {
                throw HttpError.invalid(field, "is required");
            }
            return n;
        }

        /** Like {@link #exactDecimal}, but absent or {@code null} reads as {@code null}. */
        BigDecimal optionalExactDecimal(String field, int maxScale) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            BigDecimal n;
            if (v.isIntegralNumber() || v.isBigDecimal()) {
                n = v.decimalValue();
            } else if (v.isTextual() && v.textValue().matches("[+-]?([0-9]{1,30}(\\.[0-9]{0,30})?|\\.[0-9]{1,30})")) {
                n = new BigDecimal(v.textValue());
            } else {
                throw HttpError.invalid(field, "must be a decimal number (a JSON number or a string such as \".40\"), was "
                        + kind(v));
            }
            if (n.abs().compareTo(MAX_AMOUNT) >= 0) {
                throw HttpError.invalid(field, "is too large (at most 15 integer digits)");
            }
            if (n.signum() != 0 && n.stripTrailingZeros().scale() > maxScale) {
                throw HttpError.invalid(field, "has more than " + maxScale + " decimals");
            }
            return n;
        }

        /**
         * A required array of objects, each with only the listed fields; errors name the element, such
         * as {@code usage[3]}.
         */
        List<JsonNode> array(String field, int maxSize) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                throw HttpError.invalid(field, "is required");
            }
            if (!v.isArray()) {
                throw HttpError.invalid(field, "must be an array, was " + kind(v));
            }
            if (v.size() > maxSize) {
                throw HttpError.invalid(field, "has more than " + maxSize + " elements");
            }
            java.util.ArrayList<JsonNode> out = new java.util.ArrayList<>();
            v.forEach(out::add);
            return out;
        }

        /** An element of an {@link #array} as a body of its own, with only the listed fields. */
        static Body element(String field, int index, JsonNode element, Set<String> allowed) {
            if (element == null || !element.isObject()) {
                throw HttpError.invalid(field + "[" + index + "]", "must be a JSON object");
            }
            return new Body((ObjectNode) element, allowed);
        }

        /** An optional list of strings. */
        List<String> optionalTexts(String field) {
            JsonNode v = node.get(field);
            if (v == null || v.isNull()) {
                return null;
            }
            if (!v.isArray()) {
                throw HttpError.invalid(field, "must be an array of strings, was " + kind(v));
            }
            java.util.ArrayList<String> out = new java.util.ArrayList<>();
            for (JsonNode e : v) {
                if (!e.isTextual()) {
                    throw HttpError.invalid(field, "must be an array of strings, has " + kind(e));
                }
                out.add(e.textValue());
            }
            return out;
        }

        private static String kind(JsonNode v) {
            return switch (v.getNodeType()) {
                case STRING -> "a string";
                case NUMBER -> "a number";
                case BOOLEAN -> "a boolean";
                case ARRAY -> "an array";
                case OBJECT -> "an object";
                default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
            };
        }
    }

    private static final BigDecimal MAX_AMOUNT = BigDecimal.TEN.pow(15);
}
