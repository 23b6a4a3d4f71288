package dev.billing.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.javamoney.moneta.Money;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Recharges per second over real HTTP: the standalone server ({@link ServerProcess}, its own JVM) serving
 * {@code POST /payment/v1/recharge} to 1 ({@link #http}) and 8 ({@link #http8}) client threads, each with
 * its own {@link KeepAliveClient} (HTTP/1.1, keep-alive: one connection per thread) and its own wallet,
 * beside the engine's own {@code wallet().recharge} on the same kind of storage (a database of its own,
 * same durability) from 1 ({@link #engineDirect}) and 8 ({@link #engineDirect8}) threads, same run, and
 * the transport alone ({@link #transport8}). The thread counts are the methods' {@link Threads}; JMH's
 * {@code -t} would override them all.
 *
 * <p>Targets: {@code h2-process-crash} (the server's H2 file; it has no other H2 durability and no
 * in-memory storage), {@code postgresql}, {@code mariadb}. The request body carries the amount as an exact
 * JSON number ({@code 1.25}); any answer but 200 (401 for the transport) fails the benchmark.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HttpBenchmark {

    private static final BigDecimal AMOUNT = new BigDecimal("1.25");
    private static final Money MONEY = Money.of(AMOUNT, "CNY");

    /** The target, for the whole trial. */
    @State(Scope.Benchmark)
    public static class Setting {
        @Param({"h2-process-crash"})
        public String target;

        final AtomicLong keys = new AtomicLong();
        final String run = UUID.randomUUID().toString().substring(0, 8);

        String key() {
            return run + "-" + keys.incrementAndGet();
        }
    }

    /** The server, started for the trial of an {@code http} method. */
    @State(Scope.Benchmark)
    public static class Server {
        ServerProcess server;
        URI recharge;

        @Setup(Level.Trial)
        public void start(Setting s) throws Exception {
            server = ServerProcess.start(s.target, 8);
            recharge = URI.create("http://127.0.0.1:" + server.port + "/payment/v1/recharge");
        }

        @TearDown(Level.Trial)
        public void stop() {
            server.close();
        }
    }

    /** One client thread: its connection and its wallet, opened by its first recharge. */
    @State(Scope.Thread)
    public static class Client {
        KeepAliveClient client;
        String namespace;

        @Setup(Level.Trial)
        public void open(Setting s, Server server, ThreadParams thread) throws IOException {
            client = new KeepAliveClient(server.recharge);
            namespace = "h-" + thread.getThreadIndex();
            recharge(s, this, ServerProcess.TOKEN, 200);
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            client.close();
        }
    }

    /** The engine on a storage of the target's kind, for the trial of an {@code engineDirect} method. */
    @State(Scope.Benchmark)
    public static class Direct {
        Target t;

        @Setup(Level.Trial)
        public void open(Setting s) throws Exception {
            if (!s.target.equals("h2-process-crash") && !s.target.equals("postgresql") && !s.target.equals("mariadb")) {
                throw new UnsupportedOperationException("the standalone server cannot serve " + s.target
                        + ", so there is nothing to compare with");
            }
            t = Target.open(s.target);
        }

        @TearDown(Level.Trial)
        public void close() {
            t.close();
        }
    }

    /** One engine thread's wallet. */
    @State(Scope.Thread)
    public static class DirectWallet {
        String namespace;

        @Setup(Level.Trial)
        public void open(Setting s, Direct d, ThreadParams thread) {
            namespace = "h-" + thread.getThreadIndex();
            d.t.engine.wallet().recharge(namespace, MONEY, "open-" + s.key());
        }
    }

    /** A recharge of the client's wallet with a fresh key, which must be answered {@code expected}. */
    static String recharge(Setting s, Client c, String token, int expected) throws IOException {
        String body = "{\"amount\":" + AMOUNT.toPlainString() + ",\"namespace\":\"" + c.namespace
                + "\",\"currency\":\"CNY\"}";
        KeepAliveClient.Answer a = c.client.post("/payment/v1/recharge", body, "X-Auth-Token: " + token,
                "Idempotency-Key: k-" + s.key());
        if (a.status() != expected) {
            throw new IllegalStateException("recharge answered " + a.status() + ", not " + expected + ": " + a.body());
        }
        return a.body();
    }

    /**
     * POSTs a JSON body with the operator's token through the JDK's client, for setting up.
     *
     * @param idempotencyKey the {@code Idempotency-Key}, or {@code null} for none
     * @return the body of the answer
     * @throws IllegalStateException when the answer is not 200
     */
    static String post(HttpClient client, URI uri, String body, String idempotencyKey)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("X-Auth-Token", ServerProcess.TOKEN)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new IllegalStateException(uri.getPath() + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    @Benchmark
    @Threads(1)
    public String http(Setting s, Server server, Client c) throws IOException {
        return recharge(s, c, ServerProcess.TOKEN, 200);
    }

    @Benchmark
    @Threads(8)
    public String http8(Setting s, Server server, Client c) throws IOException {
        return recharge(s, c, ServerProcess.TOKEN, 200);
    }

    /**
     * The transport alone: the same request from 8 clients with a token the server does not know, answered
     * 401 by the handler before any route or storage is reached: the rate at which HTTP itself, both ends
     * of it, goes on this machine, where the clients and the server share the processors.
     */
    @Benchmark
    @Threads(8)
    public String transport8(Setting s, Server server, Client c) throws IOException {
        return recharge(s, c, "not-a-token", 401);
    }

    /**
     * The engine's recharge from 8 threads, each pausing between its recharges for as long as
     * {@link Pace#micros} (parked, as a client waiting on its socket is): whether time spent outside the
     * engine, at the same number of callers, costs the engine's rate what HTTP costs it (fewer callers
     * wait for each group commit).
     */
    @Benchmark
    @Threads(8)
    public Object engineDirect8Paced(Setting s, Direct d, DirectWallet w, Pace p) {
        LockSupport.parkNanos(p.micros * 1_000L);
        return d.t.engine.wallet().recharge(w.namespace, MONEY, "k-" + s.key());
    }

    /** The pause alone, from one thread: how long {@link #engineDirect8Paced}'s pause really takes. */
    @Benchmark
    @Threads(1)
    public void pause(Pace p) {
        LockSupport.parkNanos(p.micros * 1_000L);
    }

    /** The pause between paced recharges. */
    @State(Scope.Benchmark)
    public static class Pace {
        /** Microseconds asked of {@link LockSupport#parkNanos}; the kernel adds its timer slack. */
        @Param({"200"})
        public int micros;
    }

    @Benchmark
    @Threads(1)
    public Object engineDirect(Setting s, Direct d, DirectWallet w) {
        return d.t.engine.wallet().recharge(w.namespace, MONEY, "k-" + s.key());
    }

    @Benchmark
    @Threads(8)
    public Object engineDirect8(Setting s, Direct d, DirectWallet w) {
        return d.t.engine.wallet().recharge(w.namespace, MONEY, "k-" + s.key());
    }
}
