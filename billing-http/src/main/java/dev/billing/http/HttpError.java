package dev.billing.http;

import java.util.Map;

/** A request the HTTP layer refuses before it reaches the engine: a status, a stable code, a message. */
final class HttpError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String field;
    private final transient Map<String, String> headers;

    HttpError(int status, String code, String field, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.field = field;
        this.headers = Map.copyOf(headers);
    }

    /** A 400 naming the offending field; the message is prefixed with it, as the engine's are. */
    static HttpError invalid(String field, String message) {
        return new HttpError(400, "invalid_request", field, field + ": " + message, Map.of());
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }

    String field() {
        return field;
    }

    Map<String, String> headers() {
        return headers;
    }
}
