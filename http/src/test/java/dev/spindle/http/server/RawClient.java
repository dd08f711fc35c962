package dev.spindle.http.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A blocking socket client that sends text-block requests as written (bare {@code \n} becomes
 * CRLF unless {@code raw}) and parses responses strictly enough for wire tests (Helidon's
 * {@code SocketHttpClient}). Reads time out after 10 s so that a bug fails instead of hanging.
 */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** A parsed response; {@code headers} keys are lower case. */
    record Response(String version, int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawClient connect(int port) {
        try {
            return new RawClient(new Socket(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Connects with TLS to {@code localhost:port}, trusting what {@code context} trusts and
     * checking the host name, and completes the handshake.
     */
    static RawClient connectTls(int port, SSLContext context) {
        try {
            SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setServerNames(List.of(new SNIHostName("localhost")));
            s.setSSLParameters(p);
            s.setSoTimeout(10_000);
            s.startHandshake();
            return new RawClient(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Converts a text block's line ends to CRLF. */
    static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    RawClient send(String text) {
        return sendRaw(crlf(text));
    }

    RawClient sendRaw(String text) {
        return sendBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient sendBytes(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Sends {@code text} one byte per write: the slowest client there is. */
    RawClient sendSlowly(String text) {
        for (byte b : crlf(text).getBytes(StandardCharsets.ISO_8859_1)) {
            sendBytes(new byte[] {b});
        }
        return this;
    }

    int localPort() {
        return socket.getLocalPort();
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads one response to a request that is not HEAD. */
    Response read() {
        return read(false);
    }

    /** Reads one response; {@code head}: it answers a HEAD request, so has no body. */
    Response read(boolean head) {
        try {
            String statusLine = line();
            String[] parts = statusLine.split(" ", 3);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l; !(l = line()).isEmpty(); ) {
                int colon = l.indexOf(':');
                headers.merge(l.substring(0, colon).toLowerCase(Locale.ROOT), l.substring(colon + 1).strip(),
                        (a, b) -> a + ", " + b);
            }
            int status = Integer.parseInt(parts[1]);
            String body = head || status == 204 || status == 304 || status / 100 == 1 ? "" : body(headers);
            return new Response(parts[0], status, headers, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String body(Map<String, String> headers) throws IOException {
        String length = headers.get("content-length");
        if (length != null) {
            return new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        } else if ("chunked".equals(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (int size; (size = Integer.parseInt(line().split(";")[0].strip(), 16)) > 0; ) {
                body.write(in.readNBytes(size));
                line();
            }
            while (!line().isEmpty()) {
                // Trailers.
            }
            return body.toString(StandardCharsets.UTF_8);
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Reads a CRLF-terminated line, without the CRLF. */
    String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("end of stream after " + sb);
            }
            sb.append((char) c);
        }
        if (sb.isEmpty() || sb.charAt(sb.length() - 1) != '\r') {
            throw new IOException("line not ended by CRLF: " + sb);
        }
        return sb.substring(0, sb.length() - 1);
    }

    /** Whether the server closed the connection: the next read sees end of stream (or a reset). */
    boolean isClosedByServer() {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // Reset.
        }
    }

    /** Everything until the server closes. */
    String readToEnd() {
        try {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing to release.
        }
    }
}
