package dev.billing.server;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.billing.core.BillingEngine;
import dev.billing.core.DueRun;
import dev.billing.http.BillingHttpHandler;
import dev.billing.http.Caller;
import dev.billing.http.HttpRequest;
import dev.billing.http.HttpResponse;
import dev.billing.jdbc.JdbiResponseStore;
import dev.billing.jdbc.JdbiStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The billing HTTP API as a server: the JDK's {@code com.sun.net.httpserver} in front of a
 * {@link BillingHttpHandler}, on an H2 file database ({@link JdbiStorage#h2File(Path)}), created on
 * first start and reopened on restart. Callers authenticate with an {@code X-Auth-Token} header that
 * the token file maps to a user, roles and namespaces; the catalog file is applied at every start.
 * Every {@code --due-every} seconds (60 by default) it runs {@link BillingEngine#runDue()}: ended
 * billing periods close into statements and subscriptions renew. On {@code SIGTERM} (a JVM shutdown
 * hook) it stops accepting requests, lets running ones finish for up to two seconds, and closes the
 * database.
 *
 * <p>Commands: {@code serve [options]} runs the server ({@code --help} lists the options);
 * {@code demo [--db PATH] [--serve]} replays both API documents' requests over HTTP against a fresh database and
 * prints each request and response, then, with {@code --serve}, serves the embedded default
 * ({@code data/billing}) with the sample catalog and tokens; no command runs the engine-only
 * {@link WalletDemo}.
 *
 * <p>Thread-safe: requests are served by a pool of threads sharing one handler.
 */
public final class BillingServer implements AutoCloseable {

    /** JSON as the server reads its files: exact decimals, no duplicate keys. */
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .defaultPrettyPrinter(new DefaultPrettyPrinter().withSeparators(Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)))
            .build();

    /** The header whose value the token file maps to a caller. */
    static final String TOKEN_HEADER = "X-Auth-Token";
    static {
        // TCP_NODELAY on every connection (the JDK server's own switch, read once when its first server
        // starts): without it a keep-alive request waits ~40 ms for Nagle's algorithm and delayed ACKs
        // (measured on loopback: median 43.7 ms per request on one connection, 0.9 ms with it)
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** How much of a body past the limit is read and dropped, so that the client reads its 413. */
    private static final long DRAIN_LIMIT = 8L * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(BillingServer.class.getName());

    private final JdbiStorage storage;
    private final BillingEngine engine;
    private final BillingHttpHandler handler;
    private final Map<String, Caller> tokens;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ScheduledExecutorService due;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private BillingServer(ServerOptions o, JsonNode catalog, Map<String, Caller> tokens) throws IOException {
        Path parent = o.db().toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.storage = JdbiStorage.h2File(o.db());
        try {
            this.engine = BillingEngine.builder().storage(storage).zone(o.zone()).build();
            this.handler = BillingHttpHandler.builder(engine).zone(o.zone()).defaultCurrency(o.currency())
                    .maxBodyBytes(o.maxBodyBytes()).responses(JdbiResponseStore.on(storage)).build();
            if (catalog != null) {
                LOG.log(Level.INFO, "catalog applied: " + CatalogFile.apply(catalog, handler, engine));
            }
            this.tokens = Map.copyOf(tokens);
            AtomicInteger n = new AtomicInteger();
            this.executor = Executors.newFixedThreadPool(16, r -> {
                Thread t = new Thread(r, "billing-http-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.due = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "billing-due");
                t.setDaemon(true);
                return t;
            });
            if (o.dueEverySeconds() > 0) {
                due.scheduleWithFixedDelay(this::runDue, o.dueEverySeconds(), o.dueEverySeconds(), TimeUnit.SECONDS);
            }
            this.server = HttpServer.create(new InetSocketAddress(o.bind(), o.port()), 128);
            server.createContext("/", this::exchange);
            server.setExecutor(executor);
            server.start();
        } catch (IOException | RuntimeException e) {
            storage.close();
            throw e;
        }
    }

    /** Starts a server with the options' files read from disk. */
    static BillingServer start(ServerOptions o) throws IOException {
        JsonNode catalog = o.catalog() == null ? null : read(o.catalog());
        Map<String, Caller> tokens = o.tokens() == null ? Map.of() : TokenFile.parse(read(o.tokens()));
        return new BillingServer(o, catalog, tokens);
    }

    /** Starts a server with a catalog and tokens given as JSON (the demo's and the tests' way). */
    static BillingServer start(ServerOptions o, JsonNode catalog, JsonNode tokens) throws IOException {
        return new BillingServer(o, catalog, tokens == null ? Map.of() : TokenFile.parse(tokens));
    }

    static JsonNode read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        } catch (NumberFormatException | ArithmeticException e) {
            // Jackson reads numbers as BigDecimal; an exponent no BigDecimal holds fails outside its own exceptions
            throw new IOException(file + ": a number is out of range: " + e.getMessage(), e);
        }
    }

    static JsonNode resource(String name) throws IOException {
        try (InputStream in = BillingServer.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no resource " + name);
            }
            return JSON.readTree(in);
        }
    }

    /** Closes ended billing periods and renews subscriptions; failures are logged, the next run retries. */
    private void runDue() {
        try {
            DueRun run = engine.runDue();
            if (run.statements() + run.renewals() + run.expired() > 0 || !run.failures().isEmpty()) {
                LOG.log(Level.INFO, "due: " + run);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "due: the run failed; the next one retries", e);
        }
    }

    int port() {
        return server.getAddress().getPort();
    }

    BillingEngine engine() {
        return engine;
    }

    JdbiStorage storage() {
        return storage;
    }

    BillingHttpHandler handler() {
        return handler;
    }

    String describe() {
        return "http://" + server.getAddress().getHostString() + ":" + port() + " on " + storage.describe();
    }

    void awaitStop() throws InterruptedException {
        stopped.await();
    }

    private void exchange(HttpExchange ex) {
        try {
            byte[] body = readBody(ex.getRequestBody(), handler.maxBodyBytes());
            String rawQuery = ex.getRequestURI().getRawQuery();
            String target = ex.getRequestURI().getRawPath() + (rawQuery == null ? "" : "?" + rawQuery);
            // ambiguous credentials authenticate nobody: two tokens are never a choice between them
            List<String> sent = ex.getRequestHeaders().get(TOKEN_HEADER);
            Caller caller = sent == null || sent.size() != 1 ? null : tokens.get(sent.get(0));
            HttpResponse r = handler.handle(new HttpRequest(ex.getRequestMethod(), target, ex.getRequestHeaders(), body,
                    caller));
            r.headers().forEach((name, value) -> ex.getResponseHeaders().set(name, value));
            byte[] out = r.body();
            // HEAD: the JDK wants length -1 and no body (a length, or a body, makes it log and fail)
            boolean head = ex.getRequestMethod().equals("HEAD");
            ex.sendResponseHeaders(r.status(), head || out.length == 0 ? -1 : out.length);
            if (!head && out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        } catch (IOException e) {
            // the client went away (or stopped sending): expected on a network, one short line, no trace
            LOG.log(Level.DEBUG, "connection lost: " + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath()
                    + " (" + e + ")");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "request failed: " + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath(), e);
        } finally {
            ex.close();
        }
    }

    /**
     * Reads a body: up to {@code max + 1} bytes are kept (so that the handler can answer 413), the rest
     * up to {@link #DRAIN_LIMIT} is read and dropped, so that the client, still sending, reads the answer.
     */
    private static byte[] readBody(InputStream in, int max) throws IOException {
        java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        long total = 0;
        int n;
        while (total < max + DRAIN_LIMIT && (n = in.read(buffer)) >= 0) {
            int keep = (int) Math.max(0, Math.min(n, max + 1L - total));
            kept.write(buffer, 0, keep);
            total += n;
        }
        return kept.toByteArray();
    }

    /**
     * Stops accepting requests, lets running ones finish for up to two seconds, and closes the
     * database. Closing twice does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            due.shutdownNow();
            server.stop(2);
            executor.shutdown();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } finally {
            storage.close();
            stopped.countDown();
        }
    }

    /**
     * Runs a command: {@code serve [options]}, {@code demo [--db PATH] [--serve]}, or none for the wallet demo.
     *
     * @param args the command and its options
     * @throws Exception when the database or a file cannot be opened
     */
    public static void main(String[] args) throws Exception {
        // JDBI logs through SLF4J; without a provider it would warn on every start.
        System.setProperty("slf4j.internal.verbosity", "ERROR");
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (args.length == 0) {
            WalletDemo.main(args);
            System.err.println("(this was the wallet demo; 'demo' replays the HTTP API, 'serve' runs it, '--help' tells more)");
            return;
        }
        java.util.List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(ServerOptions.USAGE);
            return;
        }
        try {
            switch (args[0]) {
                case "serve" -> serve(ServerOptions.parse(rest), out);
                case "demo" -> HttpDemo.run(rest, out);
                case "help", "--help", "-h" -> out.print(ServerOptions.USAGE);
                default -> throw new IllegalArgumentException(args[0] + ": unknown command");
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(ServerOptions.USAGE);
            System.exit(2);
        }
    }

    private static void serve(ServerOptions options, PrintStream out) throws IOException, InterruptedException {
        if (options.tokens() == null) {
            LOG.log(Level.WARNING, "no --tokens file: every request will be answered 401");
        }
        awaitShutdown(start(options), out);
    }

    /** Serves with a catalog and tokens given as JSON until the JVM is asked to stop (SIGTERM, Ctrl-C). */
    static void serve(ServerOptions options, JsonNode catalog, JsonNode tokens, PrintStream out)
            throws IOException, InterruptedException {
        awaitShutdown(start(options, catalog, tokens), out);
    }

    private static void awaitShutdown(BillingServer server, PrintStream out) throws InterruptedException {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.err.println("billing server stopped");
        }, "billing-shutdown"));
        out.println("billing server listening on " + server.describe());
        server.awaitStop();
    }
}
