package dev.spindle.runtime.net;

import static dev.spindle.runtime.Coroutines.await;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.testing.VirtualTime;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Shared fixtures of the net tests: loops, socket pairs, log capture. */
final class NetTestSupport {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private NetTestSupport() {}

    /** Runs {@code body} as a coroutine of a fresh loop, with a timeout, and closes the loop. */
    static <T> T onLoop(Duration timeout, Callable<T> body) {
        try (IOLoop loop = IOLoop.create()) {
            return loop.runSync(body, timeout);
        }
    }

    static <T> T onLoop(Callable<T> body) {
        return onLoop(Duration.ofSeconds(20), body);
    }

    /**
     * Runs {@code body} as a coroutine of a fresh loop on a virtual clock ({@link VirtualTime}), and
     * closes the loop. No timeout of its own: a virtual one would be reached at once by a body
     * waiting on a silent socket; the calling test carries a JUnit {@code @Timeout} instead.
     */
    static <T> T onVirtualLoop(Callable<T> body) {
        try (IOLoop loop = VirtualTime.createLoop()) {
            return loop.runSync(body);
        }
    }

    /** Two connected loopback socket channels, blocking; made on the calling thread. */
    static SocketChannel[] socketPair() throws IOException {
        try (ServerSocketChannel ss = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            SocketChannel a = SocketChannel.open(ss.getLocalAddress());
            SocketChannel b = ss.accept();
            return new SocketChannel[] {a, b};
        }
    }

    /** Two connected streams of the current loop. */
    static IoStream[] streamPair() throws IOException {
        SocketChannel[] p = socketPair();
        IOLoop loop = IOLoop.current();
        return new IoStream[] {IoStream.create(loop, p[0]), IoStream.create(loop, p[1])};
    }

    /** A server on the current loop that echoes every line back. */
    static TcpServer lineEchoServer() {
        return TcpServer.create(IOLoop.current(), (stream, address) -> {
            while (true) {
                await(stream.write(await(stream.readUntil("\n", 1 << 20))));
            }
        }).listen(0, LOOPBACK);
    }

    /** Starts {@code main} in a child JVM with the same JDK, class path and {@code --add-opens}; its stderr is this one's. */
    static Process startJvm(Class<?> main, String... args) throws IOException {
        String jvm = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(jvm, "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-Xmx1g", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static String text(byte[] b) {
        return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Captures the records of one logger while open (the JDK's System.Logger goes to java.util.logging). */
    static final class LogCapture extends Handler implements AutoCloseable {
        private final Logger logger;
        private final List<LogRecord> records = new ArrayList<>();

        LogCapture(String name) {
            this.logger = Logger.getLogger(name);
            logger.addHandler(this);
            logger.setLevel(java.util.logging.Level.ALL);
            setLevel(java.util.logging.Level.ALL);
        }

        @Override
        public synchronized void publish(LogRecord r) {
            records.add(r);
        }

        synchronized List<LogRecord> records() {
            return List.copyOf(records);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            logger.removeHandler(this);
            logger.setLevel(null);
        }
    }
}
