package dev.billing.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.billing.http.BillingHttpHandler;
import dev.billing.http.Caller;
import dev.billing.http.HttpRequest;
import dev.billing.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves Jetty's requests with a {@link BillingHttpHandler}: the body is read without holding a thread
 * (a client sending it slowly costs a connection, not a worker), within the body deadline, and the
 * handler is called once it has all arrived. Authentication happens here: the one {@code X-Auth-Token}
 * header is looked up in the token file's callers; two of them authenticate nobody.
 */
final class JettyAdapter extends Handler.Abstract {

    /** The header whose value the token file maps to a caller. */
    static final String TOKEN_HEADER = "X-Auth-Token";

    /** How much of a body past the limit is read and dropped, so that the client, still sending, reads its 413. */
    private static final long DRAIN_LIMIT = 8L * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(BillingServer.class.getName());

    private final BillingHttpHandler api;
    private final Map<String, Caller> tokens;
    private final ScheduledExecutorService timer;
    private final long bodyTimeoutMillis;

    JettyAdapter(BillingHttpHandler api, Map<String, Caller> tokens, ScheduledExecutorService timer,
            long bodyTimeoutMillis) {
        this.api = api;
        this.tokens = Map.copyOf(tokens);
        this.timer = timer;
        this.bodyTimeoutMillis = bodyTimeoutMillis;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        new Exchange(request, response, callback).start();
        return true;
    }

    /** One request: its body as it arrives, then the answer, exactly once (the handler's or the deadline's). */
    private final class Exchange {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final AtomicBoolean answered = new AtomicBoolean();
        private final int max = api.maxBodyBytes();
        private long total;
        private ScheduledFuture<?> deadline;

        Exchange(Request request, Response response, Callback callback) {
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        void start() {
            deadline = timer.schedule(this::expire, bodyTimeoutMillis, TimeUnit.MILLISECONDS);
            read();
        }

        /** Reads what has arrived; asks to be called again when more does. */
        private void read() {
            while (!answered.get()) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this::read);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    lost(chunk.getFailure());
                    return;
                }
                ByteBuffer bytes = chunk.getByteBuffer();
                int n = bytes.remaining();
                int keep = (int) Math.max(0, Math.min(n, max + 1L - total));
                byte[] copy = new byte[keep];
                bytes.get(copy);
                kept.write(copy, 0, keep);
                total += n;
                boolean last = chunk.isLast();
                chunk.release();
                if (last || total >= max + DRAIN_LIMIT) {
                    answer();
                    return;
                }
            }
        }

        private void answer() {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            deadline.cancel(false);
            try {
                HttpResponse r = api.handle(new HttpRequest(request.getMethod(), target(request), headers(request),
                        kept.toByteArray(), caller(request)));
                response.setStatus(r.status());
                r.headers().forEach((name, value) -> response.getHeaders().put(name, value));
                response.write(true, ByteBuffer.wrap(r.body()), callback);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "request failed: " + request.getMethod() + " " + request.getHttpURI().getPath(), e);
                callback.failed(e);
            }
        }

        /** The body did not arrive in time: 408, and the connection closes (the rest of the body is not read). */
        private void expire() {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            LOG.log(Level.DEBUG, "body not received within " + bodyTimeoutMillis + " ms: " + request.getMethod() + " "
                    + request.getHttpURI().getPath() + " (" + total + " bytes arrived)");
            response.setStatus(408);
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
            response.write(true, ByteBuffer.wrap(errorBody("request_timeout", "body: did not arrive within "
                    + bodyTimeoutMillis / 1000 + " s")), callback);
        }

        /** The client went away (or the connection was closed under it): expected on a network, one short line. */
        private void lost(Throwable failure) {
            if (!answered.compareAndSet(false, true)) {
                return;
            }
            deadline.cancel(false);
            LOG.log(Level.DEBUG, "connection lost: " + request.getMethod() + " " + request.getHttpURI().getPath() + " ("
                    + failure + ")");
            callback.failed(failure);
        }
    }

    private Caller caller(Request request) {
        // ambiguous credentials authenticate nobody: two tokens are never a choice between them
        List<String> sent = request.getHeaders().getValuesList(TOKEN_HEADER);
        return sent.size() != 1 ? null : tokens.get(sent.get(0));
    }

    /** The raw path and query, as the client sent them (the handler decodes and checks them itself). */
    private static String target(Request request) {
        String path = request.getHttpURI().getPath();
        String query = request.getHttpURI().getQuery();
        return (path == null ? "" : path) + (query == null ? "" : "?" + query);
    }

    private static Map<String, List<String>> headers(Request request) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        HttpFields fields = request.getHeaders();
        for (HttpField field : fields) {
            headers.computeIfAbsent(field.getName(), n -> new ArrayList<>()).add(field.getValue());
        }
        return headers;
    }

    /** An error body in the API's shape: {@code {"error":{"code","message"}}}. */
    static byte[] errorBody(String code, String message) {
        ObjectNode body = BillingServer.JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }
}
