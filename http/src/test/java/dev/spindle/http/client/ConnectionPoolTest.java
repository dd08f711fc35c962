package dev.spindle.http.client;

import static dev.spindle.http.client.Loops.onLoop;
import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.net.IoStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pool with time passed by hand; connections are real loopback sockets. */
class ConnectionPoolTest {
    private static final long SECOND = 1_000_000_000L;

    /** Client-side connections of the current loop; their server ends are added to {@code peers}. */
    private static List<Connection> connections(String origin, int n, List<SocketChannel> peers) throws IOException {
        List<Connection> out = new ArrayList<>();
        try (ServerSocketChannel ss = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (int i = 0; i < n; i++) {
                SocketChannel c = SocketChannel.open(ss.getLocalAddress());
                peers.add(ss.accept());
                out.add(new Connection(origin, IoStream.create(IOLoop.current(), c)));
            }
        }
        return out;
    }

    @Test
    void takeReturnsTheMostRecentlyPooledConnectionOfTheOrigin() {
        onLoop(() -> {
            List<SocketChannel> peers = new ArrayList<>();
            ConnectionPool pool = new ConnectionPool(10, 30 * SECOND);
            List<Connection> cs = connections("a:80", 2, peers);
            pool.offer(cs.get(0), 0);
            pool.offer(cs.get(1), 1);
            assertNull(pool.take("b:80"));
            assertSame(cs.get(1), pool.take("a:80"));
            assertSame(cs.get(0), pool.take("a:80"));
            assertNull(pool.take("a:80"));
            pool.closeAll();
            cs.forEach(Connection::close);
            for (SocketChannel p : peers) {
                p.close();
            }
            return null;
        });
    }

    @Test
    void offerBeyondTheLimitClosesTheOldest() {
        onLoop(() -> {
            List<SocketChannel> peers = new ArrayList<>();
            ConnectionPool pool = new ConnectionPool(2, 30 * SECOND);
            List<Connection> cs = connections("a:80", 3, peers);
            for (int i = 0; i < 3; i++) {
                assertTrue(pool.offer(cs.get(i), i));
            }
            assertFalse(cs.get(0).isOpen());
            assertEquals(2, pool.idleCount("a:80"));
            pool.closeAll();
            assertEquals(0, pool.idleCount());
            for (SocketChannel p : peers) {
                p.close();
            }
            return null;
        });
    }

    @Test
    void offerIsRefusedWhenPoolingIsOff() {
        onLoop(() -> {
            Connection c = connections("a:80", 1, new ArrayList<>()).getFirst();
            assertFalse(new ConnectionPool(0, SECOND).offer(c, 0));
            c.close();
            return null;
        });
    }

    @Test
    void cleanupClosesExpiredConnectionsAndReturnsTheTimeUntilTheNextExpiry() {
        onLoop(() -> {
            List<SocketChannel> peers = new ArrayList<>();
            ConnectionPool pool = new ConnectionPool(10, 30 * SECOND);
            List<Connection> cs = connections("a:80", 2, peers);
            Connection b = connections("b:80", 1, peers).getFirst();
            pool.offer(cs.get(0), 0);
            pool.offer(cs.get(1), 10 * SECOND);
            pool.offer(b, 5 * SECOND);
            assertEquals(25 * SECOND, pool.cleanup(5 * SECOND));
            assertEquals(5 * SECOND, pool.cleanup(30 * SECOND)); // cs.get(0) expired; b is next.
            assertFalse(cs.get(0).isOpen());
            assertEquals(5 * SECOND, pool.cleanup(35 * SECOND)); // b expired; cs.get(1) is next.
            assertFalse(b.isOpen());
            assertEquals(-1, pool.cleanup(40 * SECOND));
            assertEquals(0, pool.idleCount());
            assertEquals("ConnectionPool[0 idle in 0 origin(s), max 10 per origin, idle timeout 30000 ms]",
                    pool.toString());
            for (SocketChannel p : peers) {
                p.close();
            }
            return null;
        });
    }

    @Test
    void takeClosesAndSkipsAConnectionTheServerClosedWhileIdle() {
        onLoop(() -> {
            List<SocketChannel> peers = new ArrayList<>();
            ConnectionPool pool = new ConnectionPool(10, 30 * SECOND);
            List<Connection> cs = connections("a:80", 2, peers);
            pool.offer(cs.get(0), 0);
            pool.offer(cs.get(1), 1);
            peers.get(1).close(); // The newer one, which take() tries first.
            assertSame(cs.get(0), pool.take("a:80"));
            assertFalse(cs.get(1).isOpen());
            assertTrue(cs.get(0).isOpen());
            cs.get(0).close();
            peers.get(0).close();
            return null;
        });
    }

    @Test
    void takeClosesAConnectionThatReceivedBytesNobodyAskedFor() {
        onLoop(() -> {
            List<SocketChannel> peers = new ArrayList<>();
            ConnectionPool pool = new ConnectionPool(10, 30 * SECOND);
            Connection c = connections("a:80", 1, peers).getFirst();
            pool.offer(c, 0);
            peers.getFirst().write(java.nio.ByteBuffer.wrap("HTTP/1.1 408 Request Timeout\r\n\r\n".getBytes()));
            assertNull(pool.take("a:80"));
            assertFalse(c.isOpen());
            peers.getFirst().close();
            return null;
        });
    }

    @Test
    void healthyConnectionHandsItsCheckReadToTheNextExchange() {
        onLoop(() -> {
            List<SocketChannel> peers = new ArrayList<>();
            ConnectionPool pool = new ConnectionPool(10, 30 * SECOND);
            Connection c = connections("a:80", 1, peers).getFirst();
            c.beginExchange();
            pool.offer(c, 0);
            assertSame(c, pool.take("a:80"));
            java.util.concurrent.CompletableFuture<Integer> first = c.fill();
            assertFalse(first.isDone());
            peers.getFirst().write(java.nio.ByteBuffer.wrap("HTTP/1.1 200 OK\r\n".getBytes()));
            assertEquals(17, await(first));
            c.close();
            peers.getFirst().close();
            return null;
        });
    }

    @Test
    void connectionLifecycleIsChecked() {
        onLoop(() -> {
            Connection c = connections("a:80", 1, new ArrayList<>()).getFirst();
            c.beginExchange();
            assertFalse(c.wasReused());
            c.idle(0);
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    c::beginExchange);
            assertEquals("beginExchange() on a connection in state IDLE: Connection[a:80, IDLE, exchanges=1]",
                    e.getMessage());
            assertTrue(c.activate());
            c.close();
            assertFalse(c.activate());
            return null;
        });
    }
}
