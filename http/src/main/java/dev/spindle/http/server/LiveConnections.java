package dev.spindle.http.server;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimerHandle;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The live connections of one {@link HttpServer}, and stopping them: gracefully (idle ones at
 * once, busy ones after their request, the rest at a deadline) or at once.
 *
 * <p><b>Loop-confined:</b> owned by one server, used on its loop (or before it runs).
 */
final class LiveConnections {
    private final IOLoop loop;
    /** Connections whose coroutine runs. Loop-confined. */
    private final Set<Http1ServerConnection> live = new HashSet<>();
    /** Completed when a stop has seen every connection end; null before a stop. Loop-confined. */
    private CompletableFuture<Void> stopped;
    /** Aborts the connections left when the stop deadline passes. Loop-confined. */
    private TimerHandle deadline;

    LiveConnections(IOLoop loop) {
        this.loop = loop;
    }

    void add(Http1ServerConnection c) {
        live.add(c);
    }

    /** A connection's coroutine ended. */
    void remove(Http1ServerConnection c) {
        live.remove(c);
        if (stopped != null && live.isEmpty() && !stopped.isDone()) {
            if (deadline != null) {
                deadline.cancel();
            }
            stopped.complete(null);
        }
    }

    int size() {
        return live.size();
    }

    /**
     * Stops every connection gracefully, aborting those left after {@code grace}; a second call
     * returns the first call's future.
     *
     * @return completes once every connection has ended
     */
    CompletableFuture<Void> stop(Duration grace) {
        if (stopped != null) {
            return stopped;
        }
        stopped = new CompletableFuture<>();
        for (Http1ServerConnection c : List.copyOf(live)) {
            c.stopGracefully();
        }
        if (live.isEmpty()) {
            stopped.complete(null);
        } else {
            deadline = loop.callLater(grace, this::abortAll);
        }
        return stopped;
    }

    /** Closes every connection now and cancels its handler. */
    void abortAll() {
        for (Http1ServerConnection c : List.copyOf(live)) {
            c.abort();
        }
    }

    @Override
    public String toString() {
        return "LiveConnections[" + live.size() + (stopped == null ? "" : stopped.isDone() ? ", stopped" : ", stopping") + "]";
    }
}
