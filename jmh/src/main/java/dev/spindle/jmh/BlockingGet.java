package dev.spindle.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A GET with plain blocking socket I/O, as a thread-per-request client writes it: the request,
 * then reads until the head and its {@code Content-Length} body are in, so the connection can
 * carry the next request.
 *
 * <p><b>Thread-safe:</b> may be called from any thread, one call per socket at a time.
 */
final class BlockingGet {
    private BlockingGet() {}

    /** A new connection to {@code port} on 127.0.0.1. */
    static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(ServerControl.LOOPBACK, port));
        s.setTcpNoDelay(true);
        return s;
    }

    /**
     * A new TLS connection to {@code port} on 127.0.0.1, its handshake done. It trusts any
     * certificate: it only checks that a benchmark's https server answers, as wrk, which does
     * not verify either, then loads it.
     */
    static Socket connectTls(int port) throws IOException {
        SSLSocket s;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingEveryone()}, null);
            s = (SSLSocket) context.getSocketFactory().createSocket();
        } catch (GeneralSecurityException e) {
            throw new IOException("no TLS client here: " + e, e);
        }
        s.connect(new InetSocketAddress(ServerControl.LOOPBACK, port));
        s.setTcpNoDelay(true);
        s.startHandshake();
        return s;
    }

    /** Accepts every server certificate; see {@link #connectTls}. */
    private static final class TrustingEveryone implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a client-side trust manager");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // Any: see connectTls.
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /** Sends {@code GET /} on {@code s} and returns the status code once the whole response is read. */
    static int get(Socket s) throws IOException {
        s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + s.getPort() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = s.getInputStream();
        byte[] buf = new byte[1024];
        int have = 0;
        int end;
        while ((end = headEnd(buf, have)) < 0) {
            int k = in.read(buf, have, buf.length - have);
            if (k < 0) {
                throw new IOException("closed after " + have + " bytes");
            }
            have += k;
        }
        String head = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
        int length = contentLength(head);
        for (int body = have - end - 4; body < length; ) {
            int k = in.read(buf, 0, buf.length);
            if (k < 0) {
                throw new IOException("closed in the body");
            }
            body += k;
        }
        return Integer.parseInt(head.substring(9, 12));
    }

    private static int headEnd(byte[] b, int n) {
        for (int i = 0; i + 3 < n; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                return Integer.parseInt(line.substring(15).strip());
            }
        }
        return 0;
    }
}
