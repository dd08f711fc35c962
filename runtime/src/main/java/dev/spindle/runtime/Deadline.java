package dev.spindle.runtime;

import java.util.Objects;

/**
 * A deadline on a loop timer that can be moved cheaply: a connection's idle timeout, a request's
 * timeout that changes with its phase. {@link #arm} stores the deadline and schedules a timer only
 * when none is due at or before it; a timer that fires before the deadline (because it moved on)
 * schedules itself again. So a keep-alive connection that moves its deadline on every request
 * costs a field write per request and a timer per timeout period, not a timer per request
 * (Netty's {@code IdleStateHandler} trick; Tornado reschedules a timeout instead).
 *
 * {@snippet :
 * Deadline idle = Deadline.create(loop, stream::close);
 * while (true) {
 *     idle.arm(loop.time() + Duration.ofSeconds(60).toNanos());   // per request: a store
 *     byte[] line = await(stream.readUntil("\n", 1024));
 *     idle.disarm();
 *     handle(line);
 * }
 * }
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the owning {@link IOLoop}.
 * The expiry action runs as a timer callback of that loop.
 *
 * @since 0.2
 */
public final class Deadline {
    private final IOLoop loop;
    /** Runs on the loop when an armed deadline passes. */
    private final Runnable onExpiry;
    private final Runnable fire = this::fire;
    /** Whether {@link #at} is in force. Loop-confined. */
    private boolean armed;
    /** The deadline in {@link IOLoop#time()} nanoseconds, while {@link #armed}. Loop-confined. */
    private long at;
    /** The scheduled timer, due at or before {@link #at}; null when none. Loop-confined. */
    private TimerHandle timer;

    private Deadline(IOLoop loop, Runnable onExpiry) {
        this.loop = loop;
        this.onExpiry = onExpiry;
    }

    /**
     * Creates a deadline on {@code loop}, disarmed, that runs {@code onExpiry} on the loop when an
     * armed deadline passes.
     *
     * @throws NullPointerException if an argument is null
     */
    public static Deadline create(IOLoop loop, Runnable onExpiry) {
        return new Deadline(Objects.requireNonNull(loop, "loop"), Objects.requireNonNull(onExpiry, "onExpiry"));
    }

    /**
     * Puts the deadline {@code at} (in {@link IOLoop#time()} nanoseconds) in force, replacing any
     * earlier one. A deadline already past fires in the loop's next timer pass.
     *
     * @throws IllegalStateException if the loop is closed
     */
    public void arm(long at) {
        this.at = at;
        armed = true;
        if (timer == null || timer.deadline() - at > 0) {
            if (timer != null) {
                timer.cancel();
            }
            timer = loop.callAt(at, fire);
        }
    }

    /** Lifts the deadline; a timer already scheduled fires later and does nothing. */
    public void disarm() {
        armed = false;
    }

    /** Whether a deadline is in force. */
    public boolean isArmed() {
        return armed;
    }

    /**
     * The deadline in force, in {@link IOLoop#time()} nanoseconds.
     *
     * @throws IllegalStateException if none is armed
     */
    public long at() {
        if (!armed) {
            throw new IllegalStateException("no deadline is armed: call arm(at) first");
        }
        return at;
    }

    /** Lifts the deadline and cancels the timer, for good or until the next {@link #arm}. */
    public void cancel() {
        armed = false;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private void fire() {
        timer = null;
        if (!armed) {
            return;
        } else if (loop.time() - at < 0) {
            timer = loop.callAt(at, fire); // The deadline moved on since this timer was scheduled.
            return;
        }
        armed = false;
        onExpiry.run();
    }

    /** Returns e.g. {@code Deadline[due in 2500 ms]} or {@code Deadline[disarmed]}. */
    @Override
    public String toString() {
        return "Deadline[" + (armed ? "due in " + (at - loop.time()) / 1_000_000 + " ms" : "disarmed") + "]";
    }
}
