package dev.billing.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM running a test-scope main class (of this module, or of a module whose tests use this
 * test-jar, such as the server's), with this JVM's class path; its
 * standard output is read line by line into a queue, its standard error goes to a file.
 */
public final class ChildJvm implements AutoCloseable {

    /** Put on the queue when the child's standard output ends. */
    public static final String EOF = "\u0000EOF";

    /** The child process. */
    public final Process process;
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final Path stderr;
    private final Thread reader;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        this.reader = new Thread(this::pump, "child-stdout-" + process.pid());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts a child with a 256 MB heap.
     *
     * @param main the main class, in the test classes on this JVM's class path
     * @param stderr where the child's standard error goes
     * @param args its arguments
     */
    public static ChildJvm start(Class<?> main, Path stderr, String... args) throws IOException {
        return start(main, stderr, List.of("-Xmx256m"), args);
    }

    /**
     * @param main the main class, in the test classes on this JVM's class path
     * @param stderr where the child's standard error goes
     * @param jvmOptions options for the child JVM, such as its heap size ({@code -Xmx64m})
     * @param args its arguments
     */
    public static ChildJvm start(Class<?> main, Path stderr, List<String> jvmOptions, String... args) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // surefire may run the tests from a manifest-only jar; its real class path is in this property
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:+UseSerialGC",
                // H2's AUTO_SERVER binds here and publishes this address: loopback only
                "-Dh2.bindAddress=127.0.0.1",
                "-cp", classPath, main.getName()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
                .start();
        return new ChildJvm(p, stderr);
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null;) {
                lines.add(line);
            }
        } catch (IOException e) {
            lines.add("IOException " + e);
        } finally {
            lines.add(EOF);
        }
    }

    /** @return the next line, or {@code null} when none came before {@code deadlineNanos} */
    public String next(long deadlineNanos) throws InterruptedException {
        long left = deadlineNanos - System.nanoTime();
        return left <= 0 ? lines.poll() : lines.poll(left, TimeUnit.NANOSECONDS);
    }

    /** Sends a line to the child's standard input. */
    public void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** @return every line still to come, until the output ends (bounded wait) */
    public List<String> rest(long timeoutSeconds) throws InterruptedException {
        reader.join(TimeUnit.SECONDS.toMillis(timeoutSeconds));
        List<String> rest = new ArrayList<>();
        lines.drainTo(rest);
        rest.remove(EOF);
        return rest;
    }

    /** @return the child's standard error so far, for failure messages */
    public String errors() {
        try {
            return Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(stderr unreadable: " + e + ")";
        }
    }

    /** Kills the child if it still runs, and waits (bounded) for it to end. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
