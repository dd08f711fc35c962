package dev.spindle.runtime.net;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.spawn;

import dev.spindle.runtime.Coroutines;
import dev.spindle.runtime.IOLoop;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client side of the connection-scale tests and measurements, run in a child JVM so that
 * its sockets do not count against the parent's descriptor limit. One Spindle loop drives all
 * connections. Prints one result line on standard output.
 *
 * <pre>
 * LoadClient echo PORT N             N connections open at once, each echoes a line; prints "OK N"
 * LoadClient idle PORT N             opens N connections, prints "CONNECTED N", holds them until stdin closes
 * LoadClient idle-tls PORT N         the same over TLS (verifying nothing: only the server is measured)
 * LoadClient pingpong PORT N SECS    N connections ping-pong 64-byte messages; after a 1 s warm-up prints
 *                                    "START", after SECS "END", then "ROUNDTRIPS count seconds"
 * </pre>
 */
public final class LoadClient {
    private static final int CONNECT_BATCH = 500;

    private LoadClient() {}

    /** Starts this program in a child JVM with the same JDK and class path. */
    static Process start(String... args) throws IOException {
        return NetTestSupport.startJvm(LoadClient.class, args);
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int port = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        try (IOLoop loop = IOLoop.create()) {
            String result = loop.runSync(() -> switch (mode) {
                case "echo" -> echo(port, n);
                case "idle" -> idle(TcpClient.create(), port, n);
                case "idle-tls" -> idle(TcpClient.create().withTls(TlsOptions.client().withPeerVerification(false)
                        .withHandshakeTimeout(Duration.ofMinutes(5))), port, n);
                case "pingpong" -> pingPong(port, n, Integer.parseInt(args[3]));
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            }, Duration.ofMinutes(5));
            System.out.println(result);
            System.out.flush();
        }
        System.exit(0);
    }

    /** Opens {@code n} connections, {@value #CONNECT_BATCH} connects in flight at most. */
    static List<IoStream> connectAll(TcpClient client, int port, int n) {
        List<IoStream> streams = new ArrayList<>(n);
        for (int i = 0; i < n; i += CONNECT_BATCH) {
            List<CompletableFuture<IoStream>> batch = new ArrayList<>();
            for (int j = i; j < Math.min(n, i + CONNECT_BATCH); j++) {
                batch.add(client.connect("127.0.0.1", port, Duration.ofSeconds(30)));
            }
            streams.addAll(await(Coroutines.all(batch)));
        }
        return streams;
    }

    private static String echo(int port, int n) {
        List<IoStream> streams = connectAll(TcpClient.create(), port, n);
        List<CompletableFuture<Boolean>> checks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            IoStream s = streams.get(i);
            String message = "message number " + i + " of " + n + "\n";
            checks.add(spawn(() -> {
                await(s.write(message.getBytes(StandardCharsets.US_ASCII)));
                return message.equals(new String(await(s.readUntil("\n", 1024)), StandardCharsets.US_ASCII));
            }));
        }
        long ok = await(Coroutines.all(checks)).stream().filter(b -> b).count();
        streams.forEach(IoStream::close);
        return (ok == n ? "OK " : "FAIL ") + ok;
    }

    private static String idle(TcpClient client, int port, int n) throws Exception {
        List<IoStream> streams = connectAll(client, port, n);
        System.out.println("CONNECTED " + streams.size());
        System.out.flush();
        InputStream in = System.in;
        await(Coroutines.runInExecutor(null, in::readAllBytes)); // Until the parent closes our stdin.
        streams.forEach(IoStream::close);
        return "CLOSED " + n;
    }

    private static String pingPong(int port, int n, int seconds) {
        List<IoStream> streams = connectAll(TcpClient.create(), port, n);
        AtomicLong count = new AtomicLong();
        long[] window = new long[2];
        IOLoop loop = IOLoop.current();
        boolean[] stop = {false};
        loop.callLater(Duration.ofSeconds(1), () -> { // Warm-up over: start counting.
            count.set(0);
            window[0] = System.nanoTime();
            System.out.println("START");
            System.out.flush();
            loop.callLater(Duration.ofSeconds(seconds), () -> {
                window[1] = count.get();
                window[0] = System.nanoTime() - window[0];
                System.out.println("END");
                System.out.flush();
                stop[0] = true;
            });
        });
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (IoStream s : streams) {
            all.add(spawn(() -> {
                byte[] msg = new byte[64];
                msg[63] = '\n';
                while (!stop[0]) {
                    await(s.write(ByteBuffer.wrap(msg)));
                    await(s.readBytes(64));
                    count.incrementAndGet();
                }
                s.close();
                return null;
            }));
        }
        await(Coroutines.all(all));
        return "ROUNDTRIPS " + window[1] + " " + window[0] / 1e9;
    }
}
