package dev.spindle.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The run/stop/close state machine of one {@link IOLoop}: which thread may run it, whether it
 * runs, whether it was asked to stop or to close, and the signals that it closed.
 *
 * <p><b>Thread-safe:</b> may be called from any thread. Transitions happen under one lock that
 * is never held while the loop runs tasks.
 */
/*
 * Implementation notes:
 *
 *   NEW --run--> RUNNING --run returns--> IDLE --run--> RUNNING ...
 *    |              |                       |
 *    |           close(): closeRequested, then stop(); the run returns
 *    |              |   and its thread does the closing
 *    +--close()-----+-----------------------+--> closing --> CLOSED
 *
 * Closing (IOLoop.closeNow) happens on one thread while the loop does not run; close() of a NEW
 * or IDLE loop holds the lock through it, so nobody starts the loop meanwhile. It cancels the
 * live coroutines; if there are any and the closing thread may be the carrier (the loop's own
 * thread, or any platform thread for a loop that never ran), that thread becomes the carrier
 * and runs the loop, in state RUNNING, until they have ended or the grace period is over
 * (drainAsCarrier). Otherwise they finish on the orphan pool. Then the state is CLOSED for good.
 */
final class LoopLifecycle {
    /** How long close() from another thread waits for the running thread to close the loop. */
    private static final long CLOSE_WAIT_MILLIS = 10_000;

    enum State { NEW, RUNNING, IDLE, CLOSED }

    private static final AtomicInteger IDS = new AtomicInteger();

    /** The loop a carrier runs, set on the carrier while it runs it; see IOLoop.currentOrNull(). */
    static final ThreadLocal<IOLoop> CURRENT = new ThreadLocal<>();

    private final IOLoop loop;
    private final String name;
    private final BlockingDetector detector;
    /** Closes the loop on the calling thread (IOLoop.closeNow). */
    private final Runnable closer;
    /** Guards transitions; never held while running tasks. */
    private final Object lock = new Object();
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Completed, normally, once the loop is closed. */
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    /** The thread that runs the loop, fixed by the first run. Written under lock. */
    private volatile Thread carrier;
    /** Written under lock (or by the closing thread), read anywhere. */
    private volatile State state = State.NEW;
    /** Set by stop(), cleared when a run returns. */
    private volatile boolean stopRequested;
    /** close() was called while running: the run closes the loop as it returns. Under lock. */
    private boolean closeRequested;

    /** @param closer closes the loop on the calling thread: when a run returns after close(), or in close() */
    LoopLifecycle(IOLoop loop, String name, BlockingDetector detector, Runnable closer) {
        this.loop = loop;
        this.name = name;
        this.detector = detector;
        this.closer = closer;
        BackgroundThreads.loopOpened();
    }

    /**
     * Runs the loop on the calling thread: {@link #enter}, {@code body}, {@link #exit}, and the
     * close if close() was called meanwhile.
     */
    <T> T run(String what, Supplier<T> body) {
        enter(what);
        try {
            return body.get();
        } finally {
            if (exit()) {
                closer.run();
            }
        }
    }

    /** Asks the running loop to return after this iteration; {@code wakeUp} wakes it from another thread. */
    void stop(Runnable wakeUp) {
        stopRequested = true;
        if (!inLoop()) {
            wakeUp.run();
        }
    }

    /** {@code IOLoop-1}, {@code IOLoop-2}, ... in order of creation. */
    static String newLoopName() {
        return "IOLoop-" + IDS.incrementAndGet();
    }

    State state() {
        return state;
    }

    Thread carrier() {
        return carrier;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    /** Forgets a stop() made while the loop was not running; runSync does not honour it. */
    void clearStop() {
        stopRequested = false;
    }

    /** Whether the caller runs on the carrier of the open loop. */
    boolean inLoop() {
        Thread c = carrier;
        return c != null && state != State.CLOSED && VirtualThreads.currentCarrier() == c;
    }

    /** Whether the caller may touch loop-confined state: on the loop, or while it is not running. */
    boolean mayTouch() {
        return inLoop() || (state != State.RUNNING && carrierOrNone());
    }

    /** Whether the caller is the carrier, or no thread is bound yet. */
    private boolean carrierOrNone() {
        Thread c = carrier;
        return c == null || c == Thread.currentThread();
    }

    /** Throws, naming the fix, if another thread touches loop-confined state while the loop runs. */
    void checkInLoop() {
        if (state == State.RUNNING && !inLoop()) {
            throw new IllegalStateException("called from thread '" + Thread.currentThread().getName()
                    + "' while " + name + " runs on '" + carrier.getName() + "'; hand the call to the loop"
                    + " with loop.execute(...) or do it in one of the loop's coroutines");
        }
    }

    /** Throws unless the loop is open. */
    void checkOpen(String what) {
        if (state == State.CLOSED) {
            throw new IllegalStateException(name + " is closed: " + what);
        }
    }

    /** {@link IOLoop#currentOrNull()}: the loop of the calling coroutine, or the one this carrier runs. */
    static IOLoop current() {
        Coroutine<?> c = Coroutine.CURRENT.get();
        return c != null ? c.loop : CURRENT.get();
    }

    /** {@link IOLoop#current()}: {@code current}, unless the caller is outside any loop. */
    static IOLoop requireCurrent(IOLoop current) {
        if (current == null) {
            throw new IllegalStateException("IOLoop.current() called outside any loop: it works only in a"
                    + " coroutine or callback of a running IOLoop; pass the loop explicitly instead");
        }
        return current;
    }

    /**
     * NEW or IDLE → RUNNING on the calling thread, which becomes (or already is) the carrier and
     * is watched by the blocked-loop detector until {@link #exit()}.
     */
    private void enter(String what) {
        IOLoop other = CURRENT.get();
        String otherLoop = other != null && other != loop ? other.name() : null;
        Thread me = Thread.currentThread();
        synchronized (lock) {
            checkOpen(what + "() cannot run it; create a new IOLoop");
            if (me.isVirtual()) {
                throw new IllegalStateException(what + "() called from a virtual thread (a coroutine?): a loop runs"
                        + " on a platform thread. In a coroutine, await the work instead: await(spawn(...))");
            }
            if (state == State.RUNNING) {
                throw new IllegalStateException(me == carrier
                        ? what + "() called from a callback of " + name + ", which is already running;"
                                + " spawn a coroutine and await it instead"
                        : name + " is already running on thread '" + carrier.getName() + "'; " + what
                                + "() must not run it from a second thread");
            }
            if (carrier != null && carrier != me) {
                throw new IllegalStateException(name + " is bound to thread '" + carrier.getName()
                        + "', where it first ran; a loop runs on one thread for its whole life."
                        + " Create one IOLoop per thread");
            }
            if (otherLoop != null) {
                throw new IllegalStateException(what + "() called from a callback of " + otherLoop
                        + ": one thread cannot run two loops at once");
            }
            carrier = me;
            state = State.RUNNING;
        }
        CURRENT.set(loop);
        detector.watch();
    }

    /** RUNNING → IDLE; returns whether close() asked the returning run to close the loop. */
    private boolean exit() {
        detector.unwatch();
        CURRENT.remove();
        synchronized (lock) {
            stopRequested = false;
            state = State.IDLE;
            return closeRequested;
        }
    }

    /**
     * {@link IOLoop#close()}: closes at once (under the lock) if the loop is not running;
     * otherwise asks the run to close as it returns, stops it, and, off the loop, waits until
     * the loop has closed.
     */
    void close(Runnable wakeUp) {
        boolean wait;
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            wait = !inLoop();
            if (!closeRequested && state != State.RUNNING) {
                closeRequested = true;
                closer.run();
                return;
            }
            closeRequested = true;
        }
        if (state == State.RUNNING) {
            stop(wakeUp);
        }
        if (wait) {
            awaitClosed();
        }
    }

    private void awaitClosed() {
        try {
            closed.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * While closing: runs {@code drain} with the calling thread as the running carrier, if it
     * may be one (a platform thread, the loop's own or the first); returns false without running
     * it otherwise.
     */
    boolean drainAsCarrier(Runnable drain) {
        Thread me = Thread.currentThread();
        if (me.isVirtual() || !carrierOrNone()) {
            return false;
        }
        carrier = me;
        State before = state;
        state = State.RUNNING;
        CURRENT.set(loop);
        try {
            drain.run();
        } finally {
            CURRENT.remove();
            state = before;
        }
        return true;
    }

    /**
     * The loop can no longer run anything: {@code release} frees what it held, the background
     * threads learn that one loop fewer is open, then waiters are told.
     */
    void markClosed(Runnable release) {
        state = State.CLOSED;
        try {
            release.run();
        } finally {
            BackgroundThreads.loopClosed();
            closed.countDown();
            closeFuture.complete(null);
        }
    }

    /** A dependent of the close future, so that callers cannot complete the shared one. */
    CompletableFuture<Void> closeFuture() {
        return closeFuture.copy();
    }

    @Override
    public String toString() {
        Thread c = carrier;
        return state.name().toLowerCase(java.util.Locale.ROOT) + (c != null ? " on '" + c.getName() + "'" : "");
    }
}
