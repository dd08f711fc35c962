package dev.spindle.runtime.examples;

import static dev.spindle.runtime.Coroutines.all;
import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.sleep;
import static dev.spindle.runtime.Coroutines.spawn;
import static dev.spindle.runtime.Coroutines.withTimeout;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.TimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A runnable tour of the core API: coroutines awaiting timers and futures on one loop.
 *
 * <p><b>Thread-safe:</b> nothing to share; run {@link #main} once per process.
 */
public final class CoroutinesExample {
    private CoroutinesExample() {}

    /** Runs the tour and prints what happens, with the thread each step runs on. */
    public static void main(String[] args) {
        try (IOLoop loop = IOLoop.create()) {
            String summary = loop.runSync(() -> {
                say("main coroutine starts");
                // Three coroutines sleep on loop timers at once; none blocks a thread.
                List<CompletableFuture<String>> sleepers = List.of(
                        spawn(() -> nap("a", 300)), spawn(() -> nap("b", 100)), spawn(() -> nap("c", 200)));
                List<String> woke = await(all(sleepers));
                say("all woke: " + woke);

                // A future completed by another platform thread resumes us on the loop.
                CompletableFuture<String> fromWorker = new CompletableFuture<>();
                Thread.ofPlatform().name("worker").start(() -> fromWorker.complete("hello from a worker thread"));
                say("got: " + await(fromWorker));

                // withTimeout fails the awaiting side; try/catch works as written.
                try {
                    await(withTimeout(new CompletableFuture<String>(), Duration.ofMillis(50)));
                } catch (TimeoutException e) {
                    say("timed out as expected: " + e.getMessage().substring(0, 25) + "...");
                }
                return "done in one loop on " + IOLoop.current().name();
            });
            System.out.println(summary);
        }
    }

    private static String nap(String name, long millis) {
        say(name + " sleeps " + millis + " ms");
        sleep(Duration.ofMillis(millis));
        say(name + " woke");
        return name;
    }

    private static void say(String what) {
        Thread t = Thread.currentThread();
        System.out.printf("[%-22s] %s%n", t.getName(), what);
    }
}
