package dev.spindle.jmh;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * The protocol of every hello server with its {@link ChildJvm} parent: {@link #ready} prints
 * {@code PORT <n>} and starts a daemon thread that reads commands from standard input, one per
 * line, and exits the JVM when standard input closes:
 *
 * <ul>
 * <li>{@code heap}: two full collections, then {@code HEAP <used bytes>};
 * <li>{@code ping}: {@code PONG}.
 * </ul>
 *
 * <p><b>Thread-safe:</b> may be called from any thread.
 */
final class ServerControl {
    /** The address every server binds: loopback only. */
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private ServerControl() {}

    /** The port to bind: the first argument, or 0 for an ephemeral one. */
    static int port(String[] args) {
        return args.length > 0 ? Integer.parseInt(args[0]) : 0;
    }

    /** Tells the parent the port and starts serving its commands. */
    static void ready(int port) {
        System.out.println("PORT " + port);
        System.out.flush();
        Thread.ofPlatform().daemon().name("server-control").start(ServerControl::serveCommands);
    }

    private static void serveCommands() {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            for (String line; (line = in.readLine()) != null; ) {
                switch (line.strip()) {
                    case "heap" -> System.out.println("HEAP " + heapAfterFullGc());
                    case "ping" -> System.out.println("PONG");
                    default -> System.out.println("UNKNOWN " + line);
                }
                System.out.flush();
            }
        } catch (IOException e) {
            // The parent is gone: exit below.
        }
        System.exit(0);
    }

    /** Used heap after two explicit full collections. */
    static long heapAfterFullGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
    }
}
