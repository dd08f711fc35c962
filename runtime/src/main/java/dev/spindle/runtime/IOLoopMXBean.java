package dev.spindle.runtime;

/**
 * The management interface of an {@link IOLoop}, registered as
 * {@code dev.spindle:type=IOLoop,name=<loop name>} in the platform MBean server while the loop is
 * open (by a background thread, just after the loop is created; unless {@code -Dspindle.jmx=false}), so that JConsole, VisualVM or any JMX client can dump
 * a running process's coroutines. {@code jcmd <pid> Thread.dump_to_file -format=json <file>} shows
 * them too, as virtual threads, but without what they await.
 *
 * <p><b>Thread-safe:</b> may be called from any thread.
 */
public interface IOLoopMXBean {
    /** The loop's name, e.g. {@code IOLoop-1}. */
    String getName();

    /** The loop's {@code toString()}: state, carrier, counts. */
    String getDescription();

    /** How many coroutines of the loop are alive. */
    int getCoroutineCount();

    /** The blocked-loop detector's threshold in milliseconds; 0 when off. */
    long getBlockingThresholdMillis();

    /** Sets the blocked-loop detector's threshold in milliseconds; 0 turns it off. */
    void setBlockingThresholdMillis(long millis);

    /** Every live coroutine of the loop with its state, what it awaits, and its stack. */
    String dumpCoroutines();
}
