package dev.spindle.http.server;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimerHandle;

/**
 * One connection's deadline on a loop timer, moved cheaply: arming stores the deadline and
 * schedules a timer only when none is due before it; a timer that fires early (the deadline
 * moved on meanwhile) re-arms itself. So a keep-alive connection costs a field write per
 * request, and a timer once per timeout period, not a timer per request (Netty's
 * {@code IdleStateHandler} trick).
 *
 * <p><b>Loop-confined:</b> owned by one connection; the expiry action runs as a loop callback.
 */
final class ConnectionTimer {
    private final IOLoop loop;
    /** Runs on the loop when an armed deadline passes. */
    private final Runnable onExpiry;
    private final Runnable fire = this::fire;
    /** Whether {@link #deadline} is in force. Loop-confined. */
    private boolean armed;
    /** The deadline in {@link IOLoop#time()} nanoseconds, when {@link #armed}. Loop-confined. */
    private long deadline;
    /** The scheduled timer, due at or before {@link #deadline}; null when none. Loop-confined. */
    private TimerHandle handle;

    ConnectionTimer(IOLoop loop, Runnable onExpiry) {
        this.loop = loop;
        this.onExpiry = onExpiry;
    }

    /** Puts {@code at} (loop time) in force, replacing any earlier deadline. */
    void arm(long at) {
        deadline = at;
        armed = true;
        if (handle == null || handle.deadline() - at > 0) {
            if (handle != null) {
                handle.cancel();
            }
            handle = loop.callAt(at, fire);
        }
    }

    /** Lifts the deadline; the timer, if any, fires later and does nothing. */
    void disarm() {
        armed = false;
    }

    boolean isArmed() {
        return armed;
    }

    /** Lifts the deadline and cancels the timer: the connection is gone. */
    void cancel() {
        armed = false;
        if (handle != null) {
            handle.cancel();
            handle = null;
        }
    }

    private void fire() {
        handle = null;
        if (!armed) {
            return;
        } else if (loop.time() - deadline < 0) {
            handle = loop.callAt(deadline, fire);
            return;
        }
        armed = false;
        onExpiry.run();
    }

    @Override
    public String toString() {
        return "ConnectionTimer[" + (armed ? "due in " + (deadline - loop.time()) / 1_000_000 + " ms" : "disarmed") + "]";
    }
}
