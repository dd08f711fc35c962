package dev.spindle.http.server;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.runtime.net.IoStream;
import dev.spindle.runtime.net.StreamClosedException;
import dev.spindle.runtime.net.TcpClient;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
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
 * A socket client that sends text-block requests as written (bare {@code \n} becomes CRLF
 * unless {@code raw}) and parses responses strictly enough for wire tests (Helidon's
 * {@code SocketHttpClient}). {@link #connect} makes a blocking one for a test thread, whose reads
 * time out after 10 s so that a bug fails instead of hanging; {@link #connectOnLoop} makes one
 * for a coroutine, over an {@link IoStream} of the current loop, whose reads park the coroutine:
 * with the server on the same loop, a test on a virtual clock is deterministic.
 */
final class RawClient implements AutoCloseable {
    private final Closeable connection;
    private final InputStream in;
    private final OutputStream out;
    /** The client's port; -1 for a client on the loop. */
    private final int localPort;
    /** Half-closes the connection; null where that is not supported. */
    private final Closeable shutdownOutput;

    /** A parsed response; {@code headers} keys are lower case. */
    record Response(String version, int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawClient(Closeable connection, InputStream in, OutputStream out, int localPort, Closeable shutdownOutput) {
        this.connection = connection;
        this.in = in;
        this.out = out;
        this.localPort = localPort;
        this.shutdownOutput = shutdownOutput;
    }

    /** A blocking client on 127.0.0.1:{@code port}, for a test thread. */
    static RawClient connect(int port) {
        try {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            return new RawClient(socket, socket.getInputStream(), socket.getOutputStream(), socket.getLocalPort(),
                    socket::shutdownOutput);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A blocking client connected with TLS to {@code localhost:port}, trusting what
     * {@code context} trusts and checking the host name, its handshake completed.
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
            return new RawClient(s, s.getInputStream(), s.getOutputStream(), s.getLocalPort(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client on 127.0.0.1:{@code port} over a stream of the current loop; call in a coroutine. */
    static RawClient connectOnLoop(int port) {
        IoStream stream = await(TcpClient.create().connect("127.0.0.1", port));
        return new RawClient(stream::close, new StreamInput(stream), new StreamOutput(stream), -1, null);
    }

    /** Reads of an {@link IoStream} that park the calling coroutine; the end of the stream reads as -1. */
    private static final class StreamInput extends InputStream {
        private final IoStream stream;

        StreamInput(IoStream stream) {
            this.stream = stream;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            try {
                byte[] got = await(stream.readBytes(len, true));
                System.arraycopy(got, 0, b, off, got.length);
                return got.length;
            } catch (StreamClosedException e) {
                return -1;
            }
        }
    }

    /** Writes to an {@link IoStream} that park the calling coroutine until the kernel took the bytes. */
    private static final class StreamOutput extends OutputStream {
        private final IoStream stream;

        StreamOutput(IoStream stream) {
            this.stream = stream;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            await(stream.write(java.util.Arrays.copyOfRange(b, off, off + len)));
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
        if (localPort < 0) {
            throw new UnsupportedOperationException("a client on the loop does not know its port");
        }
        return localPort;
    }

    void shutdownOutput() throws IOException {
        if (shutdownOutput == null) {
            throw new UnsupportedOperationException("a client on the loop cannot half-close");
        }
        shutdownOutput.close();
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
            connection.close();
        } catch (IOException e) {
            // Nothing to release.
        }
    }
}
