package dev.spindle.http.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Idle keep-alive connections per {@link Origin} (scheme, host, port and TLS context), at most {@code maxPerOrigin} each, closed
 * once idle longer than {@code idleNanos} (OkHttp's {@code RealConnectionPool}).
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the client's loop. Time is
 * passed in ({@code now}, the loop's clock), so tests drive it by hand.
 */
/*
 * Implementation notes: each origin's deque holds its idle connections newest first, so take()
 * reuses the most recently used one (likeliest still open on the server) and cleanup() finds the
 * oldest at the tail. take() checks each candidate (PooledConnection.activate) and closes dead ones.
 *
 * cleanup() scans every idle connection, so it asks to run again no sooner than `slack` (1/64 of
 * the idle timeout, at most 1 s): a burst of 10,000 connections pooled µs apart expires µs apart,
 * and without it the cleanup would run once per timer tick, each time over all of them. An idle
 * connection is so closed up to `slack` late, which costs only the descriptor meanwhile.
 */
final class ConnectionPool {
    private final int maxPerOrigin;
    private final long idleNanos;
    /** The least time between two cleanups: see the implementation notes. */
    private final long slackNanos;
    /** Idle connections per origin, newest first; closed ones may linger. Loop-confined. */
    private final Map<Origin, ArrayDeque<PooledConnection>> idle = new HashMap<>();

    ConnectionPool(int maxPerOrigin, long idleNanos) {
        this.maxPerOrigin = maxPerOrigin;
        this.idleNanos = idleNanos;
        this.slackNanos = Math.min(idleNanos / 64, 1_000_000_000L);
    }

    /** The most recently pooled open connection to {@code origin}, now ACTIVE; or null. */
    PooledConnection take(Origin origin) {
        ArrayDeque<PooledConnection> d = idle.get(origin);
        if (d == null) {
            return null;
        }
        for (PooledConnection c; (c = d.pollFirst()) != null; ) {
            if (c.activate()) {
                return c;
            }
        }
        idle.remove(origin);
        return null;
    }

    /**
     * Pools {@code c}, idle since {@code now}; closes the oldest of its origin beyond the limit.
     *
     * @return false if pooling is off ({@code maxPerOrigin == 0}); the caller closes {@code c}
     */
    boolean offer(PooledConnection c, long now) {
        if (maxPerOrigin == 0) {
            return false;
        }
        ArrayDeque<PooledConnection> d = idle.computeIfAbsent(c.origin, k -> new ArrayDeque<>());
        c.idle(now);
        d.addFirst(c);
        while (d.size() > maxPerOrigin) {
            d.pollLast().close();
        }
        return true;
    }

    /**
     * Closes the connections idle for {@code idleNanos} or more at {@code now}, and drops closed ones.
     *
     * @return nanoseconds until the next connection expires, but at least the slack (1/64 of the
     *     idle timeout, at most 1 s), or -1 if none is idle
     */
    long cleanup(long now) {
        long next = -1;
        for (Iterator<ArrayDeque<PooledConnection>> it = idle.values().iterator(); it.hasNext(); ) {
            ArrayDeque<PooledConnection> d = it.next();
            d.removeIf(c -> !c.isOpen());
            for (PooledConnection c; (c = d.peekLast()) != null && now - c.idleSince() >= idleNanos; ) {
                d.pollLast().close();
            }
            if (d.isEmpty()) {
                it.remove();
                continue;
            }
            long left = idleNanos - (now - d.peekLast().idleSince());
            next = next < 0 ? left : Math.min(next, left);
        }
        return next < 0 ? -1 : Math.max(next, slackNanos);
    }

    /** Open idle connections, all origins. */
    int idleCount() {
        int n = 0;
        for (ArrayDeque<PooledConnection> d : idle.values()) {
            for (PooledConnection c : d) {
                n += c.isOpen() ? 1 : 0;
            }
        }
        return n;
    }

    /** Open idle connections to {@code origin}. */
    int idleCount(Origin origin) {
        ArrayDeque<PooledConnection> d = idle.get(origin);
        return d == null ? 0 : (int) d.stream().filter(PooledConnection::isOpen).count();
    }

    /** Closes every idle connection. */
    void closeAll() {
        List<PooledConnection> all = new ArrayList<>();
        idle.values().forEach(all::addAll);
        idle.clear();
        all.forEach(PooledConnection::close);
    }

    @Override
    public String toString() {
        return "ConnectionPool[" + idleCount() + " idle in " + idle.size() + " origin(s), max " + maxPerOrigin
                + " per origin, idle timeout " + idleNanos / 1_000_000 + " ms]";
    }
}
