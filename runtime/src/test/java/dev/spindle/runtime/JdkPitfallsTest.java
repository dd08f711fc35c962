package dev.spindle.runtime;

import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** DESIGN's "JDK 25 pitfalls", each checked in a fresh JVM where the order of first use matters. */
@Timeout(120)
class JdkPitfallsTest {

    @Test
    void withoutAddOpensCreatingALoopFailsAtOnceWithTheFlagAndWhereToPutIt() throws Exception {
        ChildJvm.Result r = ChildJvm.run(CreateLoop.class, false);
        assertEquals(3, r.exitCode(), r.output());
        String msg = r.output();
        assertTrue(msg.contains("IllegalStateException"), msg);
        assertTrue(msg.contains("--add-opens java.base/java.lang=ALL-UNNAMED"), msg);
        assertTrue(msg.contains("<argLine>"), msg);
        assertTrue(msg.contains("jvmArgsAppend"), msg);
        assertTrue(msg.contains("Add-Opens: java.base/java.lang"), msg);
    }

    @Test
    void withAddOpensTheSameProgramRuns() throws Exception {
        ChildJvm.Result r = ChildJvm.run(CreateLoop.class, true);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("ran 42"), r.output());
    }

    /*
     * Pitfall 1: the process's first blocking socket read happens in a coroutine. Then the loop
     * closes. If the JDK's pollers had started on that loop, every later blocking socket read in
     * the process would hang: on a default virtual thread and on a new loop alike.
     */
    @Test
    void blockingSocketsStillWorkAfterTheLoopThatFirstUsedThemCloses() throws Exception {
        ChildJvm.Result r = ChildJvm.run(FirstSocketReadInACoroutine.class, true);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("coroutine read 1"), r.output());
        assertTrue(r.output().contains("default virtual thread read 2 while the first loop stalls"), r.output());
        assertTrue(r.output().contains("default virtual thread read 2"), r.output());
        assertTrue(r.output().contains("new loop read 3"), r.output());
    }

    /** Exit code 3 with the message on stderr when the loop cannot be created. */
    public static final class CreateLoop {
        public static void main(String[] args) {
            try (IOLoop loop = IOLoop.create()) {
                System.out.println("ran " + loop.runSync(() -> 42));
            } catch (IllegalStateException e) {
                e.printStackTrace();
                System.exit(3);
            }
        }
    }

    /** Prints one line per blocking read that worked; exits non-zero if one hangs. */
    public static final class FirstSocketReadInACoroutine {
        public static void main(String[] args) throws Exception {
            try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
                Thread.ofPlatform().daemon().start(() -> serve(server));
                IOLoop first = IOLoop.create();
                System.out.println("coroutine read " + first.runSync(() -> readOne(server.getLocalPort(), 1)));
                // The loop now stalls (nobody runs it), then closes.
                try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
                    Future<Integer> f = vts.submit(() -> readOne(server.getLocalPort(), 2));
                    System.out.println("default virtual thread read " + f.get(20, TimeUnit.SECONDS)
                            + " while the first loop stalls");
                }
                first.close();
                try (ExecutorService vts = Executors.newVirtualThreadPerTaskExecutor()) {
                    Future<Integer> f = vts.submit(() -> readOne(server.getLocalPort(), 2));
                    System.out.println("default virtual thread read " + f.get(20, TimeUnit.SECONDS));
                }
                try (IOLoop second = IOLoop.create()) {
                    int v = second.runSync(() -> await(CompletableFuture.completedFuture(readOne(server.getLocalPort(), 3))),
                            java.time.Duration.ofSeconds(20));
                    System.out.println("new loop read " + v);
                }
            }
            System.exit(0);
        }

        static int readOne(int port, int value) throws Exception {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(20_000);
                s.getOutputStream().write(value);
                return s.getInputStream().read();
            }
        }

        static void serve(ServerSocket server) {
            while (true) {
                try {
                    Socket s = server.accept();
                    Thread.ofPlatform().daemon().start(() -> {
                        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                            // Delay the reply so the reader really blocks (parks) in read().
                            int b = in.read();
                            Thread.sleep(50);
                            out.write(b);
                        } catch (Exception ignored) {
                            // Reported by the reader.
                        }
                    });
                } catch (Exception e) {
                    return;
                }
            }
        }
    }
}
