package dev.billing.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.billing.core.ConflictException;
import dev.billing.core.ErrorCode;
import dev.billing.core.internal.Checks;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/** One request on its way through a route: the caller, path parameters, query, body, and the reply. */
final class Call {

    /** How a POST whose effect is idempotent by nature has its answer remembered and replayed. */
    @FunctionalInterface
    interface Remember {
        HttpResponse run(Supplier<HttpResponse> action);
    }

    private final HttpRequest request;
    private final Map<String, String> params;
    private final String rawQuery;
    private final Remember remember;
    private boolean rememberedUsed;

    /**
     * @param remember how the answer of a POST that does not hand its key to the engine is remembered;
     *     {@code null} for every other route
     */
    Call(HttpRequest request, Map<String, String> params, String rawQuery, Remember remember) {
        this.request = request;
        this.params = params;
        this.rawQuery = rawQuery;
        this.remember = remember;
    }

    /**
     * Runs the effect of a POST whose effect is idempotent by nature (usage, definitions) under its
     * {@code Idempotency-Key}: with a key, a remembered response is replayed instead, and a new
     * successful one is remembered. Call it only once the request is authorized (every namespace it
     * touches checked with {@link #namespace}) and its body checked: the replay must never reach a
     * caller the action itself would refuse. Every such route must answer through it (the handler
     * checks).
     */
    HttpResponse remembered(Supplier<HttpResponse> effect) {
        if (remember == null) {
            throw new IllegalStateException("this route's answers are not remembered");
        }
        rememberedUsed = true;
        return remember.run(effect);
    }

    boolean rememberedUsed() {
        return rememberedUsed;
    }

    Caller caller() {
        return request.caller();
    }

    HttpRequest request() {
        return request;
    }

    String param(String name) {
        return params.get(name);
    }

    /** The query, which may hold only the listed parameters, each at most once. */
    Query query(String... allowed) {
        return new Query(parseQuery(rawQuery), Set.of(allowed));
    }

    /** The body: one JSON object with only the listed fields. */
    Json.Body body(String... fields) {
        return Json.parseObject(request.bodyBytes(), new LinkedHashSet<>(Arrays.asList(fields)));
    }

    /** Accepts no body or an empty JSON object, for a route that takes no fields. */
    void noBody() {
        if (request.bodyBytes().length > 0) {
            body();
        }
    }

    /**
     * The namespace, if the caller may act on it.
     *
     * @throws HttpError 403 otherwise (whether or not the namespace exists)
     */
    String namespace(String namespace) {
        if (!caller().mayAccess(namespace)) {
            throw new HttpError(403, "forbidden", "namespace", "namespace: " + caller().user()
                    + " may not act on namespace " + namespace, Map.of());
        }
        return namespace;
    }

    /**
     * The {@code Idempotency-Key} header, checked as the engine checks keys.
     *
     * @throws HttpError 400 when it is missing, or present more than once
     * @throws dev.billing.core.InvalidRequestException (field {@code idempotencyKey}) when it is malformed
     */
    String idempotencyKey() {
        List<String> keys = request.headers(BillingHttpHandler.IDEMPOTENCY_KEY);
        if (keys.isEmpty()) {
            throw HttpError.invalid(BillingHttpHandler.IDEMPOTENCY_KEY, "header is required on this request");
        }
        if (keys.size() > 1) {
            throw HttpError.invalid(BillingHttpHandler.IDEMPOTENCY_KEY, "header must be sent once");
        }
        return Checks.idempotencyKey(keys.get(0));
    }

    /**
     * Runs a money-moving engine call under the request's key, scoped to the caller: the engine keeps keys
     * per namespace, so the handler hands it a digest of who calls (user, roles, namespaces) and the key.
     * Two callers on one namespace never share a key; one caller's retry replays. A key reused for another
     * request is a 409 naming the key as the client sent it.
     *
     * @param key the request's {@link #idempotencyKey()}
     * @param action the engine call, given the scoped key
     */
    <T> T keyed(String key, Function<String, T> action) {
        try {
            return action.apply(BillingHttpHandler.engineKey(caller(), key));
        } catch (ConflictException e) {
            if (e.code() == ErrorCode.IDEMPOTENCY_CONFLICT) {
                throw new HttpError(409, ErrorCode.IDEMPOTENCY_CONFLICT.code(), BillingHttpHandler.IDEMPOTENCY_KEY,
                        BillingHttpHandler.IDEMPOTENCY_KEY + ": " + key + " was used for a different request", Map.of());
            }
            throw e;
        }
    }

    static HttpResponse ok(JsonNode body) {
        return respond(200, body, Map.of());
    }

    static HttpResponse respond(int status, JsonNode body, Map<String, String> extraHeaders) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", MediaTypes.JSON);
        headers.put("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.putAll(extraHeaders);
        byte[] json = Json.bytes(body);
        byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
        withNewline[json.length] = '\n';
        return new HttpResponse(status, headers, withNewline);
    }

    /** Splits {@code a=1&b=2}, percent-decoding names and values as UTF-8 ({@code +} is a space). */
    static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq), true, "query");
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true, name);
            out.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return out;
    }

    /** Percent-decodes strictly: {@code %} must start two hex digits, and the bytes must be UTF-8. */
    static String decode(String s, boolean plusIsSpace, String field) {
        if (s.indexOf('%') < 0 && (!plusIsSpace || s.indexOf('+') < 0)) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0
                        || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw HttpError.invalid(field, "has a malformed percent-encoding");
                }
                bytes.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                bytes.write(' ');
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw HttpError.invalid(field, "is not valid UTF-8 once percent-decoded");
        }
    }

    /** A request's query parameters: only known ones, each at most once. */
    static final class Query {

        private final Map<String, List<String>> values;

        Query(Map<String, List<String>> values, Set<String> allowed) {
            this.values = values;
            for (Map.Entry<String, List<String>> e : values.entrySet()) {
                if (!allowed.contains(e.getKey())) {
                    throw HttpError.invalid(e.getKey(), "is not a known query parameter"
                            + (allowed.isEmpty() ? " (this route takes none)" : " (expected " + String.join(", ",
                                    new java.util.TreeSet<>(allowed)) + ")"));
                }
                if (e.getValue().size() > 1) {
                    throw HttpError.invalid(e.getKey(), "is given more than once");
                }
            }
        }

        String required(String name) {
            String v = optional(name);
            if (v == null) {
                throw HttpError.invalid(name, "query parameter is required");
            }
            return v;
        }

        /** The parameter, or {@code null} when it is absent or empty. */
        String optional(String name) {
            List<String> v = values.get(name);
            return v == null || v.get(0).isEmpty() ? null : v.get(0);
        }

        long whole(String name, long fallback) {
            String v = optional(name);
            if (v == null) {
                return fallback;
            }
            if (!v.matches("[0-9]{1,18}")) {
                throw HttpError.invalid(name, "must be a whole number from 0 to 999999999999999999, was " + v);
            }
            return Long.parseLong(v);
        }

        int integer(String name, int fallback, int min, int max) {
            String v = optional(name);
            if (v == null) {
                return fallback;
            }
            if (!v.matches("[0-9]{1,9}")) {
                throw HttpError.invalid(name, "must be a whole number from " + min + " to " + max + ", was " + v);
            }
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw HttpError.invalid(name, "must be a whole number from " + min + " to " + max + ", was " + v);
            }
            return n;
        }
    }
}
