package dev.billing.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes {@code BENCHMARKS.md} from JMH's JSON results ({@code -rf json}), one file or more per
 * benchmark class, as {@code scripts/benchmarks} writes them: the machine, the JVM and the databases,
 * the command and each run's JMH options, every figure with its error, each engine figure beside its
 * baseline from the same run, the ratio, and the verdict against issue 10's targets. A ratio whose
 * interval (from the two figures' errors) contains the target is marked "within the noise".
 *
 * <p>Scores are read as {@link BigDecimal} and printed rounded; nothing here is money, but the project
 * keeps binary floating point out of its code altogether.
 *
 * <p>One method per section, one section per benchmark class, in the order the file reads; the file is
 * longer than most (past 600 lines) for that reason: each section is the layout of one table of
 * {@code BENCHMARKS.md}, and splitting them across classes would only move the shared helpers at the end
 * into a second file every section still needs.
 *
 * <p>Usage: {@code Report <results directory> <output file>}.
 */
public final class Report {

    /** {@code memory-parallel-gc}: the in-memory target in a fork run with {@code -XX:+UseParallelGC}. */
    private static final List<String> TARGETS = List.of("memory", "memory-parallel-gc", "h2-default", "h2-process-crash",
            "h2-power-loss", "postgresql", "mariadb");
    private static final MathContext MC = new MathContext(12, RoundingMode.HALF_EVEN);

    /** One JMH result: a benchmark method under one set of parameters and thread count. */
    record Result(String cls, String method, int threads, Map<String, String> params, BigDecimal score,
            BigDecimal error, String unit, Map<String, BigDecimal[]> secondary, JsonNode raw) {

        boolean matches(String c, String m, Integer t, Map<String, String> p) {
            return cls.equals(c) && method.equals(m) && (t == null || threads == t)
                    && p.entrySet().stream().allMatch(e -> e.getValue().equals(params.get(e.getKey())));
        }

        /** @return the score and error of the secondary metric {@code name}, or of the primary one for {@code null} */
        BigDecimal[] metric(String name) {
            return name == null ? new BigDecimal[] {score, error} : secondary.get(name);
        }
    }

    /** A figure with its error. */
    record Figure(BigDecimal score, BigDecimal error) {
    }

    private final List<Result> results;
    private final StringBuilder out = new StringBuilder();
    private final List<String[]> verdicts = new ArrayList<>();

    private Report(List<Result> results) {
        this.results = results;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: Report <results directory> <output file>");
        }
        List<Result> results = new ArrayList<>();
        ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
        try (Stream<Path> files = Files.list(Path.of(args[0]))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                for (JsonNode n : json.readTree(f.toFile())) {
                    results.add(result(n));
                }
            }
        }
        Files.writeString(Path.of(args[1]), new Report(results).render());
    }

    private static Result result(JsonNode n) {
        String name = n.get("benchmark").asText();
        int dot = name.lastIndexOf('.');
        String cls = name.substring(name.lastIndexOf('.', dot - 1) + 1, dot);
        Map<String, String> params = new LinkedHashMap<>();
        if (n.has("params")) {
            n.get("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        }
        Map<String, BigDecimal[]> secondary = new LinkedHashMap<>();
        if (n.has("secondaryMetrics")) {
            n.get("secondaryMetrics").fields().forEachRemaining(e -> secondary.put(e.getKey(),
                    new BigDecimal[] {number(e.getValue().get("score")), number(e.getValue().get("scoreError"))}));
        }
        if ("memory".equals(params.get("target")) && n.path("jvmArgs").toString().contains("-XX:+UseParallelGC")) {
            params.put("target", "memory-parallel-gc");
        }
        JsonNode primary = n.get("primaryMetric");
        return new Result(cls, name.substring(dot + 1), n.get("threads").asInt(), params, number(primary.get("score")),
                number(primary.get("scoreError")), primary.get("scoreUnit").asText(), secondary, n);
    }

    /** @return the number, or {@code null} for JMH's "NaN" (an error from a single iteration) */
    private static BigDecimal number(JsonNode n) {
        return n == null || !n.isNumber() ? null : n.decimalValue();
    }

    private String render() {
        line("# Benchmarks");
        line("");
        line("Written by `scripts/benchmarks` from JMH's JSON results (`Report`); do not edit by hand. What the");
        line("figures mean, what bounds each missed target and the profiles behind them: `docs/performance.md`.");
        line("Every engine figure stands beside a baseline measured in the same run (raw JDBC doing the minimal");
        line("equivalent SQL on a database of its own with the same schema and durability, or for HTTP, the engine");
        line("itself on the same storage). This machine is shared and noisy: read the ratios, not the digits. ± is");
        line("JMH's 99.9 % interval; a verdict \"within the noise\" means the ratio's interval, from both figures'");
        line("errors, contains the target.");
        line("");
        environment();
        recharge("RechargeBenchmark", "Recharge");
        statements();
        durability();
        recharge("CheckoutBenchmark", "Checkout");
        ingestion();
        estimate();
        runDue();
        history();
        http();
        layers();
        summary();
        return out.toString();
    }

    private void environment() {
        line("## Machine and run");
        line("");
        Result any = results.isEmpty() ? null : results.get(0);
        line("- date: " + LocalDate.now());
        line("- machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + memory() + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.version"));
        if (any != null) {
            line("- JVM: " + any.raw().path("vmName").asText() + " " + any.raw().path("vmVersion").asText()
                    + " (JDK " + any.raw().path("jdkVersion").asText() + "), JMH " + any.raw().path("jmhVersion").asText());
        }
        line("- databases: H2 " + org.h2.engine.Constants.VERSION + " (files in a temporary directory)"
                + database("BILLING_BENCH_POSTGRES_URL") + database("BILLING_BENCH_MARIADB_URL"));
        line("- command: `scripts/benchmarks` (PostgreSQL and MariaDB when `BILLING_BENCH_POSTGRES_URL` /"
                + " `BILLING_BENCH_MARIADB_URL` are set); its JMH options per class:");
        Set<String> runs = new LinkedHashSet<>();
        for (Result r : results) {
            JsonNode n = r.raw();
            runs.add("  - `" + r.cls() + "`: " + n.path("forks").asInt() + " fork, " + n.path("warmupIterations").asInt()
                    + " × " + n.path("warmupTime").asText() + " warm-up, " + n.path("measurementIterations").asInt()
                    + " × " + n.path("measurementTime").asText() + " measured"
                    + (n.path("jvmArgs").isEmpty() ? "" : ", JVM " + n.path("jvmArgs").toString()));
        }
        runs.forEach(this::line);
        line("");
    }

    private static String memory() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(l.replaceAll("\\D", ""));
                    return (kb + 512 * 1024) / (1024 * 1024) + " GiB";
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: leave it out
        }
        return "memory unknown";
    }

    private static String database(String variable) {
        String url = System.getenv(variable);
        if (url == null || url.isBlank()) {
            return "";
        }
        try (Connection c = DriverManager.getConnection(url)) {
            return ", " + c.getMetaData().getDatabaseProductName() + " " + c.getMetaData().getDatabaseProductVersion()
                    + " on the same machine";
        } catch (SQLException e) {
            return ", " + variable + " unreachable (" + e.getMessage() + ")";
        }
    }

    private void recharge(String cls, String title) {
        if (!ran(cls)) {
            return;
        }
        line("## " + title + " (`" + cls + "`)");
        line("");
        line("| target | threads | wallets | engine ops/s (±) | raw JDBC ops/s (±) | engine ÷ raw | target |");
        line("|---|---|---|---|---|---|---|");
        for (String target : TARGETS) {
            for (int threads : List.of(1, 4)) {
                for (String wallets : List.of("many", "one")) {
                    Map<String, String> p = Map.of("target", target, "wallets", wallets);
                    Optional<Figure> engine = figure(cls, "engine", threads, p, null);
                    if (engine.isEmpty()) {
                        continue;
                    }
                    Optional<Figure> raw = figure(cls, "rawJdbc", threads, p, null);
                    BigDecimal goal = threads == 4 && !target.startsWith("memory") && !target.equals("h2-power-loss")
                            ? new BigDecimal(wallets.equals("many") ? "0.8" : "0.5") : null;
                    String verdict = verdict(engine.get(), raw, goal);
                    row(target, threads, wallets, fig(engine), fig(raw), ratio(engine, raw), goal == null ? "" : "≥ " + goal + ": " + verdict);
                    if (goal != null) {
                        verdicts.add(new String[] {title.toLowerCase(Locale.ROOT) + " ≥ " + goal + " × raw, 4 threads, "
                                + (wallets.equals("many") ? "many wallets" : "one hot wallet"), target,
                                ratio(engine, raw), verdict});
                    }
                }
            }
        }
        line("");
        if (cls.equals("RechargeBenchmark")) {
            inMemory(cls);
        }
    }

    /**
     * The in-memory recharge from one thread under the JVM's default collector (G1) and the parallel one,
     * with the share of the measured time the collector's pauses took ({@code -prof gc}'s {@code gc.time}).
     */
    private void inMemory(String cls) {
        List<String[]> rows = new ArrayList<>();
        for (String target : List.of("memory", "memory-parallel-gc")) {
            Map<String, String> p = Map.of("target", target, "wallets", "many");
            Optional<Figure> m = figure(cls, "engine", 1, p, null);
            if (m.isEmpty()) {
                continue;
            }
            BigDecimal goal = new BigDecimal(250_000);
            String what = target.equals("memory") ? "the JVM's default collector (G1)" : "`-XX:+UseParallelGC`";
            verdicts.add(new String[] {"in memory ≥ 250,000 recharges/s, one thread, " + what, target, fig(m), absolute(m.get(), goal)});
            Optional<BigDecimal> share = results.stream().filter(r -> r.matches(cls, "engine", 1, p)).findFirst()
                    .flatMap(r -> Optional.ofNullable(r.secondary().get("gc.time")).map(g -> pausedShare(r, g[0])));
            rows.add(new String[] {what, fig(m),
                    share.map(x -> x.multiply(new BigDecimal(100)).setScale(0, RoundingMode.HALF_EVEN) + " %").orElse(""),
                    share.filter(x -> x.compareTo(BigDecimal.ONE) < 0)
                            .map(x -> number(m.get().score().divide(BigDecimal.ONE.subtract(x), MC))).orElse("")});
        }
        if (rows.isEmpty()) {
            return;
        }
        line("### In memory, one thread: the collector");
        line("");
        line("| collector | engine ops/s (±) | measured time in the collector's pauses | ops/s outside the pauses |");
        line("|---|---|---|---|");
        rows.forEach(r -> row((Object[]) r));
        line("");
    }

    /** @return {@code gcMillis} (summed over the measured iterations) as a share of their time */
    private static BigDecimal pausedShare(Result r, BigDecimal gcMillis) {
        String[] time = r.raw().path("measurementTime").asText().split(" ");
        BigDecimal millis = new BigDecimal(time[0]).multiply(switch (time[1]) {
            case "ms" -> BigDecimal.ONE;
            case "s" -> new BigDecimal(1000);
            default -> throw new IllegalStateException("measurement time " + r.raw().path("measurementTime"));
        }).multiply(new BigDecimal(r.raw().path("measurementIterations").asInt()));
        return gcMillis.divide(millis, MC);
    }

    /** The engine's own statements as raw JDBC, between the minimal SQL and the engine. */
    private void statements() {
        String cls = "RechargeBenchmark";
        if (results.stream().noneMatch(r -> r.cls().equals(cls) && r.method().equals("engineStatements"))) {
            return;
        }
        line("### The engine's own statements (recharge, `engineStatements`)");
        line("");
        line("The statements a recharge of the engine runs (the balance change returning the account's row, the");
        line("transaction with the balance after it, its postings, the idempotency key's row, commit), as raw JDBC");
        line("on the baseline's database: what the engine's SQL costs beyond the minimal SQL, and what the engine");
        line("costs beyond its SQL.");
        line("");
        line("| target | threads | wallets | its statements ops/s (±) | statements ÷ raw | engine ÷ statements |");
        line("|---|---|---|---|---|---|");
        for (String target : TARGETS) {
            for (int threads : List.of(1, 4)) {
                for (String wallets : List.of("many", "one")) {
                    Map<String, String> p = Map.of("target", target, "wallets", wallets);
                    Optional<Figure> sql = figure(cls, "engineStatements", threads, p, null);
                    if (sql.isEmpty()) {
                        continue;
                    }
                    row(target, threads, wallets, fig(sql), ratio(sql, figure(cls, "rawJdbc", threads, p, null)),
                            ratio(figure(cls, "engine", threads, p, null), sql));
                }
            }
        }
        line("");
    }

    private void durability() {
        Map<String, String> crash = Map.of("target", "h2-process-crash", "wallets", "many");
        Map<String, String> plain = Map.of("target", "h2-default", "wallets", "many");
        Optional<Figure> engineCrash = figure("RechargeBenchmark", "engine", 4, crash, null);
        Optional<Figure> enginePlain = figure("RechargeBenchmark", "engine", 4, plain, null);
        if (engineCrash.isEmpty() || enginePlain.isEmpty()) {
            return;
        }
        line("### Durability (recharge, 4 threads, many wallets)");
        line("");
        line("| | durable ops/s (±) | H2's default write delay ops/s (±) | ratio | target |");
        line("|---|---|---|---|---|");
        String verdict = verdict(engineCrash.get(), enginePlain, new BigDecimal("0.5"));
        row("the engine: `PROCESS_CRASH` ÷ `H2_DEFAULT`", fig(engineCrash), fig(enginePlain), ratio(engineCrash, enginePlain),
                "≥ 0.5: " + verdict);
        verdicts.add(new String[] {"`PROCESS_CRASH` ≥ 0.5 × the engine's `H2_DEFAULT`, 4 threads", "h2-process-crash",
                ratio(engineCrash, enginePlain), verdict});
        Optional<Figure> rawCrash = figure("RechargeBenchmark", "rawJdbc", 4, crash, null);
        Optional<Figure> rawPlain = figure("RechargeBenchmark", "rawJdbc", 4, plain, null);
        row("H2 itself, raw JDBC: `WRITE_DELAY=0` ÷ its default", fig(rawCrash), fig(rawPlain), ratio(rawCrash, rawPlain), "");
        Map<String, String> power = Map.of("target", "h2-power-loss", "wallets", "many");
        Optional<Figure> enginePower = figure("RechargeBenchmark", "engine", 4, power, null);
        Optional<Figure> rawPower = figure("RechargeBenchmark", "rawJdbc", 4, power, null);
        if (enginePower.isPresent()) {
            line("");
            line("| `POWER_LOSS` | ops/s (±) |");
            line("|---|---|");
            row("the engine, fsyncs grouped (one `CHECKPOINT SYNC` for every commit that waited)", fig(enginePower));
            row("raw JDBC, `WRITE_DELAY=0` and one `CHECKPOINT SYNC` after every commit", fig(rawPower));
            row("grouped ÷ one per commit", ratio(enginePower, rawPower));
            verdicts.add(new String[] {"`POWER_LOSS`: grouped fsyncs beside one fsync per commit", "h2-power-loss",
                    ratio(enginePower, rawPower), "reported"});
        }
        line("");
    }

    private void ingestion() {
        String cls = "IngestionBenchmark";
        if (!ran(cls)) {
            return;
        }
        line("## Usage ingestion (`" + cls + "`, one thread; events/s)");
        line("");
        line("| target | batch | engine events/s (±) | batch insert events/s (±) | engine ÷ insert | target |");
        line("|---|---|---|---|---|---|");
        for (String target : TARGETS) {
            for (String batch : List.of("1000", "10000")) {
                Map<String, String> p = Map.of("target", target, "batch", batch);
                Optional<Figure> engine = figure(cls, "engine", 1, p, "events");
                if (engine.isEmpty()) {
                    continue;
                }
                Optional<Figure> raw = figure(cls, "rawJdbc", 1, p, "events");
                String goal = "";
                if (batch.equals("10000") && !target.equals("memory")) {
                    String v = verdict(engine.get(), raw, new BigDecimal("0.8"));
                    goal = "≥ 0.8: " + v;
                    verdicts.add(new String[] {"ingestion ≥ 0.8 × the batch insert, batches of 10,000", target,
                            ratio(engine, raw), v});
                    if (target.startsWith("h2-")) {
                        String fast = absolute(engine.get(), new BigDecimal(100_000));
                        goal += "; ≥ 100,000/s: " + fast;
                        verdicts.add(new String[] {"ingestion ≥ 100,000 events/s on H2 file, batches of 10,000", target,
                                fig(engine), fast});
                    }
                }
                row(target, batch, fig(engine), fig(raw), ratio(engine, raw), goal);
            }
        }
        line("");
        String http = "HttpIngestionBenchmark";
        if (ran(http)) {
            line("Over HTTP (`" + http + "`, h2-process-crash, one keep-alive client, the server in its own JVM):");
            line("");
            line("| batch | over HTTP events/s (±) | the engine itself events/s (±) | HTTP ÷ engine | target |");
            line("|---|---|---|---|---|");
            for (String batch : List.of("1000", "10000")) {
                Map<String, String> p = Map.of("batch", batch);
                Optional<Figure> over = figure(http, "http", 1, p, "events");
                Optional<Figure> direct = figure(http, "engineDirect", 1, p, "events");
                if (over.isEmpty()) {
                    continue;
                }
                String goal = "";
                if (batch.equals("10000")) {
                    String v = absolute(over.get(), new BigDecimal(50_000));
                    goal = "≥ 50,000/s: " + v;
                    verdicts.add(new String[] {"ingestion over HTTP ≥ 50,000 events/s", "h2-process-crash", fig(over), v});
                }
                row(batch, fig(over), fig(direct), ratio(over, direct), goal);
            }
            line("");
        }
    }

    private void estimate() {
        String cls = "EstimateBenchmark";
        if (!ran(cls)) {
            return;
        }
        line("## Estimated charges (`" + cls + "`, one thread, fork `-Xmx4g`)");
        line("");
        line("| target | usage rows in the period | engine ops/s (±) | `GROUP BY` ops/s (±) | engine time ÷ `GROUP BY` time | target |");
        line("|---|---|---|---|---|---|");
        for (String target : TARGETS) {
            for (String rows : List.of("1000", "100000", "1000000")) {
                Map<String, String> p = Map.of("target", target, "rows", rows);
                Optional<Figure> engine = figure(cls, "engine", 1, p, null);
                if (engine.isEmpty()) {
                    continue;
                }
                Optional<Figure> raw = figure(cls, "rawJdbc", 1, p, null);
                String goal = "";
                if (rows.equals("1000000") && raw.isPresent()) {
                    // time ratio: at most 1.2 means the engine's rate at least 1 / 1.2 of the baseline's
                    String v = verdict(engine.get(), raw, BigDecimal.ONE.divide(new BigDecimal("1.2"), MC));
                    goal = "≤ 1.2: " + v;
                    verdicts.add(new String[] {"estimate at 10^6 rows ≤ 1.2 × the `GROUP BY`", target, ratio(raw, engine), v});
                }
                row(target, rows, fig(engine), fig(raw), ratio(raw, engine), goal);
            }
        }
        line("");
    }

    private void runDue() {
        String cls = "RunDueBenchmark";
        if (!ran(cls)) {
            return;
        }
        line("## `runDue` over 10^4 accounts (`" + cls + "`, single shot: seconds per run, lower is faster)");
        line("");
        line("| target | engine s (±) | set-based SQL in one transaction s (±) | engine time ÷ baseline time |");
        line("|---|---|---|---|");
        for (String target : TARGETS) {
            Map<String, String> p = Map.of("target", target);
            Optional<Figure> engine = figure(cls, "engine", null, p, null);
            if (engine.isEmpty()) {
                continue;
            }
            Optional<Figure> raw = figure(cls, "rawJdbc", null, p, null);
            row(target, fig(engine), fig(raw), ratio(engine, raw));
            if (raw.isPresent()) {
                verdicts.add(new String[] {"`runDue` over 10^4 accounts (time ÷ the baseline's)", target,
                        ratio(engine, raw), "reported"});
            }
        }
        line("");
    }

    private void history() {
        String cls = "HistoryBenchmark";
        if (!ran(cls)) {
            return;
        }
        line("## Recharge over history (`" + cls + "`, one thread)");
        line("");
        line("| target | postings already stored | engine ops/s (±) | ÷ empty | raw JDBC ops/s (±) | raw ÷ empty |");
        line("|---|---|---|---|---|---|");
        for (String target : TARGETS) {
            Map<String, String> empty = Map.of("target", target, "history", "0");
            Map<String, String> full = Map.of("target", target, "history", "1000000");
            Optional<Figure> e0 = figure(cls, "engine", 1, empty, null);
            Optional<Figure> e6 = figure(cls, "engine", 1, full, null);
            if (e0.isEmpty() || e6.isEmpty()) {
                continue;
            }
            Optional<Figure> r0 = figure(cls, "rawJdbc", 1, empty, null);
            Optional<Figure> r6 = figure(cls, "rawJdbc", 1, full, null);
            row(target, "0", fig(e0), "", fig(r0), "");
            String v = verdict(e6.get(), e0, new BigDecimal("0.9"));
            row(target, "10^6", fig(e6), ratio(e6, e0), fig(r6), ratio(r6, r0));
            verdicts.add(new String[] {"recharge over 10^6 postings within 10 % of an empty database", target,
                    ratio(e6, e0), v});
        }
        line("");
    }

    private void http() {
        String cls = "HttpBenchmark";
        if (!ran(cls)) {
            return;
        }
        line("## Recharge over HTTP (`" + cls + "`, h2-process-crash, the server in its own JVM, keep-alive clients)");
        line("");
        line("| clients | over HTTP ops/s (±) | the engine itself, same threads (±) | HTTP ÷ engine | target |");
        line("|---|---|---|---|---|");
        for (String[] m : List.of(new String[] {"1", "http", "engineDirect"}, new String[] {"8", "http8", "engineDirect8"})) {
            Optional<Figure> over = figure(cls, m[1], null, Map.of(), null);
            Optional<Figure> direct = figure(cls, m[2], null, Map.of(), null);
            if (over.isEmpty()) {
                continue;
            }
            String goal = "";
            if (m[0].equals("8")) {
                String v = verdict(over.get(), direct, new BigDecimal("0.7"));
                goal = "≥ 0.7: " + v;
                verdicts.add(new String[] {"HTTP recharge from 8 clients ≥ 0.7 × the engine", "h2-process-crash",
                        ratio(over, direct), v});
            }
            row(m[0], fig(over), fig(direct), ratio(over, direct), goal);
        }
        Optional<Figure> transport = figure(cls, "transport8", null, Map.of(), null);
        if (transport.isPresent()) {
            line("");
            line("The transport alone, same run (`transport8`: the same request from 8 clients with an unknown"
                    + " token, answered 401 before any route or storage): " + fig(transport) + " requests/s.");
        }
        line("");
    }

    private void layers() {
        String cls = "LayersBenchmark";
        if (!ran(cls)) {
            return;
        }
        line("## Where a recharge's time goes on H2 (`" + cls + "`, one thread, H2's default write delay)");
        line("");
        line("| layer (method) | ops/s (±) | ÷ the layer it adds to |");
        line("|---|---|---|");
        // method, what it is, and the method it is compared with
        String[][] layers = {
            {"rawJdbc", "raw JDBC: the baseline's 4 statements and a commit on one long-lived connection", null},
            {"pooledJdbc", "the same on a connection from H2's pool per transaction, at READ COMMITTED", "rawJdbc"},
            {"jdbi", "the same 4 statements through a JDBI handle per transaction, on H2's pool", "pooledJdbc"},
            {"engine", "the engine's recharge (`JdbiStorage.builder()`: its HikariCP pool; ÷ JDBI on H2's pool)", "jdbi"},
            {"hikariJdbc", "raw JDBC on a HikariCP connection per transaction (÷ raw JDBC)", "rawJdbc"},
            {"engineStatements", "the engine's own statements as raw JDBC on a HikariCP connection per transaction:"
                    + " the balance change returning the row, the transaction, its postings, the key's row"
                    + " (÷ the baseline's statements on HikariCP)", "hikariJdbc"},
            {"engine", "the engine's recharge again (÷ its own statements as raw JDBC, which ran on the baseline's"
                    + " H2 file: the engine's Java and JDBI's handle, and the engine's file's H2 settings)",
                    "engineStatements"},
            {"engineOnHikari", "the engine through `JdbiStorage.of` a host's HikariCP pool (÷ the engine)", "engine"},
        };
        for (String[] layer : layers) {
            Optional<Figure> f = figure(cls, layer[0], null, Map.of(), null);
            if (f.isEmpty()) {
                continue;
            }
            row(layer[1] + " (`" + layer[0] + "`)", fig(f),
                    layer[2] == null ? "" : ratio(f, figure(cls, layer[2], null, Map.of(), null)));
        }
        line("");
    }

    private void summary() {
        line("## Against issue 10's targets");
        line("");
        line("| target | storage | measured | verdict |");
        line("|---|---|---|---|");
        for (String[] v : verdicts) {
            row((Object[]) v);
        }
        line("");
        line("What bounds each target marked \"missed\", with the measurement that shows it: `docs/performance.md`,");
        line("\"Where each of issue 10's targets stands\".");
        line("");
    }

    /** @return whether the results hold any run of the benchmark class {@code cls} */
    private boolean ran(String cls) {
        return results.stream().anyMatch(r -> r.cls().equals(cls));
    }

    private Optional<Figure> figure(String cls, String method, Integer threads, Map<String, String> params, String metric) {
        return results.stream().filter(r -> r.matches(cls, method, threads, params)).findFirst()
                .map(r -> r.metric(metric)).filter(m -> m != null && m[0] != null).map(m -> new Figure(m[0], m[1]));
    }

    /** @return holds / missed against {@code goal} for engine ÷ baseline, with "within the noise" where the interval spans it */
    private static String verdict(Figure engine, Optional<Figure> baseline, BigDecimal goal) {
        if (baseline.isEmpty() || goal == null) {
            return "no baseline";
        }
        Figure b = baseline.get();
        BigDecimal ratio = engine.score().divide(b.score(), MC);
        boolean holds = ratio.compareTo(goal) >= 0;
        BigDecimal low = engine.score().subtract(orZero(engine.error())).max(BigDecimal.ZERO)
                .divide(b.score().add(orZero(b.error())), MC);
        BigDecimal bLow = b.score().subtract(orZero(b.error()));
        boolean spans = low.compareTo(goal) < 0 && (bLow.signum() <= 0
                || engine.score().add(orZero(engine.error())).divide(bLow, MC).compareTo(goal) >= 0);
        return (holds ? "holds" : "missed") + (spans ? ", within the noise" : "");
    }

    private static String absolute(Figure f, BigDecimal goal) {
        boolean holds = f.score().compareTo(goal) >= 0;
        BigDecimal e = orZero(f.error());
        boolean spans = holds ? f.score().subtract(e).compareTo(goal) < 0 : f.score().add(e).compareTo(goal) >= 0;
        return (holds ? "holds" : "missed") + (spans ? ", within the noise" : "");
    }

    private static BigDecimal orZero(BigDecimal b) {
        return b == null ? BigDecimal.ZERO : b;
    }

    private static String ratio(Optional<Figure> top, Optional<Figure> bottom) {
        if (top.isEmpty() || bottom.isEmpty() || bottom.get().score().signum() == 0) {
            return "";
        }
        return top.get().score().divide(bottom.get().score(), MC).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String fig(Optional<Figure> f) {
        return f.map(x -> number(x.score()) + (x.error() == null ? "" : " (± " + number(x.error()) + ")")).orElse("—");
    }

    /** Three significant digits below 100, whole numbers with thousands separators from 100. */
    static String number(BigDecimal b) {
        if (b.abs().compareTo(new BigDecimal(100)) >= 0) {
            return String.format(Locale.ROOT, "%,d", b.setScale(0, RoundingMode.HALF_EVEN).toBigInteger());
        }
        return b.round(new MathContext(3, RoundingMode.HALF_EVEN)).stripTrailingZeros().toPlainString();
    }

    private void row(Object... cells) {
        StringBuilder b = new StringBuilder("|");
        for (Object c : cells) {
            b.append(' ').append(c).append(" |");
        }
        line(b.toString());
    }

    private void line(String s) {
        out.append(s).append('\n');
    }
}
