package dev.billing.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tls-keystore}: HTTPS over loopback with a certificate made for the test by the JDK's keytool. */
class TlsTest {

    private static final String PASSWORD = "test-only-password";

    @TempDir
    Path dir;

    Path keystore() throws IOException, InterruptedException {
        Path file = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "billing", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD,
                "-keypass", PASSWORD).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + out);
        return file;
    }

    static SSLContext trusting(Path keystore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }

    @Test
    void tlsKeystore_servesHttps_andNotPlainHttp() throws Exception {
        Path keystore = keystore();
        ServerOptions o = ServerOptions.parse(List.of("--db", dir.resolve("billing").toString(), "--port", "0",
                "--due-every", "0", "--tls-keystore", keystore.toString()),
                Map.of(ServerOptions.TLS_PASSWORD_ENV, PASSWORD));
        try (BillingServer server = BillingServer.start(o, BillingServer.resource("examples/catalog.json"),
                BillingServer.resource("examples/tokens.json"))) {
            assertTrue(server.describe().startsWith("https://127.0.0.1:"), server.describe());
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(keystore)).build();
            HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port()
                    + "/payment/v1/regions")).header("X-Auth-Token", "watcher-secret").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"identification\":\"aws\""), r.body());
            // the same port does not speak plain HTTP: a token sent in clear is never answered
            assertThrows(IOException.class, () -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + server.port() + "/payment/v1/regions")).header("X-Auth-Token", "watcher-secret")
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
    }

    @Test
    void aWrongKeystorePassword_failsTheStart_namingNoSecret() throws Exception {
        Path keystore = keystore();
        ServerOptions o = ServerOptions.parse(List.of("--db", dir.resolve("billing").toString(), "--port", "0",
                "--due-every", "0", "--tls-keystore", keystore.toString()),
                Map.of(ServerOptions.TLS_PASSWORD_ENV, "wrong"));
        Exception e = assertThrows(Exception.class, () -> BillingServer.start(o, null, null).close());
        assertTrue(!String.valueOf(e.getMessage()).contains("wrong"), e.getMessage());
        // the database it opened is closed again: the same file opens at once
        try (BillingServer again = BillingServer.start(ServerOptions.parse(List.of("--db",
                dir.resolve("billing").toString(), "--port", "0", "--due-every", "0"), Map.of()), null, null)) {
            assertTrue(again.port() > 0);
        }
    }
}
