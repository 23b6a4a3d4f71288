package dev.billing.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One blocking HTTP/1.1 keep-alive connection, for a benchmark thread: it writes a request and reads the
 * answer on the calling thread, with {@code TCP_NODELAY}, and nothing else. The JDK's {@code HttpClient}
 * hands each exchange between the caller and its selector thread, which on this 2-core machine costs the
 * server processor time and each round trip wake-ups; a load generator should cost as little as it can.
 *
 * <p>Understands what the server sends: a status line, headers, and a body of {@code Content-Length}
 * bytes (the server does not chunk its JSON answers; a chunked or length-less answer fails the request).
 * Not thread-safe: one per thread.
 */
final class KeepAliveClient implements Closeable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String host;

    KeepAliveClient(URI server) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 10_000);
        socket.setSoTimeout(60_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        host = server.getHost() + ":" + server.getPort();
    }

    /** An answer: its status and its body. */
    record Answer(int status, String body) { }

    /**
     * POSTs a JSON body and reads the answer.
     *
     * @param headers further header lines, each {@code "Name: value"}
     */
    Answer post(String path, String json, String... headers) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(256).append("POST ").append(path).append(" HTTP/1.1\r\nHost: ")
                .append(host).append("\r\nContent-Type: application/json\r\nContent-Length: ").append(body.length)
                .append("\r\n");
        for (String h : headers) {
            request.append(h).append("\r\n");
        }
        request.append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        return read();
    }

    private Answer read() throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        int length = -1;
        for (String h = line(); !h.isEmpty(); h = line()) {
            int colon = h.indexOf(':');
            String name = colon < 0 ? h : h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (name.equals("content-length")) {
                length = Integer.parseInt(h.substring(colon + 1).trim());
            } else if (name.equals("transfer-encoding") || name.equals("connection")
                    && h.substring(colon + 1).trim().equalsIgnoreCase("close")) {
                throw new IOException("the server answered with " + h + ", which this client does not read");
            }
        }
        if (length < 0) {
            throw new IOException("an answer without Content-Length");
        }
        return new Answer(code, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("the server closed the connection");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
