package dev.billing.http;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An HTTP response for the host to write back: status, headers and body. Header names are looked
 * up case-insensitively; the body is copied in and out. Immutable, thread-safe.
 *
 * @param status the status code, such as 200
 * @param headers the headers, one value per name (such as {@code Content-Type})
 * @param body the body's bytes (UTF-8 JSON for every response of {@link BillingHttpHandler})
 */
public record HttpResponse(int status, Map<String, String> headers, byte[] body) {

    /** Rejects nulls and out-of-range statuses; copies the headers and the body. */
    public HttpResponse {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status: must be 100 to 599, was " + status);
        }
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(Objects.requireNonNull(headers, "headers"));
        headers = Collections.unmodifiableMap(copy);
        body = Objects.requireNonNull(body, "body").clone();
    }

    /** @return a copy of the body's bytes */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** @return the body decoded as UTF-8 */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * @param name a header name, in any case
     * @return its value, or {@code null} when the response has no such header
     */
    public String header(String name) {
        return headers.get(name);
    }

    /** @return whether {@code o} is a response with the same status, headers and body bytes */
    @Override
    public boolean equals(Object o) {
        return o instanceof HttpResponse r && status == r.status && headers.equals(r.headers)
                && java.util.Arrays.equals(body, r.body);
    }

    /** @return a hash of the status, headers and body bytes */
    @Override
    public int hashCode() {
        return Objects.hash(status, headers, java.util.Arrays.hashCode(body));
    }

    /** @return the status, headers and body as text, for logs and test failures */
    @Override
    public String toString() {
        return "HttpResponse[" + status + " " + headers + " " + bodyText() + "]";
    }
}
