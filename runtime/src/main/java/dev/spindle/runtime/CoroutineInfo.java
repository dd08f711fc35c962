package dev.spindle.runtime;

import java.util.List;
import java.util.Objects;

/**
 * A snapshot of one live coroutine, as listed by {@link IOLoop#listCoroutines()}: its name, its
 * state, what it awaits and its stack.
 *
 * <p><b>Thread-safe:</b> immutable.
 *
 * @param name the coroutine's (virtual thread's) name, e.g. {@code IOLoop-1-coroutine-3}
 * @param state what it was doing when the snapshot was taken
 * @param awaiting what it awaits, e.g. {@code get() on Queue[...]} or {@code sleep(PT5S)}; null
 *     when it is not in {@code await} (running, or parked in a JDK blocking call)
 * @param stack its frames, innermost first
 */
public record CoroutineInfo(String name, State state, String awaiting, List<StackTraceElement> stack) {
    /** What a coroutine is doing. */
    public enum State {
        /** Mounted on the carrier and running: it is the loop's current task. */
        RUNNING,
        /** Unparked and queued on the loop, waiting for its turn. */
        READY,
        /** Parked: waiting for a future, a timer or a JDK blocking call; the carrier is free. */
        PARKED,
        /** Parked while pinned (native frame, class initializer): it holds the carrier (DESIGN pitfall 4). */
        PINNED
    }

    /** Validates and copies. */
    public CoroutineInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(state, "state");
        stack = List.copyOf(stack);
    }

    /** The snapshot as a thread-dump-like block of text. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder().append('"').append(name).append("\" ")
                .append(state.name().toLowerCase(java.util.Locale.ROOT));
        if (awaiting != null) {
            b.append(", awaiting ").append(awaiting);
        }
        for (StackTraceElement e : stack) {
            b.append("\n\tat ").append(e);
        }
        return b.toString();
    }
}
