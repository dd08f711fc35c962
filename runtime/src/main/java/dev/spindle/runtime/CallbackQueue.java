package dev.spindle.runtime;

import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loop's ready callbacks: a plain deque for work scheduled on the carrier itself and a
 * lock-free queue for work handed in by other threads, with the selector wake-up handshake.
 *
 * <p><b>Thread-safe</b> for {@link #addRemote}; everything else is loop-confined.
 */
/*
 * Implementation notes:
 *
 * Same-thread scheduling (a coroutine unparking another on the same carrier, a callback adding
 * a callback) appends to `local`: no lock, no fence, no wake-up. Other threads append to
 * `remote` and wake the selector only if the loop is asleep in select, at most once per sleep:
 *
 *   AWAKE --beforeSleep()--> SLEEPING --addRemote() CAS--> WOKEN (selector.wakeup())
 *     ^                         |                            |
 *     +-------afterSleep()------+----------------------------+
 *
 * The loop publishes SLEEPING and then checks `remote`; a producer publishes its task and then
 * checks the state. Both are volatile (sequentially consistent), so one of them always sees
 * the other: no task is left waiting on a sleeping selector.
 */
final class CallbackQueue {
    private static final int AWAKE = 0;
    private static final int SLEEPING = 1;
    private static final int WOKEN = 2;

    /** Callbacks scheduled from the carrier. Loop-confined. */
    private final ArrayDeque<Runnable> local = new ArrayDeque<>();
    /** Callbacks handed in by other threads. Any thread adds; the loop drains. */
    private final ConcurrentLinkedQueue<Runnable> remote = new ConcurrentLinkedQueue<>();
    /** AWAKE, SLEEPING or WOKEN; see the diagram. */
    private final AtomicInteger sleep = new AtomicInteger(AWAKE);
    private final Runnable wakeup;

    CallbackQueue(Runnable wakeup) {
        this.wakeup = wakeup;
    }

    /** Schedules from the carrier. Loop-confined. */
    void addLocal(Runnable task) {
        local.addLast(task);
    }

    /** Schedules from any thread; never blocks, never throws. */
    void addRemote(Runnable task) {
        remote.offer(task);
        if (sleep.get() == SLEEPING && sleep.compareAndSet(SLEEPING, WOKEN)) {
            wakeup.run();
        }
    }

    /** Removes a task that was added remotely but not yet drained; for races with close(). */
    boolean removeRemote(Runnable task) {
        return remote.remove(task);
    }

    /**
     * Moves the remote tasks behind the local ones and returns how many tasks are ready now:
     * the loop runs exactly that many, so tasks added meanwhile wait for the next iteration.
     */
    int snapshot() {
        Runnable t;
        while ((t = remote.poll()) != null) {
            local.addLast(t);
        }
        return local.size();
    }

    /** The next ready task, or null. Loop-confined. */
    Runnable poll() {
        return local.pollFirst();
    }

    boolean hasReady() {
        return !local.isEmpty() || !remote.isEmpty();
    }

    int size() {
        return local.size() + remote.size();
    }

    /** Publishes that the loop is about to block in select; false if work is waiting. */
    boolean beforeSleep() {
        if (!local.isEmpty()) {
            return false;
        }
        sleep.set(SLEEPING);
        if (!remote.isEmpty()) {
            sleep.set(AWAKE);
            return false;
        }
        return true;
    }

    void afterSleep() {
        sleep.set(AWAKE);
    }
}
