package dev.billing.server;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives itself (malformed HTTP, headers too large, 503 while draining) in the API's
 * shape, {@code {"error":{"code","message"}}}, never an HTML page or a stack trace.
 */
final class JsonErrors extends ErrorHandler {

    private static final String JSON_TYPE = "application/json; charset=utf-8";

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
        response.write(true, ByteBuffer.wrap(body(code)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, JSON_TYPE);
        return ByteBuffer.wrap(body(status));
    }

    private static byte[] body(int status) {
        String code = switch (status) {
            case 400 -> "bad_request";
            case 408 -> "request_timeout";
            case 413 -> "payload_too_large";
            case 414 -> "uri_too_long";
            case 431 -> "header_fields_too_large";
            case 503 -> "unavailable";
            default -> "http_" + status;
        };
        String reason = HttpStatus.getMessage(status);
        String message = status == 503 ? "the server is stopping; retry on another instance or later"
                : "the request is not valid HTTP/1.1 this server accepts (" + status + " " + reason + ")";
        return JettyAdapter.errorBody(code, message);
    }
}
