package dev.billing.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import java.io.IOException;
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

    /**
     * What is wrong with a body, in this API's words: the parser's own description of the JSON at fault,
     * never its limits' or classes' names (a body nested too deeply says so).
     */
    static String inTheApisWords(JacksonException e) {
        if (e instanceof StreamConstraintsException) {
            return "it is nested too deeply, or a number, name or string in it is too long";
        }
        String message = firstLine(e.getOriginalMessage());
        String lower = message.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("jackson") || lower.contains("constraints") || lower.contains("com.fasterxml")
                || lower.contains("()")) {
            return "it is malformed";
        }
        return message;
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
        try (JsonParser p = MAPPER.createParser(text)) {
            node = p.nextToken() == null ? null : tree(p);
            if (node != null && p.nextToken() != null) {
                throw HttpError.invalid("body", "has content after the JSON object");
            }
        } catch (JacksonException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw HttpError.invalid("body", "is not valid JSON" + where + ": " + inTheApisWords(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (node == null || !node.isObject()) {
            throw HttpError.invalid("body", "must be a JSON object");
        }
        return new Body((ObjectNode) node, fields);
    }

    /**
     * Builds the tree of the value at the parser's current token. Unlike {@code readTree}, a float
     * that {@link BigDecimal} cannot represent (an exponent such as {@code 1e99999999999} or
     * {@code 1e-2147483648}) does not fail the whole body: it becomes an {@link Unrepresentable}
     * node, refused with 400 by whichever read names its field (and, in a usage batch, only its event).
     */
    private static JsonNode tree(JsonParser p) throws IOException {
        JsonNodeFactory nodes = MAPPER.getNodeFactory();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                ObjectNode o = nodes.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    o.set(name, tree(p));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = nodes.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(tree(p));
                }
                return a;
            }
            case VALUE_STRING -> {
                return nodes.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return nodes.numberNode(p.getBigIntegerValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                String text = p.getText();
                try {
                    return nodes.numberNode(p.getDecimalValue());
                } catch (NumberFormatException | ArithmeticException e) {
                    return nodes.pojoNode(new Unrepresentable(text));
                }
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return nodes.booleanNode(t == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> throw new IllegalStateException("unexpected JSON token " + t);
        }
    }

    /** A JSON number whose exponent no {@link BigDecimal} can hold; its text is kept for the message. */
    record Unrepresentable(String text) {
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
            unrepresentable(field, v);
            if (!v.isIntegralNumber() && !v.isBigDecimal()) {
                throw HttpError.invalid(field, "must be a JSON number, was " + kind(v));
            }
            return checked(field, v.decimalValue(), maxScale);
        }

        /**
         * A required exact decimal given as a JSON number or a decimal string (the estimated-charges API writes
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
            unrepresentable(field, v);
            BigDecimal n;
            if (v.isIntegralNumber() || v.isBigDecimal()) {
                n = v.decimalValue();
            } else if (v.isTextual() && v.textValue().matches("[+-]?([0-9]{1,30}(\\.[0-9]{0,30})?|\\.[0-9]{1,30})")) {
                n = new BigDecimal(v.textValue());
            } else {
                throw HttpError.invalid(field, "must be a decimal number (a JSON number or a string such as \".40\"), was "
                        + kind(v));
            }
            return checked(field, n, maxScale);
        }

        private static void unrepresentable(String field, JsonNode v) {
            if (v instanceof POJONode pojo && pojo.getPojo() instanceof Unrepresentable u) {
                throw HttpError.invalid(field, "is not a number this API can represent (its exponent is out of range): "
                        + (u.text().length() > 40 ? u.text().substring(0, 40) + "..." : u.text()));
            }
        }

        /**
         * Below 10^15 in magnitude and at most {@code maxScale} decimals once trailing zeros are
         * dropped; returned with its own scale when that is within {@code 0..maxScale}, otherwise
         * normalised ({@code 0e-100000000} is {@code 0}, {@code 1.50000000} with 6 decimals is
         * {@code 1.5}, {@code 1e3} is {@code 1000}), so that no absurd scale reaches the storage.
         */
        private static BigDecimal checked(String field, BigDecimal n, int maxScale) {
            try {
                if (n.abs().compareTo(MAX_AMOUNT) >= 0) {
                    throw HttpError.invalid(field, "is too large (at most 15 integer digits)");
                }
                if (n.scale() > maxScale) {
                    n = n.stripTrailingZeros();
                    if (n.scale() > maxScale) {
                        throw HttpError.invalid(field, "has more than " + maxScale + " decimals");
                    }
                }
                return n.scale() < 0 ? n.setScale(0) : n;
            } catch (ArithmeticException e) {
                throw HttpError.invalid(field, "is not a number this API can represent");
            }
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
                case POJO -> "a number";
                default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
            };
        }
    }

    private static final BigDecimal MAX_AMOUNT = BigDecimal.TEN.pow(15);
}
