package dev.spindle.http.demo;

import static dev.spindle.http.demo.ChatFixture.FORM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.runtime.IOLoop;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The chat's long polls at scale: thousands parked at once, and clients that give up while parked. */
@Timeout(300)
class ChatLongPollTest {
    private static final int CLIENTS = 2_000;
    private static final int DROP_CYCLES = 1_000;
    private static final int DROP_BATCH = 100;

    /** The access log as the demo has it (queued, written by a background thread), to a console nobody reads. */
    private static final class QuietAccessLog implements AutoCloseable {
        private final java.util.logging.Logger logger = java.util.logging.Logger.getLogger("spindle.access");
        private final ConsoleLogHandler handler = new ConsoleLogHandler(new java.io.PrintStream(OutputStream.nullOutputStream()), 8192);

        QuietAccessLog() {
            logger.addHandler(handler);
            logger.setUseParentHandlers(false);
        }

        @Override
        public void close() {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(true);
            handler.close();
        }
    }

    private static int connections(ChatFixture f) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("connections=(\\d+)").matcher(f.chat.server().toString());
        assertTrue(m.find());
        return Integer.parseInt(m.group(1));
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            memory.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    /** Posts {@code body} and returns the new message's id. */
    private static String post(ChatFixture f, String body) throws Exception {
        var r = f.post("/a/message/new", FORM, "body=" + body);
        assertEquals(200, r.statusCode(), r.body());
        return (String) ((Map<?, ?>) JsonReader.parse(r.body())).get("id");
    }

    /*
     * The main job's claim: every waiting browser costs a parked coroutine. 2,000 clients in a
     * JVM of their own each hold a long poll; once the server counts 2,000 parked waiters, one
     * message is posted and every client must receive it. Two rounds: the first on a cold JVM,
     * the second once the paths are compiled. Reported (in the test's output): the time from
     * the post to the last delivery, and the server's heap per parked waiter (heap after GC with
     * the waiters parked, minus before they connected, divided by their number: the server's
     * connection, its coroutine and the waiter together).
     */
    @Test
    void twoThousandParkedLongPollsAllReceiveOnePost() throws Exception {
        try (QuietAccessLog log = new QuietAccessLog(); ChatFixture f = ChatFixture.start()) {
            String cursor = post(f, "warm-up");
            int open = connections(f);
            for (String round : List.of("cold", "warm")) {
                cursor = broadcastRound(f, cursor, round);
                awaitOnLoop(f.loop, () -> connections(f) == open);
            }
        }
    }

    /** One round of {@link #twoThousandParkedLongPollsAllReceiveOnePost}; returns the new cursor. */
    private static String broadcastRound(ChatFixture f, String cursor, String round) throws Exception {
        long before = usedHeapAfterGc();
        String text = "broadcast " + round;
        Process clients = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LongPollClients.class.getName(),
                String.valueOf(f.port()), String.valueOf(CLIENTS), cursor, text)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("sent " + CLIENTS, out.readLine());
            f.chat.whenWaiters(CLIENTS).get(120, TimeUnit.SECONDS);
            long parked = usedHeapAfterGc();
            java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            java.util.concurrent.atomic.AtomicLong answered = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicLong loopCpu = new java.util.concurrent.atomic.AtomicLong();
            CompletableFuture<Void> released = f.chat.whenWaiters(0).thenRun(() -> {
                answered.set(System.nanoTime());
                loopCpu.set(threads.getThreadCpuTime(f.thread.threadId())); // Read on the loop, by one of its coroutines.
            });
            long cpuBefore = threads.getThreadCpuTime(f.thread.threadId());
            long posted = System.nanoTime(); // The clients' JVM reads the same monotonic clock.
            String id = post(f, text.replace(' ', '+'));
            String[] delivered = out.readLine().split(" ");
            assertEquals(0, clients.waitFor());
            assertEquals(String.valueOf(CLIENTS), delivered[1], "clients that got the message");
            released.get(60, TimeUnit.SECONDS);
            double ms = (Long.parseLong(delivered[2]) - posted) / 1e6;
            System.out.printf(Locale.ROOT, "%s JVM, %d parked long polls: post to last delivery %.1f ms (the server had"
                    + " answered all after %.1f ms, %.1f ms of its loop's CPU); server heap per parked waiter %.0f bytes"
                    + " (%d -> %d bytes after GC)%n", round, CLIENTS, ms, (answered.get() - posted) / 1e6,
                    (loopCpu.get() - cpuBefore) / 1e6, (parked - before) / (double) CLIENTS, before, parked);
            assertTrue(parked - before < CLIENTS * 64L * 1024, "a parked waiter costs far less than a thread stack");
            return id;
        } finally {
            clients.destroyForcibly();
        }
    }

    /*
     * Clients that give up while parked: 1,000 connect-wait-drop cycles, 100 at a time, half
     * closing politely (FIN) and half resetting (RST). Each batch is dropped only once all of it
     * is parked, and the next starts once the server has released all of it; at the end the
     * parked waiters, the server's connections and the loop's coroutines are back at baseline.
     */
    @Test
    void disconnectedWaitersAreReleasedAtOnce() throws Exception {
        try (QuietAccessLog log = new QuietAccessLog(); ChatFixture f = ChatFixture.start()) {
            String cursor = post(f, "seen");
            // Counted on the loop, as at the end: the coroutine that answered the post ends in the task
            // that wrote the answer, so only a look from another thread could still catch it.
            int coroutines = countOnLoop(f.loop);
            int open = connections(f); // The fixture's client keeps its connection alive.
            byte[] request = ("POST /a/message/updates HTTP/1.1\r\nHost: x\r\nContent-Type: " + FORM
                    + "\r\nContent-Length: " + (7 + cursor.length()) + "\r\n\r\ncursor=" + cursor).getBytes(StandardCharsets.US_ASCII);
            for (int cycle = 0; cycle < DROP_CYCLES; cycle += DROP_BATCH) {
                List<Socket> batch = new ArrayList<>();
                try {
                    for (int i = 0; i < DROP_BATCH; i++) {
                        Socket s = new Socket(InetAddress.getLoopbackAddress(), f.port());
                        batch.add(s);
                        OutputStream out = s.getOutputStream();
                        out.write(request);
                    }
                    f.chat.whenWaiters(DROP_BATCH).get(60, TimeUnit.SECONDS);
                } finally {
                    for (int i = 0; i < batch.size(); i++) {
                        if (i % 2 == 1) {
                            batch.get(i).setSoLinger(true, 0); // Closes with a reset.
                        }
                        batch.get(i).close();
                    }
                }
                f.chat.whenWaiters(0).get(60, TimeUnit.SECONDS);
            }
            awaitOnLoop(f.loop, () -> coroutineCount(f.loop) == coroutines);
            assertEquals(0, f.onLoop(() -> f.chat.buffer().waiters()));
            assertEquals(open, connections(f), f.chat.server().toString());
            assertTrue(f.chat.server().toString().contains("accepted=" + (DROP_CYCLES + 1)), f.chat.server().toString());
            System.out.printf(Locale.ROOT, "%d connect-wait-drop cycles: waiters 0, live coroutines %d (baseline %d)%n",
                    DROP_CYCLES, coroutineCount(f.loop), coroutines);
        }
    }

    private static int coroutineCount(IOLoop loop) {
        return loop.listCoroutines().size();
    }

    /** {@link #coroutineCount} in a callback of the loop. */
    private static int countOnLoop(IOLoop loop) {
        CompletableFuture<Integer> count = new CompletableFuture<>();
        loop.execute(() -> count.complete(coroutineCount(loop)));
        return count.join();
    }

    /**
     * Re-checks {@code condition} once per loop iteration (each check is a callback of the loop,
     * so the loop has run in between), a bounded number of times.
     */
    private static void awaitOnLoop(IOLoop loop, java.util.function.BooleanSupplier condition) {
        for (int i = 0; i < 100_000; i++) {
            CompletableFuture<Boolean> check = new CompletableFuture<>();
            loop.execute(() -> check.complete(condition.getAsBoolean()));
            if (check.join()) {
                return;
            }
        }
        fail("not reached after 100,000 loop iterations: " + loop.dumpCoroutines());
    }
}
