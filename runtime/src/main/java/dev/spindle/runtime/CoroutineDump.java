package dev.spindle.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Snapshots of a loop's live coroutines, for {@link IOLoop#dumpCoroutines()} and its MXBean.
 *
 * <p><b>Thread-safe:</b> may be called from any thread. A coroutine's state may change while
 * it is looked at: the snapshot is a best effort, like a thread dump.
 */
final class CoroutineDump {
    private CoroutineDump() {}

    /** Every live coroutine of {@code loop}, oldest first. */
    static List<CoroutineInfo> list(IOLoop loop) {
        List<Coroutine<?>> live = new ArrayList<>(loop.coroutines.snapshot());
        live.removeIf(c -> c.thread == null || c.finished);
        live.sort(Comparator.comparingLong(c -> c.thread.threadId()));
        List<CoroutineInfo> out = new ArrayList<>(live.size());
        for (Coroutine<?> c : live) {
            out.add(snapshot(c, loop.lifecycle.carrier()));
        }
        return out;
    }

    private static CoroutineInfo snapshot(Coroutine<?> c, Thread carrier) {
        Thread t = c.thread;
        Object awaiting = c.awaiting;
        StackTraceElement[] stack = t.getStackTrace();
        boolean waiting = switch (t.getState()) {
            case WAITING, TIMED_WAITING, BLOCKED -> true;
            default -> false;
        };
        Thread on = VirtualThreads.carrierOf(t);
        CoroutineInfo.State state;
        if (on != null && on == carrier) {
            state = waiting ? CoroutineInfo.State.PINNED : CoroutineInfo.State.RUNNING;
        } else {
            state = waiting ? CoroutineInfo.State.PARKED : CoroutineInfo.State.READY;
        }
        return new CoroutineInfo(t.getName(), state, awaiting == null ? null : Coroutine.describe(awaiting),
                List.of(stack));
    }

    /** The text form: a header line, then one block per coroutine. */
    static String dump(IOLoop loop) {
        List<CoroutineInfo> all = list(loop);
        StringBuilder b = new StringBuilder().append(loop).append(": ").append(all.size())
                .append(all.size() == 1 ? " live coroutine" : " live coroutines");
        for (CoroutineInfo i : all) {
            b.append("\n\n").append(i);
        }
        return b.append('\n').toString();
    }
}
