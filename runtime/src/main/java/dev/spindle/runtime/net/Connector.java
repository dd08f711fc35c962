package dev.spindle.runtime.net;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimeoutException;
import dev.spindle.runtime.TimerHandle;
import java.io.IOException;
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
 *   any state --deadline--> TimeoutException; --result cancelled--> channel closed
 */
final class Connector {
    private final IOLoop loop;
    private final String host;
    private final int port;
    private final Duration timeout;
    private final int maxBufferSize;
    final CompletableFuture<IoStream> result = new CompletableFuture<>();
    private InetAddress[] addresses;
    private int next;
    /** The socket of the attempt in progress, or null. */
    private SocketChannel channel;
    private TimerHandle timer;
    private Exception lastError;

    Connector(IOLoop loop, String host, int port, Duration timeout, int maxBufferSize) {
        this.loop = loop;
        this.host = host;
        this.port = port;
        this.timeout = timeout;
        this.maxBufferSize = maxBufferSize;
    }

    /** Starts connecting. Call on the loop. */
    void start() {
        if (timeout != null) {
            timer = loop.callLater(timeout, this::timedOut);
        }
        result.whenComplete((stream, e) -> {
            if (e == null) {
                return;
            } else if (loop.inLoop()) {
                abandon(); // Timed out or failed.
            } else if (!loop.isClosed()) {
                loop.execute(this::abandon); // Cancelled by the caller on another thread.
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
        InetSocketAddress target = new InetSocketAddress(addresses[next++], port);
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
        lastError = e;
        closeChannel();
        tryNext();
    }

    private void connected() {
        cancelTimer();
        IoStream stream;
        try {
            stream = SocketStream.open(loop, channel, Buffers.scratch(loop), maxBufferSize);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        channel = null;
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
                : "attempt " + next + " of " + addresses.length) + "]";
    }
}
