package dev.billing.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An HTTP request as the host received it. Header names are looked up case-insensitively; the
 * body is copied in and out. Immutable, thread-safe.
 *
 * @param method the method, such as {@code GET} (case-sensitive, as HTTP says)
 * @param target the request target: the path with its query string, such as
 *     {@code /payment/v1/account?namespace=hello-org}
 * @param headers the headers, by name; several values of one name are kept in order
 * @param body the body's bytes, empty when there is none
 * @param caller who sent it, as the host authenticated it; {@code null} when the host could not
 *     authenticate the request (answered with 401)
 */
public record HttpRequest(String method, String target, Map<String, List<String>> headers, byte[] body,
        Caller caller) {

    /** Rejects nulls (but the caller's), copies the headers into a case-insensitive map and the body. */
    public HttpRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values));
        copy.replaceAll((name, values) -> List.copyOf(values));
        headers = Collections.unmodifiableMap(copy);
        body = body.clone();
    }

    /**
     * @param method the method
     * @param target the path with its query string
     * @param headers the headers, one value per name
     * @param body the body
     * @param caller the authenticated caller, or {@code null}
     * @return the request
     */
    public static HttpRequest of(String method, String target, Map<String, String> headers, byte[] body,
            Caller caller) {
        Map<String, List<String>> multi = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, value) -> multi.computeIfAbsent(name, n -> new ArrayList<>()).add(value));
        return new HttpRequest(method, target, multi, body, caller);
    }

    /** @return a copy of the body's bytes */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** @return the number of bytes in the body */
    public int bodyLength() {
        return body.length;
    }

    /**
     * @param name a header name, in any case
     * @return every value of the header, in order; empty when it is absent
     */
    public List<String> headers(String name) {
        return headers.getOrDefault(name, List.of());
    }

    /**
     * @param name a header name, in any case
     * @return the header's first value, or {@code null} when it is absent
     */
    public String header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? null : values.get(0);
    }

    byte[] bodyBytes() {
        return body;
    }
}
