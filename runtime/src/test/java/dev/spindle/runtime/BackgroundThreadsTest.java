package dev.spindle.runtime;

import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Spindle's own threads: daemons, never busy while they wait, gone once no loop is open. */
@Timeout(120)
class BackgroundThreadsTest {

    /*
     * A launcher such as mvn exec:java interrupts the threads a program leaves behind. The watchdog
     * used to go on parking with its interrupt status set, and park returns at once then: it spun at
     * 100 % CPU. Now an interrupt ends it, and the next loop to run starts a new one.
     */
    @Test
    void anInterruptEndsTheWatchdogAndTheNextRunStartsANewOne() throws Exception {
        try (IOLoop loop = IOLoop.create()) {
            Thread watchdog = loop.runSync(() -> Watchdog.INSTANCE.thread());
            assertNotNull(watchdog);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuBefore = threads.getThreadCpuTime(watchdog.threadId());
            watchdog.interrupt();
            boolean ended = watchdog.join(Duration.ofSeconds(30));
            long cpuMs = (threads.getThreadCpuTime(watchdog.threadId()) - cpuBefore) / 1_000_000;
            assertTrue(ended, "the interrupted watchdog is still alive and used " + cpuMs + " ms of CPU meanwhile");
            Thread next = loop.runSync(() -> Watchdog.INSTANCE.thread());
            assertNotSame(watchdog, next);
            assertTrue(next.isAlive() && next.isDaemon(), String.valueOf(next));
        }
    }

    @Test
    void spindleThreadsAreDaemonsAndAllEndOnceTheLastLoopClosesUntilALoopNeedsThemAgain() throws Exception {
        ChildJvm.Result r = ChildJvm.run(LastLoopCloses.class, true);
        String out = r.output();
        assertEquals(0, r.exitCode(), out);
        assertTrue(out.contains("while loops are open: spindle-executor-1, spindle-jmx, spindle-orphan-1,"
                + " spindle-unobserved-failures, spindle-watchdog; all daemons: true"), out);
        assertTrue(out.contains("after the last loop closed, still alive: []"), out);
        assertTrue(out.contains("a new loop runs with a watchdog: true"), out);
        assertTrue(out.contains("after it closed, still alive: []"), out);
    }

    /** Uses each kind of background thread, closes every loop, and waits for the threads to end. */
    static final class LastLoopCloses {
        public static void main(String[] args) throws Exception {
            IOLoop first = IOLoop.create();
            IOLoop second = IOLoop.create();
            CompletableFuture<String> late = new CompletableFuture<>();
            CompletableFuture<String> stubborn = first.runSync(() -> {
                first.spawn(() -> {
                    throw new IllegalStateException("a failure nobody looks at");
                });
                await(Coroutines.runInExecutor(null, () -> "ran off the loop"));
                CompletableFuture<String> s = first.spawn(() -> awaitIgnoringCancellation(late));
                Coroutines.moment();
                return s;
            });
            LoopMXBeans.flush(); // The registrations have run, so spindle-jmx has existed.
            Set<Thread> seen = new HashSet<>(spindleThreads());
            first.close(); // The stubborn coroutine is cancelled and moves to the orphan pool...
            late.complete("late");
            stubborn.handle((v, e) -> e).join(); // ...and ends there.
            seen.addAll(spindleThreads());
            System.out.println("while loops are open: " + String.join(", ", names(List.copyOf(seen)))
                    + "; all daemons: " + seen.stream().allMatch(Thread::isDaemon));
            second.close();
            System.out.println("after the last loop closed, still alive: " + stillAliveAfterJoin());
            try (IOLoop third = IOLoop.create()) {
                System.out.println("a new loop runs with a watchdog: "
                        + third.runSync(() -> Watchdog.INSTANCE.thread() != null));
            }
            System.out.println("after it closed, still alive: " + stillAliveAfterJoin());
        }

        private static String awaitIgnoringCancellation(CompletableFuture<String> f) {
            while (true) {
                try {
                    return await(f);
                } catch (CancellationException ignored) {
                    // Keeps waiting, after its loop closed too.
                }
            }
        }

        private static List<Thread> spindleThreads() {
            return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("spindle-"))
                    .filter(t -> !t.getName().equals("spindle-poller-init")).toList();
        }

        private static List<String> names(List<Thread> threads) {
            return threads.stream().map(Thread::getName).sorted().distinct().toList();
        }

        private static List<String> stillAliveAfterJoin() throws InterruptedException {
            List<Thread> threads = spindleThreads();
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(30));
            }
            return names(threads.stream().filter(Thread::isAlive).toList());
        }
    }
}
