package dev.spindle.runtime.net;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimeoutException;
import dev.spindle.runtime.TimerHandle;
import dev.spindle.runtime.internal.ResumingFuture;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.StandardConstants;

/**
 * The handshake that turns a connected {@link SocketStream} into a {@link TlsStream}: wraps,
 * unwraps and has the engine's delegated tasks run off the loop until the engine is done, the
 * deadline passes or something fails (Tornado: {@code SSLIOStream._do_ssl_handshake}).
 *
 * <p><b>Loop-confined:</b> {@link #start} is called on the loop; everything after runs there.
 */
/*
 * Implementation notes:
 *
 *   NEED_WRAP   --wrap, write (not awaited: the socket stream keeps the order)--> next status
 *   NEED_UNWRAP --a whole record--> next status; --part of one--> fill the socket, then again
 *   NEED_TASK   --tasks on the task executor, completed on the loop--> next status
 *   FINISHED or NOT_HANDSHAKING --> the stream is established; the result completes with it
 *   any --SSLException, end of connection, deadline, result cancelled--> stream closed, result failed
 *
 * Off the loop go the delegated tasks, which in the JDK's engine do the costly work (key
 * agreement, signatures, certificate path checks), and a client's beginHandshake, which makes
 * the key shares of its hello; wrap and unwrap only encrypt and decrypt what those produced.
 */
final class TlsHandshake {
    private static final ByteBuffer[] NOTHING = {};

    private final SslEngineStream stream;
    private final SSLEngine engine;
    private final SocketStream socket;
    private final TlsOptions options;
    /** The peer as messages name it: host:port on a client, its address on a server. */
    private final String peer;
    private final CompletableFuture<TlsStream> result;
    private TimerHandle deadline;
    /** Whether the handshake completed or failed; nothing is done after. */
    private boolean over;

    private TlsHandshake(SslEngineStream stream, TlsOptions options, String peer, CompletableFuture<TlsStream> result) {
        this.stream = stream;
        this.engine = stream.engine;
        this.socket = stream.socket;
        this.options = options;
        this.peer = peer;
        this.result = result;
    }

    /**
     * Starts the handshake of {@code socket} with {@code options}; {@code host} and {@code port}
     * name the server on a client and are ignored on a server. Call on the loop.
     *
     * @return completes with the established stream; fails with {@link SSLHandshakeException}
     *     naming the peer and what went wrong, or {@link TimeoutException}; the socket is then closed
     */
    static CompletableFuture<TlsStream> start(SocketStream socket, TlsOptions options, String host, int port) {
        String peer = options.clientMode() ? host + ":" + port : String.valueOf(socket.remoteAddress());
        CompletableFuture<TlsStream> result = new ResumingFuture<>();
        options.sslContext(socket.loop).whenComplete((context, e) -> {
            try {
                if (e != null) {
                    throw e;
                }
                SslEngineStream stream = new SslEngineStream(socket, options.newEngine(context, host, port));
                new TlsHandshake(stream, options, peer, result).begin();
            } catch (Throwable x) {
                socket.closeWith(x);
                result.completeExceptionally(x);
            }
        });
        return result;
    }

    private void begin() {
        deadline = stream.loop.callLater(options.handshakeTimeout(), () -> fail(new TimeoutException(
                "TLS handshake with " + peer + " timed out after " + options.handshakeTimeout().toMillis() + " ms")));
        if (options.clientMode()) {
            offLoop(engine::beginHandshake); // A client's hello carries key shares: making them is costly.
            return;
        } else if (stream.calls.movedToCoroutine(stream.loop, "tls-handshake", this::beginServer)) {
            return; // See EngineCalls.
        }
        beginServer();
    }

    private void beginServer() {
        try {
            engine.beginHandshake();
        } catch (SSLException e) {
            fail(e);
            return;
        }
        step();
    }

    /** Advances the handshake as far as it goes without waiting. */
    private void step() {
        if (stream.calls.movedToCoroutine(stream.loop, "tls-handshake", this::step)) {
            return; // See EngineCalls.
        }
        try {
            while (!over) {
                if (result.isDone()) {
                    fail(new CancellationException("the TLS handshake with " + peer + " was abandoned"));
                    return;
                }
                switch (engine.getHandshakeStatus()) {
                    case NEED_WRAP -> socket.write(stream.wrap(NOTHING));
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (!unwrap()) {
                            return;
                        }
                    }
                    case NEED_TASK -> {
                        offLoop(this::runTasks);
                        return;
                    }
                    case FINISHED, NOT_HANDSHAKING -> {
                        finish();
                        return;
                    }
                }
            }
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Unwraps a handshake record: true to go on, false when waiting for the socket. */
    private boolean unwrap() throws IOException {
        ByteBuffer plain = stream.readScratch().clear();
        SSLEngineResult r = stream.unwrapHandshake(plain);
        if (r.bytesProduced() > 0) {
            stream.keep(plain.flip()); // Data right behind the peer's last handshake message.
        }
        return switch (r.getStatus()) {
            case OK -> true;
            case BUFFER_UNDERFLOW -> fill();
            case CLOSED -> throw new EOFException("the peer closed the connection (close_notify)");
            case BUFFER_OVERFLOW -> throw new SSLException("a TLS record does not fit in " + plain.capacity() + " bytes");
        };
    }

    /** Reads more records: true if some came at once, false if the handshake goes on when they come. */
    private boolean fill() throws IOException {
        CompletableFuture<Integer> f = socket.fill();
        if (!f.isDone()) {
            f.whenComplete((n, e) -> {
                if (e != null) {
                    fail(ended());
                } else {
                    step();
                }
            });
            return false;
        } else if (f.isCompletedExceptionally()) {
            throw ended();
        }
        return true;
    }

    private IOException ended() {
        Throwable e = socket.error();
        return e instanceof IOException io ? io : new EOFException("the peer closed the connection");
    }

    /** Work of the engine that must not hold the loop. */
    private interface EngineWork {
        void run() throws SSLException;
    }

    private void runTasks() {
        for (Runnable t; (t = engine.getDelegatedTask()) != null; ) {
            t.run();
        }
    }

    /** Runs {@code work} on the task executor, then goes on with the handshake on the loop. */
    private void offLoop(EngineWork work) {
        IOLoop loop = stream.loop;
        loop.runInExecutor(options.taskExecutor(), () -> {
            work.run();
            return null;
        }).whenComplete((v, e) -> {
            if (!loop.inLoop()) {
                return; // The loop closed meanwhile: nothing is left to go on with.
            } else if (e != null) {
                fail(e);
            } else {
                step();
            }
        });
    }

    private void finish() {
        over = true;
        deadline.cancel();
        stream.established(serverName(engine, options.clientMode()));
        if (!result.complete(stream)) {
            stream.close(); // Abandoned at the last moment.
        }
    }

    private void fail(Throwable e) {
        if (over) {
            return;
        }
        over = true;
        deadline.cancel();
        Throwable failure = failure(e, peer);
        stream.closeWith(failure);
        result.completeExceptionally(failure);
    }

    /** The connection's SNI host name: the one a client sent, or the one a server received. */
    static String serverName(SSLEngine engine, boolean client) {
        SSLSession session = engine.getSession();
        List<SNIServerName> names = client ? engine.getSSLParameters().getServerNames()
                : session instanceof ExtendedSSLSession s ? s.getRequestedServerNames() : List.of();
        for (SNIServerName n : names) {
            if (n.getType() == StandardConstants.SNI_HOST_NAME) {
                return n instanceof SNIHostName h ? h.getAsciiName() : new SNIHostName(n.getEncoded()).getAsciiName();
            }
        }
        return null;
    }

    /**
     * What a failed handshake reports: a timeout or a bad setting as they are, anything from the
     * peer or the engine as an {@link SSLHandshakeException} whose message names the peer and what
     * went wrong, with the original as its cause.
     */
    static Throwable failure(Throwable e, String peer) {
        if (e instanceof RuntimeException && !(e instanceof StreamClosedException)) {
            return e;
        }
        SSLHandshakeException x = new SSLHandshakeException("TLS handshake with " + peer + " failed: " + reason(e));
        x.initCause(e);
        return x;
    }

    /** The engine's message, with what it means where it is cryptic. */
    private static String reason(Throwable e) {
        String m = String.valueOf(e.getMessage());
        CertificateException c = find(e, CertificateException.class);
        if (find(e, CertPathBuilderException.class) != null || find(e, CertPathValidatorException.class) != null) {
            return "the certificate is not trusted (" + innermost(e).getMessage() + ")";
        } else if (c != null && c.getMessage() != null && c.getMessage().matches("No (subject alternative|name matching).*")) {
            return "the certificate is not valid for this host name (" + c.getMessage() + ")";
        } else if (m.contains("nrecognized SSL message")) { // "Unrecognized SSL message, plaintext connection?" on JDK 25
            return "the peer does not speak TLS, plain TCP or HTTP on a TLS port? (" + m + ")";
        }
        return m;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static Throwable innermost(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
