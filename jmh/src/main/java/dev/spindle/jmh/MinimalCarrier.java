package dev.spindle.jmh;

import java.lang.reflect.Constructor;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * The floor of the suite: the smallest scheduler that can carry a virtual thread, a deque of
 * tasks drained by the thread that calls {@link #runWhile}. No selector, no timers, no
 * cross-thread queue: what is left is the JDK's own cost of mounting, parking and unparking.
 * Built through the JDK's {@code VirtualThreadBuilder(Executor)} constructor, as Spindle's loop
 * is (DESIGN rule 7), so it needs the same {@code --add-opens}.
 *
 * <p><b>Thread-safe:</b> no; {@link #execute} must be called on the draining thread only, which
 * every benchmark here does.
 */
final class MinimalCarrier implements Executor {
    private static final Constructor<?> BUILDER;

    static {
        try {
            BUILDER = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder").getDeclaredConstructor(Executor.class);
            BUILDER.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Tasks in arrival order: continuations of its virtual threads and plain callbacks. */
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    /** An unstarted virtual thread whose scheduler is this carrier. */
    Thread newThread(Runnable body) {
        try {
            return ((Thread.Builder.OfVirtual) BUILDER.newInstance(this)).unstarted(body);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a virtual thread on a custom scheduler", e);
        }
    }

    /** Runs tasks on the calling thread while {@code more} says so and there are tasks. */
    void runWhile(java.util.function.BooleanSupplier more) {
        while (more.getAsBoolean()) {
            Runnable r = tasks.poll();
            if (r == null) {
                return;
            }
            r.run();
        }
    }

    @Override
    public String toString() {
        return "MinimalCarrier[" + tasks.size() + " tasks]";
    }
}
