package dev.spindle.runtime.internal;

import dev.spindle.runtime.IOLoop;
import java.time.Duration;
import java.util.Objects;

/**
 * The door through which {@code dev.spindle.runtime.testing} reaches the runtime's virtual
 * clocks, which are not API of {@code dev.spindle.runtime} (the JDK's {@code SharedSecrets}
 * pattern): {@link IOLoop}'s class initialiser installs the {@link Access}.
 *
 * <p><b>Thread-safe:</b> may be called from any thread.
 *
 * <p>Internal: exported only to {@code dev.spindle.http}; it may change without notice.
 */
public final class VirtualClocks {
    /** What the runtime gives; every method is thread-safe. */
    public interface Access {
        /** A new loop on a virtual clock that gives real I/O {@code ioQuantum} before each jump. */
        IOLoop create(Duration ioQuantum);

        /** Virtual time elapsed on {@code loop} since it was made, or null if its time is real. */
        Duration elapsed(IOLoop loop);

        /** {@code loop}'s quantum, or null if its time is real. */
        Duration ioQuantum(IOLoop loop);

        /** The quantum of loops made without one. */
        Duration defaultIoQuantum();
    }

    private static volatile Access access;

    private VirtualClocks() {}

    /**
     * Installs the runtime's access, once.
     *
     * @throws IllegalStateException if one is installed already
     */
    public static synchronized void install(Access a) {
        Objects.requireNonNull(a, "access");
        if (access != null) {
            throw new IllegalStateException("virtual clocks are installed already");
        }
        access = a;
    }

    /** The runtime's access, installed by initialising {@link IOLoop} if nobody did yet. */
    public static Access access() {
        Access a = access;
        if (a == null) {
            try {
                Class.forName(IOLoop.class.getName(), true, IOLoop.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            a = access;
        }
        return a;
    }
}
