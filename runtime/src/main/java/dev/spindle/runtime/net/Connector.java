package dev.spindle.runtime.net;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimeoutException;
import dev.spindle.runtime.TimerHandle;
import dev.spindle.runtime.internal.ResumingFuture;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One {@link TcpClient#connect} in progress: resolves the host, then tries its addresses in
 * turn until one accepts the connection or the deadline passes.
 *
 * <p><b>Loop-confined,</b> except that {@link #start} may be handed to the loop from any thread.
 */
/*
 * Implementation notes:
 *
 *   RESOLVING --addresses--> CONNECTING(i) --finishConnect--> CONNECTED (result completes)
 *                                 |  failure: next address, or fail with the last error
 *   CONNECTED, with TLS --> HANDSHAKING --TlsHandshake--> result completes or fails
 *   any state --deadline--> TimeoutException; --result cancelled--> channel closed
 *
 * The connect deadline ends with the TCP connect; the handshake has its own.
 */
final class Connector {
    private final TcpClient client;
    private final IOLoop loop;
    private final String host;
    private final int port;
    private final Duration timeout;
    final CompletableFuture<IoStream> result = new ResumingFuture<>();
    private InetAddress[] addresses;
    private int next;
    /** The address of the attempt in progress. */
    private InetSocketAddress target;
    /** The socket of the attempt in progress, or null. */
    private SocketChannel channel;
    /** The connection whose TLS handshake is in progress, or null. */
    private SocketStream handshaking;
    private TimerHandle timer;
    private Exception lastError;

    Connector(TcpClient client, IOLoop loop, String host, int port, Duration timeout) {
        this.client = client;
        this.loop = loop;
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    /** Starts connecting. Call on the loop. */
    void start() {
        if (timeout != null) {
            timer = loop.callLater(timeout, this::timedOut);
        }
        result.whenComplete((stream, e) -> {
            if (e != null) {
                loop.runOnLoop(this::abandon); // Timed out, failed, or cancelled by the caller on any thread.
            }
        });
        Resolver.resolve(loop, host).whenComplete((addrs, e) -> {
            if (e != null) {
                fail(e instanceof Exception x ? x : new IOException(e));
            } else {
                addresses = addrs;
                tryNext();
            }
        });
    }

    private void tryNext() {
        if (result.isDone()) {
            return;
        } else if (next >= addresses.length) {
            fail(lastError != null ? lastError : new IOException("no address for " + host));
            return;
        }
        target = new InetSocketAddress(addresses[next++], port);
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (channel.connect(target)) {
                connected();
            } else {
                loop.addHandler(channel, SelectionKey.OP_CONNECT, this::onConnectable);
            }
        } catch (IOException e) {
            attemptFailed(e);
        }
    }

    /** The connect finished, one way or the other. Runs on the loop thread. */
    private void onConnectable(SelectionKey key) {
        try {
            if (channel.finishConnect()) {
                connected();
            }
        } catch (IOException e) {
            attemptFailed(e);
        }
    }

    private void attemptFailed(IOException e) {
        lastError = e instanceof ConnectException c ? refused(c) : e;
        closeChannel();
        tryNext();
    }

    /** The JDK's exception says "Connection refused" and nothing more: this one says who refused. */
    private ConnectException refused(ConnectException e) {
        String address = target.getAddress().getHostAddress();
        ConnectException x = new ConnectException(e.getMessage() + ": " + (host.equals(address) ? host
                : host + " (" + address + ")") + " port " + port);
        x.initCause(e);
        return x;
    }

    private void connected() {
        cancelTimer();
        SocketStream stream;
        try {
            stream = SocketStream.open(loop, channel, Buffers.scratch(loop), client.maxBufferSize);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        channel = null;
        if (client.tls == null) {
            deliver(stream);
            return;
        }
        handshaking = stream;
        TlsHandshake.start(stream, client.tls, host, port).whenComplete((tls, e) -> {
            handshaking = null;
            if (e != null) {
                fail(e instanceof Exception x ? x : new IOException(e));
            } else {
                deliver(tls);
            }
        });
    }

    private void deliver(IoStream stream) {
        if (!result.complete(stream)) {
            stream.close();
        }
    }

    private void timedOut() {
        fail(new TimeoutException("Timed out after " + timeout.toMillis() + " ms while connecting to " + host + ":"
                + port + (lastError != null ? " (last error: " + lastError + ")" : "")));
    }

    private void fail(Exception e) {
        result.completeExceptionally(e);
    }

    private void abandon() {
        cancelTimer();
        closeChannel();
        if (handshaking != null) {
            handshaking.close(); // The handshake fails on its own.
        }
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Nothing more to release.
            }
            channel = null;
        }
    }

    @Override
    public String toString() {
        return "Connector[" + host + ":" + port + ", " + (result.isDone() ? "done" : addresses == null ? "resolving"
                : handshaking != null ? "TLS handshake" : "attempt " + next + " of " + addresses.length) + "]";
    }
}
