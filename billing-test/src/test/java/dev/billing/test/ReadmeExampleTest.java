package dev.billing.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README's "Testing your billing code" example is, line for line, examples/host-test's
 * {@code RenewalTest}, which the build compiles and runs: a host that copies it from the README gets a
 * test that passes.
 */
class ReadmeExampleTest {

    private static final Path ROOT = Path.of("..");

    @Test
    void theReadmesTestExample_isTheExampleHostsRenewalTest() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
        int section = readme.indexOf("### Testing your billing code");
        assertTrue(section >= 0, "the README has its testing section");
        int start = readme.indexOf("```java\n", section) + "```java\n".length();
        int end = readme.indexOf("```", start);
        List<String> printed = readme.substring(start, end).strip().lines().toList();

        List<String> source = Files.readAllLines(ROOT.resolve(
                "examples/host-test/src/test/java/com/example/paas/RenewalTest.java"), StandardCharsets.UTF_8);
        // the file as printed, without its package line and its class comment
        List<String> compiled = source.stream()
                .filter(line -> !line.startsWith("package ") && !line.startsWith("/** "))
                .collect(Collectors.joining("\n")).strip().lines().toList();
        assertEquals(compiled, printed);
    }
}
