package dev.spindle.http.server;

import dev.spindle.runtime.net.IoStream;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Watches a connection for the peer closing while a handler runs, for
 * {@link HttpServerRequest#connectionClosed()}: a stream reads only when asked, so an end of
 * stream goes unnoticed while nobody reads. The watch is a pending {@code fill()}, which takes
 * no bytes (pipelined requests stay buffered) and fails, closing the stream, at end of stream.
 *
 * <p><b>Loop-confined:</b> owned by one connection.
 */
final class CloseWatch {
    /** Stop watching a connection that buffered this many pipelined bytes. */
    static final int LIMIT = 64 * 1024;

    private final IoStream stream;
    /** Whether the connection can spare its read side now: the handler runs and the body was read. */
    private final BooleanSupplier allowed;
    /** A handler asked to be told. Loop-confined. */
    private boolean wanted;
    /** The watching read; null when none. Loop-confined. */
    private CompletableFuture<Integer> read;

    CloseWatch(IoStream stream, BooleanSupplier allowed) {
        this.stream = stream;
        this.allowed = allowed;
    }

    /** A handler asked for connectionClosed(): watch whenever allowed. */
    void want() {
        wanted = true;
        poll();
    }

    /** Starts watching if wanted, allowed and not yet watching. */
    void poll() {
        if (!wanted || read != null || stream.isClosed() || stream.readBuffer().remaining() >= LIMIT
                || !allowed.getAsBoolean()) {
            return;
        }
        CompletableFuture<Integer> f = stream.fill();
        read = f;
        f.whenComplete((n, e) -> {
            if (read == f) {
                read = null;
                if (e == null) {
                    poll(); // Pipelined bytes came in; keep watching.
                }
            }
        });
    }

    /** Ends the watch: the connection is about to read again, or the request is over. */
    void stop() {
        wanted = false;
        CompletableFuture<Integer> r = read;
        read = null;
        if (r != null) {
            r.cancel(false); // What it read stays buffered.
        }
    }

    /** The watching read, or null; for tests. */
    CompletableFuture<Integer> pendingRead() {
        return read;
    }

    @Override
    public String toString() {
        return "CloseWatch[" + (read != null ? "watching" : wanted ? "wanted" : "off") + "]";
    }
}
