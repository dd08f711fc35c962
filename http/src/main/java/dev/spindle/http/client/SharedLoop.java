package dev.spindle.http.client;

import dev.spindle.runtime.IOLoop;

/**
 * The loop every {@link HttpClient} of the process runs its requests on: created on first use
 * and run by one daemon platform thread, {@code spindle-http-client}, for the life of the
 * process. So an {@code HttpClient} costs no thread, socket or loop of its own, and one that is
 * never closed leaks nothing. An interrupt of that thread (a launcher such as {@code mvn exec:java}
 * interrupts what is left at exit) is cleared and the loop goes on: the requests of other threads
 * still need it, and as a daemon it never keeps the JVM alive.
 *
 * <p><b>Thread-safe.</b>
 */
final class SharedLoop {
    static final String THREAD_NAME = "spindle-http-client";

    private SharedLoop() {}

    static IOLoop get() {
        return Holder.LOOP;
    }

    /** Initialised on first use (the JVM makes that thread-safe). */
    private static final class Holder {
        static final IOLoop LOOP = start();

        private static IOLoop start() {
            IOLoop loop = IOLoop.create();
            Thread.ofPlatform().name(THREAD_NAME).daemon().start(() -> run(loop));
            return loop;
        }

        /** Runs the loop for the life of the process; an interrupt ends a run, never the loop. */
        private static void run(IOLoop loop) {
            do {
                loop.start();
            } while (Thread.interrupted() && !loop.isClosed());
        }
    }
}
