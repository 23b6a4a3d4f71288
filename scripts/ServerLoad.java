import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed HTTP load on a running billing server, for comparing servers on one machine in one sitting
 * (never a benchmark of the engine: see BENCHMARKS.md for those). Each of CLIENTS threads keeps one
 * keep-alive connection and, for SECONDS, alternates a recharge (a new Idempotency-Key each time) and
 * a balance read on its own namespace. Prints requests per second and latency percentiles.
 *
 * <p>Run: {@code java scripts/ServerLoad.java http://127.0.0.1:8080 ops-secret 20 8}
 */
public class ServerLoad {
    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        int seconds = Integer.parseInt(args[2]);
        int clients = Integer.parseInt(args[3]);
        String run = Long.toString(System.nanoTime(), 36);
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        long warmEnd = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        long end = warmEnd + Duration.ofSeconds(seconds).toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String ns = "load-" + run + "-" + c;
            Thread t = new Thread(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                int i = 0;
                while (System.nanoTime() < end) {
                    HttpRequest r = i % 2 == 0
                            ? HttpRequest.newBuilder(URI.create(base + "/payment/v1/recharge"))
                                    .header("X-Auth-Token", token).header("Content-Type", "application/json")
                                    .header("Idempotency-Key", ns + "-" + i)
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "{\"amount\":1.25,\"namespace\":\"" + ns + "\"}")).build()
                            : HttpRequest.newBuilder(URI.create(base + "/payment/v1/balance?namespace=" + ns))
                                    .header("X-Auth-Token", token).GET().build();
                    i++;
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
                        long t1 = System.nanoTime();
                        if (res.statusCode() != 200) {
                            errors.incrementAndGet();
                        } else if (t0 >= warmEnd) {
                            latencies.add(t1 - t0);
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        System.out.printf("clients=%d seconds=%d requests=%d errors=%d rps=%d p50=%.2fms p99=%.2fms%n", clients,
                seconds, sorted.size(), errors.get(), sorted.size() / seconds, pct(sorted, 50), pct(sorted, 99));
    }

    private static double pct(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100)) / 1e6;
    }
}
