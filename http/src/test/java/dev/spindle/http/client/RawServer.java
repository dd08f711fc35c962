package dev.spindle.http.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A socket server for wire-level tests: each accepted connection runs a script on a thread of
 * its own, given the socket and the connection's number (0, 1, ...). Binds 127.0.0.1, port 0.
 */
final class RawServer implements AutoCloseable {
    /** What one connection does. */
    interface Script {
        void run(Socket socket, int connection) throws Exception;
    }

    private final ServerSocket server;
    private final AtomicInteger accepted = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    RawServer(Script script) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("raw-server-accept").start(() -> {
            while (!server.isClosed()) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                sockets.add(s);
                int n = accepted.getAndIncrement();
                Thread.ofPlatform().daemon().name("raw-server-" + n).start(() -> {
                    try (s) {
                        script.run(s, n);
                    } catch (Exception e) {
                        if (!server.isClosed()) {
                            failures.add(e);
                        }
                    }
                });
            }
        });
    }

    /** Answers every request on a connection with {@code response}, keeping the connection open. */
    static RawServer answering(String response) throws IOException {
        return new RawServer((s, n) -> {
            while (readHead(s.getInputStream()) != null) {
                write(s, response);
            }
        });
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return accepted.get();
    }

    List<Throwable> failures() {
        return failures;
    }

    /** Reads one request head, through the empty line; null at end of stream. Bodies are not read. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            head.write(b);
            String s = head.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        return null;
    }

    /** Writes {@code text}, every LF not preceded by CR made CRLF (text blocks have bare LFs). */
    static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(crlf(text).getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** {@code text} with every LF not preceded by CR made CRLF. */
    static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
