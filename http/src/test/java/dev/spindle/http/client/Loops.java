package dev.spindle.http.client;

import dev.spindle.runtime.IOLoop;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Runs test bodies as coroutines of fresh loops. */
final class Loops {
    private Loops() {}

    /** Runs {@code body} as a coroutine of a new loop, with a 20 s timeout, then closes the loop. */
    static <T> T onLoop(Callable<T> body) {
        try (IOLoop loop = IOLoop.create()) {
            return loop.runSync(body, Duration.ofSeconds(20));
        }
    }
}
