package dev.billing.bench;

import dev.billing.core.usage.UsageEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Usage ingestion over real HTTP: {@code POST /v2/accounts/{ran}/usage} with a batch of {@code batch}
 * fresh events to the standalone server ({@link ServerProcess}, its own JVM), one keep-alive client per
 * thread, each on an account of its own ({@link #http}), beside the engine's own
 * {@code usage().ingestBatch} of the same batch on the same kind of storage, a database of its own, same
 * durability ({@link #engineDirect}), same run. Events per second are the secondary result {@code events}
 * ({@link IngestionBenchmark.Events}).
 *
 * <p>The server's rate card is {@link Fixtures#RATES}, defined through {@code POST /v2/rates}; each
 * thread's account is opened by a first recharge. The request body (built before each call, outside the
 * measurement) carries every quantity as an exact JSON number; any answer but 200 with every event
 * accepted fails the benchmark.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HttpIngestionBenchmark {

    /** The target and batch size, for the whole trial. */
    @State(Scope.Benchmark)
    public static class Setting {
        @Param({"h2-process-crash"})
        public String target;

        @Param({"1000", "10000"})
        public int batch;

        final String run = UUID.randomUUID().toString().substring(0, 8);
    }

    /** The server, with its rate card, started for the trial of {@link #http}. */
    @State(Scope.Benchmark)
    public static class Server {
        ServerProcess server;
        URI base;

        @Setup(Level.Trial)
        public void start(Setting s) throws Exception {
            server = ServerProcess.start(s.target, 8);
            base = URI.create("http://127.0.0.1:" + server.port);
            HttpClient client = client();
            for (Fixtures.Line l : Fixtures.RATES) {
                HttpBenchmark.post(client, base.resolve("/v2/rates"), "{\"offeringCode\":\"" + l.offeringCode()
                        + "\",\"chargeType\":\"" + l.chargeType() + "\",\"unitOfMeasure\":\"" + l.unitOfMeasure()
                        + "\",\"currency\":\"CNY\",\"rate\":" + l.unitRate().toPlainString()
                        + ",\"effectiveFrom\":\"2016-01-01\"}", null);
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            server.close();
        }
    }

    /** The engine on a storage of the target's kind, with the same rate card, for {@link #engineDirect}. */
    @State(Scope.Benchmark)
    public static class Direct {
        Target t;

        @Setup(Level.Trial)
        public void open(Setting s) throws Exception {
            t = Target.open(s.target);
            Fixtures.defineRates(t.engine);
        }

        @TearDown(Level.Trial)
        public void close() {
            t.close();
        }
    }

    /** One thread's account and the batch of its next call. */
    @State(Scope.Thread)
    public static class Batch {
        String namespace;
        String prefix;
        int calls;
        List<UsageEvent> events;
        String body;

        @Setup(Level.Trial)
        public void name(Setting s, ThreadParams thread) {
            namespace = "hu-" + thread.getThreadIndex();
            prefix = s.run + "-" + thread.getThreadIndex() + "-";
        }

        @Setup(Level.Invocation)
        public void next(Setting s) {
            Instant at = Instant.now();
            String call = prefix + calls++ + "-";
            List<UsageEvent> next = new ArrayList<>(s.batch);
            StringBuilder json = new StringBuilder(s.batch * 120).append("{\"usage\":[");
            for (int i = 0; i < s.batch; i++) {
                UsageEvent e = Fixtures.event(call + i, namespace, i, at);
                next.add(e);
                json.append(i == 0 ? "" : ",").append("{\"eventId\":\"").append(e.eventId())
                        .append("\",\"offeringCode\":\"").append(e.offeringCode())
                        .append("\",\"chargeType\":\"").append(e.chargeType())
                        .append("\",\"quantity\":").append(e.quantity().toPlainString())
                        .append(",\"timestamp\":\"").append(e.timestamp()).append("\"}");
            }
            events = next;
            body = json.append("]}").toString();
        }
    }

    /** One client thread's connection, and its account opened over HTTP. */
    @State(Scope.Thread)
    public static class Client {
        KeepAliveClient client;
        String usage;

        @Setup(Level.Trial)
        public void open(Setting s, Server server, Batch b) throws IOException, InterruptedException {
            HttpBenchmark.post(client(), server.base.resolve("/payment/v1/recharge"), "{\"amount\":1.00,\"namespace\":\""
                    + b.namespace + "\",\"currency\":\"CNY\"}", "open-" + s.run + "-" + b.namespace);
            client = new KeepAliveClient(server.base);
            usage = "/v2/accounts/" + b.namespace + "/usage";
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            client.close();
        }
    }

    /** One engine thread's account. */
    @State(Scope.Thread)
    public static class DirectAccount {
        @Setup(Level.Trial)
        public void open(Setting s, Direct d, Batch b) {
            d.t.engine.accounts().openAccount(b.namespace, Fixtures.CNY, "open-" + s.run + "-" + b.namespace);
        }
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
    }

    @Benchmark
    public String http(Batch b, Client c, IngestionBenchmark.Events counted) throws IOException {
        KeepAliveClient.Answer a = c.client.post(c.usage, b.body, "X-Auth-Token: " + ServerProcess.TOKEN);
        if (a.status() != 200) {
            throw new IllegalStateException(c.usage + " answered " + a.status() + ": " + a.body());
        }
        String answer = a.body();
        String accepted = "\"accepted\":" + b.events.size() + ",";
        if (!answer.contains(accepted)) {
            throw new IllegalStateException("not every event was accepted: "
                    + answer.substring(0, Math.min(answer.length(), 300)));
        }
        counted.events += b.events.size();
        return answer;
    }

    @Benchmark
    public int engineDirect(Direct d, Batch b, DirectAccount a, IngestionBenchmark.Events counted) {
        int n = Fixtures.ingest(d.t.engine, b.events);
        counted.events += n;
        return n;
    }
}
