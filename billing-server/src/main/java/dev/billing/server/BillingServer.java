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
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.billing.core.BillingEngine;
import dev.billing.core.DueRun;
import dev.billing.http.BillingHttpHandler;
import dev.billing.http.Caller;
import dev.billing.http.CatalogFile;
import dev.billing.jdbc.JdbiResponseStore;
import dev.billing.jdbc.JdbiStorage;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The billing HTTP API as a server: Jetty in front of a {@link BillingHttpHandler}, on an H2 file
 * database ({@link JdbiStorage#h2File(Path)}), created on first start and reopened on restart, or with
 * {@code --jdbc-url} on a PostgreSQL or MariaDB database through a HikariCP pool, which several servers
 * may share (remembered answers are in the database too, {@link JdbiResponseStore}). Callers
 * authenticate with an {@code X-Auth-Token} header that the token file maps to a user, roles and
 * namespaces; the catalog file is applied at every start. Every {@code --due-every} seconds (60 by
 * default) it runs {@link BillingEngine#runDue()}: ended billing periods close into statements and
 * subscriptions renew.
 *
 * <p>Exposed to clients it does not trust, it bounds what each can hold: a request's headers must
 * arrive within {@code --header-timeout} of its first byte ({@link HeaderDeadline}) and its body within
 * {@code --body-timeout} of its headers (408), an idle connection closes after {@code --idle-timeout},
 * and at most {@code --max-connections} are served at once; reading never holds a thread. With
 * {@code --tls-keystore} it serves HTTPS. On {@code SIGTERM} (a JVM shutdown hook) it stops accepting
 * connections, answers requests that arrive on open ones with 503, lets running ones finish for up to
 * {@code --drain} seconds, and then closes the database.
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

    /** Threads serving requests; reading and writing bytes hold none. */
    private static final int MAX_THREADS = 64;

    private static final System.Logger LOG = System.getLogger(BillingServer.class.getName());

    /** Jetty's own start and stop lines are not the operator's business; its warnings still are. */
    private static final java.util.logging.Logger JETTY_LOG = java.util.logging.Logger.getLogger("org.eclipse.jetty");

    static {
        if (JETTY_LOG.getLevel() == null) {
            JETTY_LOG.setLevel(java.util.logging.Level.WARNING);
        }
    }

    private final JdbiStorage storage;
    /** The connection pool on a database server, or {@code null} on the H2 file. */
    private final HikariDataSource pool;
    private final String where;
    private final BillingEngine engine;
    private final BillingHttpHandler handler;
    private final Server server;
    private final ServerConnector connector;
    private final HeaderDeadline headerDeadline;
    private final boolean tls;
    /** The body and header deadlines, and the due runs ({@link #dueRuns}); they run until the server has stopped. */
    private final ScheduledExecutorService timers;
    private final ScheduledFuture<?> dueRuns;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private BillingServer(ServerOptions o, JsonNode catalog, Map<String, Caller> tokens) throws IOException {
        if (o.database() == null) {
            Path parent = o.db().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            this.pool = null;
            this.storage = JdbiStorage.h2File(o.db());
        } else {
            this.pool = pool(o.database());
            try {
                this.storage = JdbiStorage.of(pool);
            } catch (RuntimeException e) {
                pool.close();
                throw e;
            }
        }
        this.where = o.database() == null ? storage.describe() : storage.describe() + " at " + o.database().displayUrl();
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "billing-timers");
            t.setDaemon(true);
            return t;
        });
        // on close, what is due later is dropped, and a due run under way finishes (never interrupted:
        // an interrupt closes H2's file channels)
        timers.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        timers.setRemoveOnCancelPolicy(true);
        this.timers = timers;
        try {
            BillingEngine.Builder engineBuilder = BillingEngine.builder().storage(storage).zone(o.zone())
                    .subscriptionPolicy(o.policy()).paymentExpiry(o.paymentExpiry());
            if (o.eventRetention() != null) {
                engineBuilder.eventRetention(o.eventRetention());
            }
            this.engine = engineBuilder.build();
            this.handler = BillingHttpHandler.builder(engine).zone(o.zone()).defaultCurrency(o.currency())
                    .maxBodyBytes(o.maxBodyBytes()).responses(JdbiResponseStore.on(storage)).build();
            if (catalog != null) {
                LOG.log(Level.INFO, "catalog applied: " + CatalogFile.apply(catalog, handler, engine));
            }
            this.dueRuns = o.dueEverySeconds() == 0 ? null
                    : timers.scheduleWithFixedDelay(this::runDue, o.dueEverySeconds(), o.dueEverySeconds(), TimeUnit.SECONDS);
            QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 4);
            threads.setName("billing-http");
            threads.setDaemon(true);
            this.server = new Server(threads);
            this.tls = o.tls() != null;
            this.connector = Connectors.open(server, o);
            this.headerDeadline = new HeaderDeadline(TimeUnit.SECONDS.toMillis(o.headerTimeoutSeconds()), timers);
            connector.addEventListener(headerDeadline);
            server.addBean(new NetworkConnectionLimit(o.maxConnections(), connector));
            server.setHandler(new GracefulHandler(new JettyAdapter(handler, tokens, timers,
                    TimeUnit.SECONDS.toMillis(o.bodyTimeoutSeconds()))));
            server.setErrorHandler(new JsonErrors());
            server.setStopTimeout(TimeUnit.SECONDS.toMillis(o.drainSeconds()));
            server.start();
            if (!tls && !InetAddress.getByName(o.bind()).isLoopbackAddress()) {
                LOG.log(Level.WARNING, "serving plain HTTP on " + o.bind() + ": tokens and balances cross the network"
                        + " in clear; pass --tls-keystore, or terminate TLS in front of this server");
            }
        } catch (Exception e) {
            timers.shutdownNow();
            storage.close();
            if (pool != null) {
                pool.close();
            }
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("the HTTP server did not start: " + e.getMessage(), e);
        }
    }

    /** @return a HikariCP pool on the database server, its password read from its file */
    private static HikariDataSource pool(ServerOptions.Database d) throws IOException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(d.jdbcUrl());
        if (d.user() != null) {
            config.setUsername(d.user());
        }
        if (d.passwordFile() != null) {
            config.setPassword(Files.readString(d.passwordFile()).strip());
        }
        config.setMaximumPoolSize(d.poolSize());
        // the storage's units of work run at READ COMMITTED and begin and end on the connection: handed out
        // so, connections are never switched and switched back (round trips on MariaDB, whose default is
        // REPEATABLE READ and whose driver sends SET autocommit)
        config.setAutoCommit(false);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setConnectionTimeout(TimeUnit.SECONDS.toMillis(d.timeoutSeconds()));
        config.setPoolName("billing");
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            // HikariCP's message names the URL, never the password
            throw new IOException("cannot connect to " + d.displayUrl() + ": " + e.getMessage(), e);
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
        return connector.getLocalPort();
    }

    /** @return how many connections the server holds open now */
    int connections() {
        return connector.getConnectedEndPoints().size();
    }

    /** @return how many connections were closed because their request headers did not arrive in time */
    long headerTimeouts() {
        return headerDeadline.closedCount();
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
        String host = connector.getHost();
        return (tls ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + " on "
                + where;
    }

    void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /**
     * Stops accepting connections, answers requests that arrive on open ones with 503, lets running
     * ones finish for up to the drain time, and closes the database. Closing twice does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (dueRuns != null) {
                dueRuns.cancel(false); // a run under way finishes: it is one unit of work per account
            }
            server.stop(); // the deadlines keep watching the requests that finish meanwhile
        } catch (Exception e) {
            LOG.log(Level.WARNING, "the HTTP server did not stop cleanly", e);
        } finally {
            timers.shutdown();
            try {
                timers.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            storage.close();
            if (pool != null) {
                pool.close();
            }
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
