package dev.spindle.runtime.testing;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.internal.Durations;
import dev.spindle.runtime.internal.VirtualClocks;
import java.time.Duration;
import java.util.Objects;

/**
 * Loops whose clock is virtual: time stands still while the loop has work and jumps straight to
 * the next timer when it has none, so that {@code sleep(Duration.ofHours(1))}, {@code withTimeout},
 * {@code PeriodicCallback} and every timeout built on the loop's timers take microseconds of real
 * time (kotlinx's {@code TestCoroutineScheduler}, OkHttp's {@code TaskFaker}). {@code @LoopTest(virtualTime
 * = true)} runs a test on such a loop; without JUnit:
 *
 * {@snippet :
 * try (IOLoop loop = VirtualTime.createLoop()) {
 *     loop.runSync(() -> {
 *         sleep(Duration.ofHours(1));                 // no real hour passes
 *         return null;
 *     });
 *     assert VirtualTime.elapsed(loop).equals(Duration.ofHours(1));
 * }
 * }
 *
 * <p><b>Thread-safe:</b> the methods of this class may be called from any thread. A loop it makes
 * is an ordinary {@link IOLoop} with the same affinity: bound to the first thread that runs it,
 * its coroutines and callbacks confined to that thread. Its clock ({@link IOLoop#time()}) may be
 * read from any thread and is moved only by the loop's own thread, in the idle step described
 * below; nobody else can move it.
 *
 * <p><b>When the clock moves.</b> {@code loop.time()} starts at an arbitrary origin and changes
 * only in the select step of an iteration with nothing ready (every coroutine of the loop parked,
 * no callback queued, no {@code stop()}) whose next timer lies ahead. Then:
 * <ol>
 * <li>while a {@link IOLoop#runInExecutor runInExecutor} task of the loop is running, the loop
 *     waits for real events and does not jump: it knows that work of its own is under way;
 * <li>else, if a channel is selected for some operation (a coroutine waits on a socket, a server
 *     accepts), the loop first gives real I/O a quantum of real time ({@link #createLoop(Duration)},
 *     default 20 ms or {@code -Dspindle.virtualTime.ioQuantum=50ms}): a select that waits up to
 *     the quantum. Only if no channel became ready and no callback arrived in it does the clock
 *     jump;
 * <li>else (no I/O can be pending) it jumps after a non-blocking poll, at once.
 * </ol>
 * A jump sets the clock to the deadline of the next timer, which fires in the next iteration.
 * So bytes already in the kernel, or arriving within the quantum, are never jumped over: a
 * pending read completes before a timer an hour away fires. A socket silent for longer than the
 * quantum counts as idle, which is what server idle timeouts need. With no timer at all the loop
 * simply waits for real events. Busy code that polls {@code loop.time()} never sees it move.
 *
 * <p><b>What the virtual clock does not see.</b> Work of other threads that the loop does not
 * know about: a future completed by a foreign thread or another loop, a peer on another thread
 * that takes longer than the quantum to answer. Virtual time may jump past such work to the next
 * timer; a deterministic test keeps its peers on the loop (a server and a client both on it) or
 * puts their bytes in the kernel before the loop goes idle. JDK timed parks in a coroutine
 * ({@code Thread.sleep}, a timed {@code LockSupport.parkNanos}, {@code Object.wait(ms)}, timed
 * {@code java.util.concurrent} waits) run on the JDK's real clock, not the loop's: the coroutine
 * counts as parked, so the loop's virtual timers go on firing (and the clock jumping) while it
 * sleeps for real. Use Spindle's {@code sleep}, {@code delay} and {@code withTimeout}, which are
 * loop timers.
 *
 * <p><b>Real time, on purpose.</b> The blocked-loop detector measures how long a task holds the
 * carrier in real time (it watches the thread, not the program's timeline); {@code close()} from
 * another thread waits up to 10 s of real time for the running loop; {@code @LoopTest}'s test
 * timeout is real time; {@link LogRecorder} and {@link ExpectLog} wait for records in real time.
 * Everything else reads {@link IOLoop#time()}: {@link IOLoop#runSync(java.util.concurrent.Callable,
 * Duration) runSync}'s timeout is a loop timer, hence virtual, and so is the grace a closing loop
 * gives its cancelled coroutines; while closing, a virtual loop does not wait for
 * {@code runInExecutor} tasks, so a task that never ends cannot hold a close.
 *
 * @since 0.3
 */
public final class VirtualTime {
    private VirtualTime() {}

    /**
     * A new loop on a virtual clock with the default I/O quantum: 20 ms, or the system property
     * {@code spindle.virtualTime.ioQuantum} ({@code 50ms}, {@code 0.1s}, {@code PT0.05S}).
     *
     * @throws IllegalStateException as {@link IOLoop#create()}, without the JVM flag
     */
    public static IOLoop createLoop() {
        return VirtualClocks.access().create(defaultIoQuantum());
    }

    /**
     * A new loop on a virtual clock that gives real I/O {@code ioQuantum} of real time before each
     * jump; a longer quantum tolerates slower peers on other threads, a shorter one makes each
     * jump cheaper.
     *
     * @throws IllegalArgumentException if {@code ioQuantum} is zero or negative
     * @throws IllegalStateException as {@link IOLoop#create()}, without the JVM flag
     */
    public static IOLoop createLoop(Duration ioQuantum) {
        return VirtualClocks.access().create(Durations.requirePositive(ioQuantum, "ioQuantum"));
    }

    /** Whether {@code loop}'s clock is virtual. */
    public static boolean isVirtual(IOLoop loop) {
        return VirtualClocks.access().ioQuantum(Objects.requireNonNull(loop, "loop")) != null;
    }

    /**
     * The virtual time that has passed on {@code loop} since it was made: the sum of its jumps.
     *
     * @throws IllegalArgumentException if {@code loop}'s clock is real
     */
    public static Duration elapsed(IOLoop loop) {
        Duration d = VirtualClocks.access().elapsed(Objects.requireNonNull(loop, "loop"));
        if (d == null) {
            throw new IllegalArgumentException(loop.name() + " runs on real time: make it with VirtualTime.createLoop()"
                    + " or @LoopTest(virtualTime = true)");
        }
        return d;
    }

    /**
     * {@code loop}'s I/O quantum.
     *
     * @throws IllegalArgumentException if {@code loop}'s clock is real
     */
    public static Duration ioQuantum(IOLoop loop) {
        Duration q = VirtualClocks.access().ioQuantum(Objects.requireNonNull(loop, "loop"));
        if (q == null) {
            throw new IllegalArgumentException(loop.name() + " runs on real time: it has no I/O quantum");
        }
        return q;
    }

    /** The I/O quantum of {@link #createLoop()}. */
    public static Duration defaultIoQuantum() {
        return VirtualClocks.access().defaultIoQuantum();
    }
}
