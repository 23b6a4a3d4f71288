package dev.billing.server;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.internal.HttpConnection;

/**
 * Closes a connection whose request line and headers have not all arrived within the header timeout
 * of their first byte (the slowloris defence). Jetty's idle timeout alone does not do it: a client
 * that sends one byte just before each idle timeout keeps a connection forever. Jetty has no setting
 * for it, so this reads each HTTP/1.1 connection's parser state four times a second; a connection
 * that waits for its next request (nothing of it sent yet) is the idle timeout's, and a request whose
 * headers are complete is the body deadline's ({@link JettyAdapter}).
 *
 * <p>Jetty's {@code HttpConnection} lives in an {@code internal} package; the version is pinned and
 * {@code SlowClientsTest} fails if this stops closing such connections.
 */
final class HeaderDeadline implements Connection.Listener {

    private static final System.Logger LOG = System.getLogger(BillingServer.class.getName());
    private static final long SCAN_MILLIS = 250;

    private final long timeoutNanos;
    private final Map<HttpConnection, Watch> open = new ConcurrentHashMap<>();
    private final AtomicLong closed = new AtomicLong();

    /** When a connection was first seen inside the headers of its {@code messages}-th request. */
    private static final class Watch {
        long messages = -1;
        long since;
    }

    HeaderDeadline(long timeoutMillis, ScheduledExecutorService timer) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        timer.scheduleWithFixedDelay(this::scan, SCAN_MILLIS, SCAN_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void onOpened(Connection connection) {
        if (connection instanceof HttpConnection http) {
            open.put(http, new Watch());
        }
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    /** @return how many connections this closed for headers that did not arrive in time */
    long closedCount() {
        return closed.get();
    }

    private void scan() {
        try {
            scanOnce();
        } catch (RuntimeException e) {
            // a periodic task that throws is never run again: log, and keep watching
            LOG.log(Level.WARNING, "header deadline: a scan failed", e);
        }
    }

    private void scanOnce() {
        long now = System.nanoTime();
        open.forEach((connection, watch) -> {
            HttpParser.State state = connection.getParser().getState();
            boolean inHeaders = state != HttpParser.State.START && state.ordinal() < HttpParser.State.CONTENT.ordinal();
            if (!inHeaders) {
                watch.messages = -1;
                return;
            }
            long messages = connection.getMessagesIn();
            if (watch.messages != messages) {
                watch.messages = messages;
                watch.since = now;
            } else if (now - watch.since > timeoutNanos) {
                open.remove(connection); // counted once, though its close may take a moment to be reported
                closed.incrementAndGet();
                LOG.log(Level.DEBUG, "closed a connection whose request headers did not arrive within "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms: " + connection.getEndPoint().getRemoteSocketAddress());
                connection.getEndPoint().close();
            }
        });
    }
}
