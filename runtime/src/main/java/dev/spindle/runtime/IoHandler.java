package dev.spindle.runtime;

import java.nio.channels.SelectionKey;

/**
 * Reacts to readiness of a channel registered with {@link IOLoop#addHandler} (Tornado: the
 * {@code handler(fd, events)} passed to {@code IOLoop.add_handler}).
 *
 * <p><b>Loop-confined:</b> called only on the owning {@link IOLoop}'s carrier, from the loop
 * itself, never from a coroutine. It must not block; to wait, complete a future that a
 * coroutine awaits. An exception it throws is logged ({@code spindle.application}) and the
 * loop goes on.
 */
@FunctionalInterface
public interface IoHandler {
    /**
     * Handles readiness.
     *
     * @param key the channel's key: its {@link SelectionKey#readyOps()} say what is ready
     */
    void ready(SelectionKey key);
}
