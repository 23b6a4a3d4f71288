package dev.billing.server;

import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The server's one listening socket: HTTP/1.1, or HTTPS from a PKCS#12 keystore, with the options' limits. */
final class Connectors {

    private Connectors() {
    }

    /** @return a connector on the options' address and port, added to {@code server} (not yet started) */
    static ServerConnector open(Server server, ServerOptions o) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // the handler reads the raw path and refuses what it does not know itself, in the API's words
        http.setUriCompliance(UriCompliance.LEGACY);
        HttpConnectionFactory h1 = new HttpConnectionFactory(http);
        ServerConnector connector;
        if (o.tls() == null) {
            connector = new ServerConnector(server, 1, 1, h1);
        } else {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStoreType("PKCS12");
            ssl.setKeyStorePath(o.tls().keystore().toAbsolutePath().toString());
            ssl.setKeyStorePassword(o.tls().password());
            connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(ssl, h1.getProtocol()), h1);
        }
        connector.setHost(o.bind());
        connector.setPort(o.port());
        connector.setIdleTimeout(TimeUnit.SECONDS.toMillis(o.idleTimeoutSeconds()));
        connector.setAcceptedTcpNoDelay(true); // Jetty's default, said here: keep-alive requests never wait for Nagle
        connector.setAcceptQueueSize(128);
        server.addConnector(connector);
        return connector;
    }
}
