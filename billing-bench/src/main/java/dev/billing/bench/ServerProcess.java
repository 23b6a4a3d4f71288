package dev.billing.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standalone server ({@code dev.billing.server.BillingServer serve}) as its users run it: a JVM of
 * its own on this class path, bound to 127.0.0.1 on a free port, with one operator token, no catalog and
 * no due runs. Its database: an H2 file in a temporary directory ({@code h2-process-crash}, the
 * server's only H2 durability), or a scratch database on PostgreSQL or MariaDB ({@code --jdbc-url}).
 * {@link #close()} stops it with SIGTERM (its graceful stop) and drops its database.
 */
final class ServerProcess implements AutoCloseable {

    /** The operator token it accepts ({@code billing:admin}, every namespace). */
    static final String TOKEN = "bench-operator";
    private static final Pattern LISTENING = Pattern.compile("billing server listening on http://127\\.0\\.0\\.1:(\\d+) .*");

    final int port;
    private final Process process;
    private final Path dir;
    private final Target.Scratch scratch;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Stops the server when the fork ends without a tear-down: it must not outlive the benchmark. */
    private final Thread onExit = new Thread(this::close, "billing-bench-server-stop");

    private ServerProcess(Process process, int port, Path dir, Target.Scratch scratch) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.scratch = scratch;
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /**
     * @param target {@code h2-process-crash}, {@code postgresql} or {@code mariadb}
     * @param poolSize its connections to a database server (the engine's pool of {@link Target} has 8)
     */
    static ServerProcess start(String target, int poolSize) throws IOException, SQLException {
        if (!List.of("h2-process-crash", "postgresql", "mariadb").contains(target)) {
            throw new UnsupportedOperationException("the standalone server serves an H2 file with durability"
                    + " PROCESS_CRASH (target h2-process-crash), PostgreSQL or MariaDB; it has no " + target + " storage");
        }
        Path dir = Files.createTempDirectory("billing-bench-server");
        Target.Scratch scratch = null;
        Process p = null;
        try {
            Path tokens = dir.resolve("tokens.json");
            Files.writeString(tokens, "{\"tokens\":[{\"token\":\"" + TOKEN + "\",\"user\":\"bench\","
                    + "\"roles\":[\"billing:admin\"],\"all_namespaces\":true}]}");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> command = new ArrayList<>(List.of(java));
            // the server's own JVM options, separated by '|' (JMH splits its -jvmArgsAppend at spaces), such as a
            // flight recording: -jvmArgsAppend -Dbilling.bench.serverJvmArgs=-XX:StartFlightRecording=filename=s.jfr
            String extra = System.getProperty("billing.bench.serverJvmArgs", "").strip();
            if (!extra.isEmpty()) {
                command.addAll(List.of(extra.split("\\|")));
            }
            command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                    "dev.billing.server.BillingServer", "serve", "--port", "0", "--bind", "127.0.0.1", "--due-every", "0",
                    "--drain", "2", "--tokens", tokens.toString()));
            if (target.equals("h2-process-crash")) {
                command.addAll(List.of("--db", dir.resolve("server").toString()));
            } else {
                scratch = Target.Scratch.create(target);
                command.addAll(List.of("--jdbc-url", scratch.url, "--db-pool-size", Integer.toString(poolSize)));
            }
            Path stderr = dir.resolve("stderr.txt");
            p = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
            try {
                return new ServerProcess(p, port(p).get(60, TimeUnit.SECONDS), dir, scratch);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("the server did not start (" + e + "); its stderr:\n" + Files.readString(stderr), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the server started", e);
            }
        } catch (IOException | SQLException | RuntimeException e) {
            if (p != null) {
                p.destroyForcibly();
            }
            if (scratch != null) {
                scratch.close();
            }
            Target.deleteTree(dir);
            throw e;
        }
    }

    /** @return the port the server says it listens on; a daemon thread reads (and drops) the rest of its output */
    private static CompletableFuture<Integer> port(Process p) {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null;) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.matches()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IOException("the server's output ended"));
        }, "billing-bench-server-out");
        reader.setDaemon(true);
        reader.start();
        return port;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (Thread.currentThread() != onExit) {
            Runtime.getRuntime().removeShutdownHook(onExit);
        }
        try {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            if (scratch != null) {
                scratch.close();
            }
            Target.deleteTree(dir);
        }
    }
}
