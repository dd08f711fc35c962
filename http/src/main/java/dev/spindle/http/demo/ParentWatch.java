package dev.spindle.http.demo;

import java.time.Duration;
import java.util.Objects;

/**
 * Ends this process when the process that started it ends, for servers launched by a tool
 * that does not stop its children when it is killed: {@code mvn exec:exec} forks the server,
 * and {@code kill <pid of mvn>} would leave the server running, reparented to PID 1. Asked for
 * with the system property {@value #PROPERTY}{@code =true}, which the build's {@code exec:exec}
 * passes. <b>Thread-safe:</b> may be called from any thread.
 *
 * <p>A daemon thread checks every {@value #PERIOD_MILLIS} ms that the parent is still alive (a
 * process that is not our parent cannot be waited for on Linux; {@link ProcessHandle#isAlive()}
 * also tells a reused PID from the original). When it is gone, the watch calls
 * {@code System.exit(0)}: shutdown hooks run, so the access log is written out. The thread ends
 * when interrupted.
 */
public final class ParentWatch {
    /** The system property that turns the watch on: {@code -Dspindle.exitWithParent=true}. */
    public static final String PROPERTY = "spindle.exitWithParent";
    /** How often the parent is checked. */
    public static final long PERIOD_MILLIS = 200;

    private ParentWatch() {}

    /**
     * Starts the watch if {@value #PROPERTY} is {@code true} and this process has a parent.
     *
     * @return the watching thread, or null if none was started
     */
    public static Thread startIfRequested() {
        if (!Boolean.getBoolean(PROPERTY)) {
            return null;
        }
        return ProcessHandle.current().parent().map(parent -> start(parent, Duration.ofMillis(PERIOD_MILLIS), () -> {
            System.err.println("Parent process " + parent.pid() + " ended: stopping.");
            System.exit(0);
        })).orElse(null);
    }

    /**
     * Starts a daemon thread that runs {@code onExit} once {@code parent} has ended, checking
     * every {@code period}.
     *
     * @throws IllegalArgumentException if {@code period} is not positive
     */
    static Thread start(ProcessHandle parent, Duration period, Runnable onExit) {
        Objects.requireNonNull(parent, "parent");
        Objects.requireNonNull(onExit, "onExit");
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("period must be positive: " + period);
        }
        return Thread.ofPlatform().name("spindle-parent-watch").daemon().start(() -> {
            try {
                while (parent.isAlive()) {
                    Thread.sleep(period);
                }
            } catch (InterruptedException e) {
                return; // Asked to stop watching.
            }
            onExit.run();
        });
    }
}
