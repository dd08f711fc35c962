package dev.spindle.http.client;

import static dev.spindle.http.client.Loops.onLoop;
import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.Certificates;
import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpRequest;
import dev.spindle.http.codec.Http1Connection;
import dev.spindle.http.codec.Http1Event;
import dev.spindle.http.codec.Http1Writer;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.net.IoStream;
import dev.spindle.runtime.net.TcpClient;
import dev.spindle.runtime.net.TlsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An 8 MiB upload over TLS to a server that reads nothing until the client had to wait: the
 * {@link Exchange} writes the body a slice at a time, so the connection's write buffer (TLS
 * records the kernel did not take yet) stays near two slices however slowly the server reads.
 * The stream under the exchange is the real TLS stream, seen through a decorator that notes the
 * write buffer after every write.
 */
class LargeUploadTest {
    private static final int SIZE = 8 << 20;

    @BeforeAll
    static void makeCertificates() {
        Certificates.make();
    }

    @Test
    void anEightMibUploadOverTlsKeepsTheWriteBufferNearTwoSlices() throws Exception {
        byte[] body = new byte[SIZE];
        new Random(3).nextBytes(body);
        CompletableFuture<Void> clientWaits = new CompletableFuture<>();
        try (RawServer server = new RawServer((raw, n) -> {
            SSLSocket tls = (SSLSocket) Certificates.localhost().serverContext().getSocketFactory()
                    .createSocket(raw, null, raw.getPort(), true);
            tls.setUseClientMode(false);
            InputStream in = tls.getInputStream();
            RawServer.readHead(in);
            clientWaits.join(); // Reads no byte of the body until the client's writes had to wait.
            String digest = sha256(in);
            RawServer.write(tls, "HTTP/1.1 200 OK\nContent-Length: " + digest.length() + "\n\n" + digest);
        })) {
            WatchedStream[] watched = new WatchedStream[1];
            String answer = onLoop(() -> {
                IoStream tls = await(TcpClient.create().withTls(TlsOptions.client(Certificates.localhost().clientContext()))
                        .connect("localhost", server.port()));
                watched[0] = new WatchedStream(tls, clientWaits);
                return upload(watched[0], HttpRequest.post("https://localhost:" + server.port() + "/up", body));
            });
            assertEquals(sha256(new java.io.ByteArrayInputStream(body)), answer);
            assertTrue(watched[0].waits > 0, "the client waited for the kernel");
            long bound = 2L * Exchange.SLICE + 64 * 1024; // Two slices, and the records' overhead.
            assertTrue(watched[0].most <= bound, "write buffer reached " + watched[0].most + " bytes, bound " + bound);
        }
    }

    /** Sends {@code request} on {@code stream} with an exchange and returns the response body. */
    private static String upload(IoStream stream, HttpRequest request) throws Exception {
        OutgoingRequest outgoing = OutgoingRequest.of(request);
        PooledConnection c = new PooledConnection(outgoing.origin(),
                Http1Connection.forClient(stream, PooledHttpClient.PARSER_OPTIONS, new Http1Writer()));
        Exchange x = new Exchange(c, outgoing, HttpHeaders.create().add("Host", outgoing.hostHeader()));
        Http1Event.Head head = x.send();
        assertEquals("HTTP/1.1 200 OK", head.startLine().toString());
        BodySink.Collector sink = new BodySink.Collector(-1, 1 << 20);
        x.readBody(sink);
        c.close();
        return new String(sink.body(), java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static String sha256(InputStream in) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        for (long left = SIZE; left > 0; ) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new IOException("the body ended " + left + " bytes early");
            }
            md.update(buffer, 0, n);
            left -= n;
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * An {@link IoStream} that passes everything to the real one, noting the largest write
     * buffer after a write and the waits for it to drain; the first wait completes {@code waited}.
     */
    private static final class WatchedStream implements IoStream {
        private final IoStream real;
        private final CompletableFuture<Void> waited;
        /** The largest write buffer seen after a write, and the waits. Loop-confined. */
        long most;
        int waits;

        WatchedStream(IoStream real, CompletableFuture<Void> waited) {
            this.real = real;
            this.waited = waited;
        }

        @Override
        public CompletableFuture<Void> write(ByteBuffer... srcs) {
            CompletableFuture<Void> f = real.write(srcs);
            most = Math.max(most, real.writeBufferSize());
            return f;
        }

        @Override
        public CompletableFuture<Void> writeBufferAtMost(long bytes) {
            waits++;
            CompletableFuture<Void> f = real.writeBufferAtMost(bytes);
            waited.complete(null);
            return f;
        }

        @Override
        public CompletableFuture<byte[]> readUntil(byte[] delimiter, int maxBytes) {
            return real.readUntil(delimiter, maxBytes);
        }

        @Override
        public CompletableFuture<byte[]> readUntilRegex(Pattern pattern, int maxBytes) {
            return real.readUntilRegex(pattern, maxBytes);
        }

        @Override
        public CompletableFuture<byte[]> readBytes(int n, boolean partial) {
            return real.readBytes(n, partial);
        }

        @Override
        public CompletableFuture<Integer> readInto(ByteBuffer dst, boolean partial) {
            return real.readInto(dst, partial);
        }

        @Override
        public CompletableFuture<byte[]> readUntilClose() {
            return real.readUntilClose();
        }

        @Override
        public ByteBuffer readBuffer() {
            return real.readBuffer();
        }

        @Override
        public CompletableFuture<Integer> fill() {
            return real.fill();
        }

        @Override
        public long writeBufferSize() {
            return real.writeBufferSize();
        }

        @Override
        public void close() {
            real.close();
        }

        @Override
        public boolean isClosed() {
            return real.isClosed();
        }

        @Override
        public Throwable error() {
            return real.error();
        }

        @Override
        public CompletableFuture<Void> closeFuture() {
            return real.closeFuture();
        }

        @Override
        public void setNoDelay(boolean noDelay) {
            real.setNoDelay(noDelay);
        }

        @Override
        public int maxBufferSize() {
            return real.maxBufferSize();
        }

        @Override
        public void setMaxBufferSize(int bytes) {
            real.setMaxBufferSize(bytes);
        }

        @Override
        public SocketAddress remoteAddress() {
            return real.remoteAddress();
        }

        @Override
        public IOLoop loop() {
            return real.loop();
        }

        @Override
        public String toString() {
            return "WatchedStream[" + real + ", most " + most + ", waits " + waits + "]";
        }
    }
}
