package dev.spindle.runtime.net;

import dev.spindle.runtime.IOLoop;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Which coroutines of one loop are inside an {@code SSLEngine} call, of any stream of the loop,
 * so that the loop's carrier thread never enters an engine while one of them is parked there.
 * <b>Loop-confined:</b> call only on the owning loop's thread.
 */
/*
 * Implementation notes:
 *
 * The JDK's engines take locks that other engines and other threads take too: the NativePRNG's
 * one lock for random bytes (a client's NewSessionTicket, every ClientHello), the session
 * caches. A coroutine that meets such a lock contended unmounts (JDK 24 and later), and the JDK
 * may hand the lock to it when its holder lets go; the coroutine then needs the carrier to run.
 * If the carrier is meanwhile in a loop callback that calls another stream's engine and blocks
 * on that lock, neither can go on: the loop hangs. So work a callback would do in an engine
 * while a coroutine of the loop is inside one (it is parked: the carrier runs the callback) goes
 * to a coroutine instead (onCoroutine), which unmounts if it meets the lock, and the carrier
 * stays free. Per-stream ordering (SslEngineStream.engineUser) is separate.
 *
 * The count is of calls, not coroutines: enter and leave pair up, nested or not.
 */
final class EngineCalls {
    /** By loop; a value must not refer to its loop, or the weak key would never go. */
    private static final Map<IOLoop, EngineCalls> BY_LOOP = Collections.synchronizedMap(new WeakHashMap<>());

    /** Engine calls entered by coroutines of the loop and not yet left. */
    private int insideOnCoroutines;

    private EngineCalls() {}

    /** The one of {@code loop}. Thread-safe. */
    static EngineCalls of(IOLoop loop) {
        return BY_LOOP.computeIfAbsent(loop, l -> new EngineCalls());
    }

    /** The calling thread enters an engine call; pair with {@link #leave()} on the same thread. */
    void enter() {
        if (Thread.currentThread().isVirtual()) {
            insideOnCoroutines++;
        }
    }

    /** The calling thread left the engine call it {@link #enter() entered}. */
    void leave() {
        if (Thread.currentThread().isVirtual()) {
            insideOnCoroutines--;
        }
    }

    /**
     * Whether the caller must not call an engine now: it is the carrier, in a loop callback, while
     * a coroutine of the loop is parked inside an engine call.
     */
    boolean carrierMustWait() {
        return insideOnCoroutines > 0 && !Thread.currentThread().isVirtual();
    }

    /**
     * If the caller {@link #carrierMustWait() must not enter an engine now}, runs {@code work} on
     * a coroutine instead ({@link #onCoroutine}) and returns true; else returns false, and the
     * caller goes on.
     */
    boolean movedToCoroutine(IOLoop loop, String name, Runnable work) {
        if (!carrierMustWait()) {
            return false;
        }
        onCoroutine(loop, name, work);
        return true;
    }

    /**
     * Runs {@code work} in a new coroutine of {@code loop} (this one's), in a later iteration;
     * nothing if the loop has closed meanwhile (its streams close with it). {@code work} must not
     * throw.
     */
    static void onCoroutine(IOLoop loop, String name, Runnable work) {
        try {
            loop.spawn(name, () -> {
                work.run();
                return null;
            });
        } catch (IllegalStateException closed) {
            // The loop is closed: nothing is left to read or write.
        }
    }
}
