package dev.spindle.runtime.net;

import dev.spindle.runtime.IOLoop;
import java.net.Socket;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The SSL contexts {@link TlsOptions} may stand for without naming one: the JDK's default, and
 * one that trusts every certificate. Each is made once per process, off the loop, since making
 * one reads and parses a trust store or initializes the TLS provider.
 *
 * <p><b>Thread-safe:</b> may be called from any thread.
 */
final class SslContexts {
    /** The JDK's default context once loaded; null before. */
    private static volatile SSLContext jdkDefault;
    /** The context that trusts everything once made; null before. */
    private static volatile SSLContext trustingEverything;

    private SslContexts() {}

    /** {@code SSLContext.getDefault()}, completed on {@code loop}. */
    static CompletableFuture<SSLContext> jdkDefault(IOLoop loop) {
        SSLContext c = jdkDefault;
        if (c != null) {
            return CompletableFuture.completedFuture(c);
        }
        return loop.runInExecutor(null, () -> jdkDefault = SSLContext.getDefault());
    }

    /** A context whose trust manager accepts every certificate chain, completed on {@code loop}. */
    static CompletableFuture<SSLContext> trustingEverything(IOLoop loop) {
        SSLContext c = trustingEverything;
        if (c != null) {
            return CompletableFuture.completedFuture(c);
        }
        return loop.runInExecutor(null, () -> {
            SSLContext made = SSLContext.getInstance("TLS");
            made.init(null, new TrustManager[] {new TrustingEverything()}, null);
            return trustingEverything = made;
        });
    }

    /** Accepts every chain; host names are not checked either, since no endpoint identification is set. */
    private static final class TrustingEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
