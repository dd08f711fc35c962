package dev.spindle.http.codec;

import dev.spindle.runtime.net.IoStream;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * Watches a connection for the peer closing while nobody reads it: a stream reads only when
 * asked, so an end of stream goes unnoticed meanwhile. The watch is a pending {@code fill()},
 * which takes no bytes (pipelined requests stay buffered) and fails, closing the stream, at the
 * end of stream. The server uses it for a handler's {@code connectionClosed()}, the client to
 * check a pooled connection before reuse.
 *
 * <p><b>Loop-confined:</b> owned by one {@link Http1Connection}.
 */
final class CloseWatch {
    /** Stop watching a connection that buffered this many unread bytes. */
    static final int LIMIT = 64 * 1024;

    private final IoStream stream;
    /** Whether the connection can spare its read side now. */
    private final BooleanSupplier allowed;
    /** Someone asked to be told. Loop-confined. */
    private boolean wanted;
    /** The watching read; null when none. Loop-confined. */
    private CompletableFuture<Integer> read;

    CloseWatch(IoStream stream, BooleanSupplier allowed) {
        this.stream = stream;
        this.allowed = allowed;
    }

    /** Watch whenever allowed, from now on. */
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
                    poll(); // Bytes came in and stay buffered; keep watching.
                }
            }
        });
    }

    /** Hands the pending read, if any, to a reader that needs bytes; the watch pauses until {@link #poll()}. */
    CompletableFuture<Integer> takeOver() {
        CompletableFuture<Integer> r = read;
        read = null;
        return r;
    }

    /** Ends the watch; what it read stays buffered. */
    void stop() {
        wanted = false;
        CompletableFuture<Integer> r = read;
        read = null;
        if (r != null) {
            r.cancel(false);
        }
    }

    boolean isWatching() {
        return read != null;
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
