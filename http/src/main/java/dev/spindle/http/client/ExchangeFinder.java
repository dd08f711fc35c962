package dev.spindle.http.client;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.ResponseStartLine;
import dev.spindle.http.codec.Http1Connection;
import dev.spindle.http.codec.Http1Event;
import dev.spindle.runtime.TimeoutException;
import dev.spindle.runtime.net.IoStream;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The exchange on a pooled connection, the last link of a fetch's chain (OkHttp:
 * {@code ExchangeFinder} with {@code ConnectInterceptor}): takes a connection to the request's
 * origin from the pool or opens one, runs the {@link Exchange}, and once the body was read hands
 * the connection back to the pool or closes it.
 *
 * <p>An https connection's TLS handshake is part of connecting: the connect timeout covers it
 * ({@link HttpTimeoutException.Phase#CONNECT}), and so does the handshake deadline of the TLS
 * settings, reported in the same phase with the handshake's own exception as cause. A failed
 * handshake fails the fetch with its {@link javax.net.ssl.SSLHandshakeException}, unchanged.
 *
 * <p><b>Loop-confined:</b> runs in the fetch's coroutine on the client's loop.
 */
final class ExchangeFinder {
    /**
     * Thrown when a request failed on a reused connection before any byte of the response, which
     * is the server having closed it meanwhile: the follow-ups retry an idempotent request once.
     */
    static final class StaleConnectionException extends RuntimeException {
        StaleConnectionException(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private final PooledHttpClient client;
    private final FetchTimer timer;

    ExchangeFinder(PooledHttpClient client, FetchTimer timer) {
        this.client = client;
        this.timer = timer;
    }

    /**
     * Sends {@code request} with {@code headers} on a pooled connection (unless {@code fresh}) or
     * a new one, and returns the response whose head arrived.
     *
     * @throws StaleConnectionException if a reused connection turned out closed before any
     *     response byte; the connection is closed
     * @throws Exception what connecting or the exchange threw; the connection is closed
     */
    OpenResponse proceed(OutgoingRequest request, HttpHeaders headers, boolean fresh) throws Exception {
        PooledConnection c = fresh ? null : client.pool.take(request.origin());
        timer.reused(c != null);
        if (c == null) {
            c = connect(request);
        }
        timer.requesting();
        Exchange x = new Exchange(c, request, headers);
        Http1Event.Head head;
        try {
            head = x.send();
        } catch (Throwable e) {
            c.close();
            if (x.failedBeforeResponse() && c.wasReused()) {
                throw new StaleConnectionException(e);
            }
            throw e;
        }
        return new Response(c, x, head);
    }

    private PooledConnection connect(OutgoingRequest request) {
        timer.connecting();
        CompletableFuture<IoStream> connecting = client.connector(request.origin())
                .connect(client.loop, request.host(), request.port(), null);
        IoStream stream;
        try {
            stream = await(connecting);
        } catch (CancellationException e) {
            connecting.cancel(false); // Abandons the attempt and closes its socket.
            throw e;
        } catch (TimeoutException e) {
            throw handshakeTimedOut(request, e); // Only TLS has a deadline here; the fetch's own is the timer's.
        }
        timer.connected();
        return new PooledConnection(request.origin(),
                Http1Connection.forClient(stream, PooledHttpClient.PARSER_OPTIONS, client.writer));
    }

    private HttpTimeoutException handshakeTimedOut(OutgoingRequest request, TimeoutException e) {
        HttpTimeoutException x = new HttpTimeoutException(HttpTimeoutException.Phase.CONNECT,
                client.tls().handshakeTimeout(), request + " (" + e.getMessage() + ")");
        x.initCause(e);
        return x;
    }

    /** The response of one exchange; reading its body releases the connection. */
    private final class Response implements OpenResponse {
        private final PooledConnection connection;
        private final Exchange exchange;
        private final Http1Event.Head head;

        Response(PooledConnection connection, Exchange exchange, Http1Event.Head head) {
            this.connection = connection;
            this.exchange = exchange;
            this.head = head;
        }

        @Override
        public Http1Event.Head head() {
            return head;
        }

        @Override
        public ResponseStartLine status() {
            return (ResponseStartLine) head.startLine();
        }

        @Override
        public void readBody(BodySink sink) throws Exception {
            try {
                exchange.readBody(sink);
            } catch (Throwable e) {
                connection.close();
                throw e;
            }
            client.release(connection, exchange.end());
        }
    }
}
