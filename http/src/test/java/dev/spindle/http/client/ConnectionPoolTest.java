package dev.spindle.http.client;

import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.codec.Http1Connection;
import dev.spindle.http.codec.Http1Writer;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.net.IoStream;
import dev.spindle.runtime.testing.LoopTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pool with time passed by hand; connections are real loopback sockets. */
@LoopTest
class ConnectionPoolTest {
    private static final long SECOND = 1_000_000_000L;
    private static final Origin A = new Origin("http", "a", 80, null);
    private static final Origin B = new Origin("http", "b", 80, null);

    /** The server ends of the connections made by {@link #connections}; closed after each test. */
    private final List<SocketChannel> peers = new ArrayList<>();
    /** The client ends; closed after each test. */
    private final List<PooledConnection> made = new ArrayList<>();

    /** {@code n} client-side connections to {@code origin} on the current loop. */
    private List<PooledConnection> connections(Origin origin, int n) {
        List<PooledConnection> out = new ArrayList<>();
        try (ServerSocketChannel ss = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            for (int i = 0; i < n; i++) {
                SocketChannel c = SocketChannel.open(ss.getLocalAddress());
                peers.add(ss.accept());
                IoStream stream = IoStream.create(IOLoop.current(), c);
                out.add(new PooledConnection(origin,
                        Http1Connection.forClient(stream, PooledHttpClient.PARSER_OPTIONS, new Http1Writer())));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        made.addAll(out);
        return out;
    }

    /** A connection as the pool gets it: one exchange done. */
    private PooledConnection used(Origin origin) {
        PooledConnection c = connections(origin, 1).getFirst();
        c.beginExchange();
        return c;
    }

    @AfterEach
    void closeAll() throws IOException {
        made.forEach(PooledConnection::close);
        for (SocketChannel p : peers) {
            p.close();
        }
    }

    @Test
    void takeReturnsTheMostRecentlyPooledConnectionOfTheOrigin() {
        ConnectionPool pool = new ConnectionPool(10, 30 * SECOND);
        PooledConnection older = used(A);
        PooledConnection newer = used(A);
        pool.offer(older, 0);
        pool.offer(newer, 1);
        assertNull(pool.take(B));
        assertSame(newer, pool.take(A));
        assertSame(older, pool.take(A));
        assertNull(pool.take(A));
    }

    @Test
    void httpAndHttpsAndOwnTlsContextsOfOneHostAndPortArePooledApart() throws Exception {
        ConnectionPool pool = new ConnectionPool(10, 30 * SECOND);
        javax.net.ssl.SSLContext own = javax.net.ssl.SSLContext.getInstance("TLS");
        Origin plain = new Origin("http", "a", 8443, null);
        Origin https = new Origin("https", "a", 8443, null);
        Origin withOwn = new Origin("https", "a", 8443, own);
        PooledConnection c = used(https);
        pool.offer(c, 0);
        assertNull(pool.take(plain));
        assertNull(pool.take(withOwn));
        assertSame(c, pool.take(new Origin("https", "a", 8443, null)));
        assertEquals("https://a:8443 (own SSLContext)", withOwn.toString());
    }

    @Test
    void offerBeyondTheLimitClosesTheOldest() {
        ConnectionPool pool = new ConnectionPool(2, 30 * SECOND);
        List<PooledConnection> cs = List.of(used(A), used(A), used(A));
        for (int i = 0; i < 3; i++) {
            assertTrue(pool.offer(cs.get(i), i));
        }
        assertFalse(cs.get(0).isOpen());
        assertEquals(2, pool.idleCount(A));
        pool.closeAll();
        assertEquals(0, pool.idleCount());
    }

    @Test
    void offerIsRefusedWhenPoolingIsOff() {
        assertFalse(new ConnectionPool(0, SECOND).offer(used(A), 0));
    }

    @Test
    void cleanupClosesExpiredConnectionsAndReturnsTheTimeUntilTheNextExpiry() {
        ConnectionPool pool = new ConnectionPool(10, 30 * SECOND);
        PooledConnection first = used(A);
        PooledConnection second = used(A);
        PooledConnection b = used(B);
        pool.offer(first, 0);
        pool.offer(second, 10 * SECOND);
        pool.offer(b, 5 * SECOND);
        assertEquals(25 * SECOND, pool.cleanup(5 * SECOND));
        assertEquals(5 * SECOND, pool.cleanup(30 * SECOND)); // first expired; b is next.
        assertFalse(first.isOpen());
        assertEquals(5 * SECOND, pool.cleanup(35 * SECOND)); // b expired; second is next.
        assertFalse(b.isOpen());
        assertEquals(-1, pool.cleanup(40 * SECOND));
        assertEquals(0, pool.idleCount());
        assertEquals("ConnectionPool[0 idle in 0 origin(s), max 10 per origin, idle timeout 30000 ms]", pool.toString());
    }

    @Test
    void connectionsExpiringMomentsApartAreClosedByOneCleanupAfterTheSlack() {
        ConnectionPool pool = new ConnectionPool(10, 64 * SECOND); // Slack: 1 s.
        PooledConnection first = used(A);
        PooledConnection second = used(A);
        PooledConnection third = used(A);
        pool.offer(first, 0);
        pool.offer(second, 1_000);
        pool.offer(third, 2_000);
        assertEquals(SECOND, pool.cleanup(64 * SECOND), "the next run waits for the slack, not 1 µs");
        assertFalse(first.isOpen());
        assertTrue(second.isOpen());
        assertEquals(-1, pool.cleanup(65 * SECOND));
        assertFalse(second.isOpen());
        assertFalse(third.isOpen());
    }

    @Test
    void takeClosesAndSkipsAConnectionTheServerClosedWhileIdle() throws IOException {
        ConnectionPool pool = new ConnectionPool(10, 30 * SECOND);
        PooledConnection older = used(A);
        PooledConnection newer = used(A);
        pool.offer(older, 0);
        pool.offer(newer, 1);
        peers.get(1).close(); // The newer one, which take() tries first.
        assertSame(older, pool.take(A));
        assertFalse(newer.isOpen());
        assertTrue(older.isOpen());
    }

    @Test
    void takeClosesAConnectionThatReceivedBytesNobodyAskedFor() throws IOException {
        ConnectionPool pool = new ConnectionPool(10, 30 * SECOND);
        PooledConnection c = used(A);
        pool.offer(c, 0);
        peers.getFirst().write(ByteBuffer.wrap("HTTP/1.1 408 Request Timeout\r\n\r\n".getBytes()));
        assertNull(pool.take(A));
        assertFalse(c.isOpen());
    }

    @Test
    void aHealthyConnectionHandsItsCheckReadToTheNextExchange() throws IOException {
        ConnectionPool pool = new ConnectionPool(10, 30 * SECOND);
        PooledConnection c = used(A);
        pool.offer(c, 0);
        assertSame(c, pool.take(A));
        java.util.concurrent.CompletableFuture<Integer> first = c.http.fill();
        assertFalse(first.isDone());
        peers.getFirst().write(ByteBuffer.wrap("HTTP/1.1 200 OK\r\n".getBytes()));
        assertEquals(17, await(first));
    }

    @Test
    void theConnectionsLifecycleIsChecked() {
        PooledConnection c = used(A);
        assertFalse(c.wasReused());
        c.idle(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, c::beginExchange);
        assertEquals("beginExchange() on a connection in state IDLE: PooledConnection[http://a:80, IDLE, exchanges=1]",
                e.getMessage());
        assertTrue(c.activate());
        c.beginExchange();
        assertTrue(c.wasReused());
        c.close();
        assertFalse(c.activate());
    }
}
