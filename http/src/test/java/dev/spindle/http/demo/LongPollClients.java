package dev.spindle.http.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A crowd of long-poll clients, run in a JVM of its own so that the server's heap holds only
 * the server: opens {@code n} connections, sends each one {@code POST /a/message/updates} with
 * a cursor, prints {@code sent n}, then reads every answer and prints
 * {@code delivered <answers holding the expected text> <System.nanoTime() of the last answer>}.
 * Blocking sockets on virtual threads; every read times out after 60 s so that nothing hangs.
 *
 * <p>Usage: {@code LongPollClients <port> <n> <cursor> <expected text>}.
 */
final class LongPollClients {
    private LongPollClients() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        String form = "cursor=" + args[2];
        byte[] request = ("POST /a/message/updates HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + form.length() + "\r\n\r\n" + form)
                .getBytes(StandardCharsets.US_ASCII);
        Socket[] sockets = new Socket[n];
        for (int i = 0; i < n; i++) {
            sockets[i] = new Socket(InetAddress.getLoopbackAddress(), port);
            sockets[i].setSoTimeout(60_000);
            sockets[i].getOutputStream().write(request);
        }
        System.out.println("sent " + n);
        System.out.flush();
        AtomicInteger ok = new AtomicInteger();
        AtomicLong last = new AtomicLong();
        CountDownLatch done = new CountDownLatch(n);
        for (Socket s : sockets) {
            Thread.ofVirtual().start(() -> {
                try (s) {
                    String answer = readResponse(s.getInputStream());
                    long now = System.nanoTime();
                    last.accumulateAndGet(now, Math::max);
                    if (answer.startsWith("HTTP/1.1 200 ") && answer.contains(args[3])) {
                        ok.incrementAndGet();
                    }
                } catch (IOException e) {
                    System.err.println("client failed: " + e);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        System.out.println("delivered " + ok.get() + " " + last.get());
    }

    /** Reads one response with a Content-Length body; returns head and body as text. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) c);
        }
        int at = head.indexOf("Content-Length: ") + 16;
        int length = Integer.parseInt(head.substring(at, head.indexOf("\r\n", at)));
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
