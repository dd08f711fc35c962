package dev.spindle.runtime.net;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.internal.Durations;
import dev.spindle.runtime.internal.Log;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The TLS settings of a {@link TcpServer} ({@link TcpServer#tls}) or a {@link TcpClient}
 * ({@link TcpClient#withTls}): the {@link SSLContext}, peer verification, ALPN, the protocol
 * versions, the handshake deadline and where the engine's delegated tasks run (Tornado: the
 * {@code ssl_options} of its servers and clients). <b>Thread-safe:</b> immutable.
 *
 * {@snippet :
 * TcpServer server = TcpServer.create(loop, handler)
 *         .tls(TlsOptions.server(serverContext).withApplicationProtocols("http/1.1"))
 *         .listen(8443, InetAddress.getLoopbackAddress());
 *
 * TcpClient client = TcpClient.create().withTls(TlsOptions.client(trustingContext));
 * TlsStream stream = (TlsStream) await(client.connect("localhost", 8443));
 * }
 *
 * <p>{@link dev.spindle.runtime.testing.TestCertificates} makes contexts for tests.
 *
 * <table class="striped">
 * <caption>Settings and defaults</caption>
 * <tr><th>component</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code clientMode}</td><td></td><td>which end of the handshake this is</td></tr>
 * <tr><td>{@code context}</td><td>client: the JDK's default, {@code SSLContext.getDefault()}
 *     (its trust store; loaded off the loop on first use); server: required</td>
 *     <td>key managers (the certificate a server shows) and trust managers (what is verified)</td></tr>
 * <tr><td>{@code verifyPeer}</td><td>client: true; server: false</td><td>client: verify the
 *     server's certificate chain and its host name (HTTPS endpoint identification); false is
 *     <b>unsafe</b>, see {@link #withPeerVerification}. Server: ask for a client certificate and
 *     require it to verify</td></tr>
 * <tr><td>{@code applicationProtocols}</td><td>none</td><td>ALPN: a client offers these, in
 *     order; a server picks the first of its own list the client offers, and fails the handshake
 *     ({@code no_application_protocol}) if the client offers only others</td></tr>
 * <tr><td>{@code protocols}</td><td>the context's (TLS 1.3 and 1.2 on JDK 25)</td>
 *     <td>protocol versions enabled, e.g. {@code "TLSv1.3"}</td></tr>
 * <tr><td>{@code handshakeTimeout}</td><td>10 s</td><td>the handshake must be over by then;
 *     else it fails with {@link dev.spindle.runtime.TimeoutException} and the connection is
 *     closed</td></tr>
 * <tr><td>{@code taskExecutor}</td><td>null: Spindle's pool of platform threads</td><td>runs
 *     the engine's delegated tasks (key exchange, signatures, certificate checks), so that they
 *     never hold the loop, as {@link IOLoop#runInExecutor} does</td></tr>
 * </table>
 *
 * @param clientMode true for the client end, false for a server (as {@link SSLEngine#setUseClientMode})
 * @param context the SSL context; null on a client for the JDK's default
 * @param verifyPeer whether the peer's certificate is verified (see the table)
 * @param applicationProtocols ALPN protocol names, in preference order; may be empty
 * @param protocols enabled protocol versions; empty for the context's defaults
 * @param handshakeTimeout the handshake deadline, positive
 * @param taskExecutor where delegated tasks run; null for Spindle's shared pool
 * @since 0.2
 */
public record TlsOptions(boolean clientMode, SSLContext context, boolean verifyPeer, List<String> applicationProtocols,
        List<String> protocols, Duration handshakeTimeout, Executor taskExecutor) {

    /** Default {@link #handshakeTimeout()}: 10 seconds. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Whether the warning about a client that verifies nothing was logged in this process. */
    private static final AtomicBoolean WARNED_UNVERIFIED = new AtomicBoolean();

    /**
     * Checks the settings, and logs a warning on {@code spindle.general}, once per process, when
     * they make a client that verifies nothing.
     *
     * @throws NullPointerException if a server has no context, or a list or the timeout is null
     * @throws IllegalArgumentException if a protocol name is blank or too long for ALPN (255
     *     bytes), or the timeout is not positive
     */
    public TlsOptions {
        if (!clientMode) {
            Objects.requireNonNull(context, "context: a server needs an SSLContext with its certificate");
        }
        applicationProtocols = names(applicationProtocols, "applicationProtocols");
        protocols = names(protocols, "protocols");
        Durations.requirePositive(handshakeTimeout, "handshakeTimeout");
        if (clientMode && !verifyPeer && WARNED_UNVERIFIED.compareAndSet(false, true)) {
            Log.GENERAL.log(System.Logger.Level.WARNING, "TLS peer verification is off for a client"
                    + " (TlsOptions.withPeerVerification(false)): it accepts any certificate for any host name,"
                    + " so anyone between it and the server can read and change the traffic; use it only for tests");
        }
    }

    private static List<String> names(List<String> names, String what) {
        List<String> copy = List.copyOf(Objects.requireNonNull(names, what));
        for (String n : copy) {
            if (n.isBlank() || n.getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new IllegalArgumentException(what + ": blank or longer than 255 bytes: \"" + n + "\"");
            }
        }
        return copy;
    }

    /**
     * Settings for a server that shows the certificate of {@code context}'s key manager.
     *
     * @throws NullPointerException if {@code context} is null
     */
    public static TlsOptions server(SSLContext context) {
        return new TlsOptions(false, Objects.requireNonNull(context, "context"), false, List.of(), List.of(),
                DEFAULT_HANDSHAKE_TIMEOUT, null);
    }

    /** Settings for a client that trusts what the JDK's default trust store trusts. */
    public static TlsOptions client() {
        return new TlsOptions(true, null, true, List.of(), List.of(), DEFAULT_HANDSHAKE_TIMEOUT, null);
    }

    /**
     * Settings for a client that trusts what {@code context}'s trust managers trust, e.g. a
     * private CA, and shows the certificate of its key manager if the server asks for one.
     *
     * @throws NullPointerException if {@code context} is null
     */
    public static TlsOptions client(SSLContext context) {
        return new TlsOptions(true, Objects.requireNonNull(context, "context"), true, List.of(), List.of(),
                DEFAULT_HANDSHAKE_TIMEOUT, null);
    }

    /**
     * A copy with {@code protocols} as the ALPN protocol names (e.g. {@code "h2"},
     * {@code "http/1.1"}), in preference order; none turns ALPN off.
     *
     * @throws IllegalArgumentException if a name is blank or longer than 255 bytes
     */
    public TlsOptions withApplicationProtocols(String... protocols) {
        return new TlsOptions(clientMode, context, verifyPeer, Arrays.asList(protocols.clone()), this.protocols,
                handshakeTimeout, taskExecutor);
    }

    /**
     * A copy that enables only {@code protocols} (e.g. {@code "TLSv1.3"}, {@code "TLSv1.2"});
     * none for the context's defaults. A name the context does not support fails the connection.
     *
     * @throws IllegalArgumentException if a name is blank
     */
    public TlsOptions withProtocols(String... protocols) {
        return new TlsOptions(clientMode, context, verifyPeer, applicationProtocols, Arrays.asList(protocols.clone()),
                handshakeTimeout, taskExecutor);
    }

    /**
     * A copy whose handshakes must end within {@code timeout}.
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public TlsOptions withHandshakeTimeout(Duration timeout) {
        return new TlsOptions(clientMode, context, verifyPeer, applicationProtocols, protocols, timeout, taskExecutor);
    }

    /** A copy whose engines run their delegated tasks on {@code executor}; null for Spindle's shared pool. */
    public TlsOptions withTaskExecutor(Executor executor) {
        return new TlsOptions(clientMode, context, verifyPeer, applicationProtocols, protocols, handshakeTimeout, executor);
    }

    /**
     * A copy that verifies the peer's certificate, or not.
     *
     * <p>On a client, verification is on by default. <b>Turning it off is unsafe:</b> the
     * client then accepts any certificate, self-signed, expired or for another host, so anyone
     * on the path can impersonate the server. It is meant for tests against servers whose
     * certificate cannot be trusted otherwise. The client then uses an {@code SSLContext} of its
     * own that trusts everything (and has no key manager), not {@link #context()}. The first such
     * client settings of the process log a warning on {@code spindle.general}.
     *
     * <p>On a server, verification is off by default; on, the server asks for a client
     * certificate and the handshake fails unless the client presents one that the context's
     * trust managers accept.
     */
    public TlsOptions withPeerVerification(boolean verify) {
        return new TlsOptions(clientMode, context, verify, applicationProtocols, protocols, handshakeTimeout, taskExecutor);
    }

    /** The context engines are made from: completed at once unless a default must be loaded (off the loop). */
    CompletableFuture<SSLContext> sslContext(IOLoop loop) {
        if (clientMode && !verifyPeer) {
            return SslContexts.trustingEverything(loop);
        }
        return context != null ? CompletableFuture.completedFuture(context) : SslContexts.jdkDefault(loop);
    }

    /**
     * A new engine of {@code context} set up for this end; {@code host} and {@code port} name the
     * server on a client (for host name verification and SNI), and are ignored on a server.
     *
     * @throws IllegalArgumentException if the context does not support {@link #protocols()}
     */
    SSLEngine newEngine(SSLContext context, String host, int port) {
        SSLEngine engine = clientMode ? context.createSSLEngine(host, port) : context.createSSLEngine();
        engine.setUseClientMode(clientMode);
        SSLParameters p = engine.getSSLParameters();
        if (clientMode) {
            if (verifyPeer) {
                p.setEndpointIdentificationAlgorithm("HTTPS");
            }
            SNIHostName sni = sniName(host);
            p.setServerNames(sni == null ? List.of() : List.of(sni));
        } else {
            p.setNeedClientAuth(verifyPeer);
        }
        if (!applicationProtocols.isEmpty()) {
            p.setApplicationProtocols(applicationProtocols.toArray(String[]::new));
        }
        if (!protocols.isEmpty()) {
            p.setProtocols(protocols.toArray(String[]::new));
        }
        engine.setSSLParameters(p);
        return engine;
    }

    /** The SNI name for {@code host}: none for an IP address or a name SNI cannot carry. */
    private static SNIHostName sniName(String host) {
        if (Resolver.immediate(host) != null && !host.equalsIgnoreCase("localhost")) {
            return null;
        }
        try {
            return new SNIHostName(host);
        } catch (IllegalArgumentException e) {
            return null; // e.g. an underscore or a trailing dot: connect without SNI rather than not at all.
        }
    }

    @Override
    public String toString() {
        return "TlsOptions[" + (clientMode ? "client" : "server")
                + (context == null ? ", JDK default context" : ", " + context.getProtocol() + " context")
                + (verifyPeer ? ", verifies peer" : clientMode ? ", VERIFIES NOTHING" : "")
                + (applicationProtocols.isEmpty() ? "" : ", ALPN " + applicationProtocols)
                + (protocols.isEmpty() ? "" : ", protocols " + protocols)
                + ", handshake timeout " + handshakeTimeout.toMillis() + " ms"
                + (taskExecutor == null ? "" : ", tasks on " + taskExecutor) + "]";
    }
}
