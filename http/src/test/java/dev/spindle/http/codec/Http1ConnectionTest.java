package dev.spindle.http.codec;

import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.HttpInputException;
import dev.spindle.http.LoopbackPair;
import dev.spindle.http.RequestStartLine;
import dev.spindle.http.ResponseStartLine;
import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.net.IoStream;
import dev.spindle.runtime.net.StreamClosedException;
import dev.spindle.runtime.testing.LoopTest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both sides of the codec's connection over real loopback sockets, or one side against raw bytes. */
@LoopTest
class Http1ConnectionTest {
    private static final RequestStartLine GET = new RequestStartLine("GET", "/", "HTTP/1.1");

    /** The two ends of a loopback connection, both streams of the test's loop. */
    private record Ends(IoStream server, IoStream client) {
        static Ends open(IOLoop loop) {
            LoopbackPair pair = LoopbackPair.open(loop);
            return new Ends(pair.stream, IoStream.create(loop, pair.client));
        }

        Http1Connection serverSide() {
            return Http1Connection.forServer(server, Http1Options.DEFAULTS, new Http1Writer());
        }

        Http1Connection clientSide() {
            return Http1Connection.forClient(client, Http1Options.DEFAULTS, new Http1Writer());
        }

        void close() {
            server.close();
            client.close();
        }
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.ISO_8859_1.decode(b).toString();
    }

    /** The head the peer sent, read raw, as text with CRLFs. */
    private static String rawHead(IoStream s) {
        return new String(await(s.readUntil("\r\n\r\n", 64 * 1024)), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aRequestAndAChunkedResponseThenTheNextExchangeOnTheSameConnection(IOLoop loop) {
        Ends ends = Ends.open(loop);
        Http1Connection client = ends.clientSide();
        Http1Connection server = ends.serverSide();
        for (int round = 0; round < 2; round++) {
            client.beginRequest(GET).field("Host", "x");
            client.writeHead(BodyFraming.NONE, false, Http1Connection.END, true);
            Http1Event.Head request = server.readHead();
            assertEquals(GET, request.startLine());
            assertTrue(server.bodyEnded());
            assertNull(server.readBody());
            server.beginResponse(200);
            server.writeHead(BodyFraming.CHUNKED, false, ascii("hel"), false);
            server.write(ascii("lo"));
            server.finish();
            Http1Event.Head response = client.readHead();
            assertEquals(BodyFraming.CHUNKED, response.framing());
            StringBuilder body = new StringBuilder();
            for (ByteBuffer piece; (piece = client.readBody()) != null; ) {
                body.append(text(piece));
            }
            assertEquals("hello", body.toString());
            assertEquals(5, client.bodyReceived());
            assertTrue(client.keepAlive() && server.keepAlive() && client.isDone() && server.isDone());
            client.next();
            server.next();
        }
        assertTrue(client.toString().startsWith("Http1Connection[client, exchange 3, in HEAD, out HEAD, keep-alive"),
                client.toString());
        ends.close();
    }

    @Test
    void callsOutOfOrderThrowNamingTheState(IOLoop loop) {
        Ends ends = Ends.open(loop);
        Http1Connection server = ends.serverSide();
        Http1Connection client = ends.clientSide();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> server.write(ascii("x")));
        assertEquals("write() out of order: Http1Connection[server, exchange 1, in HEAD, out HEAD, keep-alive]",
                e.getMessage());
        assertThrows(IllegalStateException.class, server::pollBody);
        assertThrows(IllegalStateException.class, server::finish);
        assertThrows(IllegalStateException.class, server::next);
        assertThrows(IllegalStateException.class, () -> server.beginRequest(GET));
        assertThrows(IllegalStateException.class, () -> client.beginResponse(200));
        assertThrows(IllegalStateException.class, client::writeContinue);
        assertThrows(IllegalStateException.class,
                () -> server.writeHead(BodyFraming.NONE, false, Http1Connection.END, true)); // No head begun.
        client.beginRequest(GET).field("Host", "x");
        client.writeHead(BodyFraming.NONE, false, Http1Connection.END, true);
        assertThrows(IllegalStateException.class, () -> client.beginRequest(GET)); // One request at a time.
        assertThrows(IllegalStateException.class, client::next); // The response is still to come.
        ends.close();
    }

    @Test
    void aContentLengthIsEnforcedOnWriteAndFinish(IOLoop loop) {
        Ends ends = Ends.open(loop);
        Http1Connection server = ends.serverSide();
        ends.client().write(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        server.readHead();
        server.beginResponse(200);
        assertThrows(IllegalStateException.class,
                () -> server.writeHead(new BodyFraming.Length(2), false, ascii("abc"), false));
        server.beginResponse(200);
        server.writeHead(new BodyFraming.Length(4), false, ascii("ab"), false);
        assertEquals("writing 3 bytes would exceed Content-Length 4 (2 written)",
                assertThrows(IllegalStateException.class, () -> server.write(ascii("cde"))).getMessage());
        server.write(ascii("c"));
        assertEquals("finished after 3 of the 4 bytes declared in Content-Length; the connection will be closed",
                assertThrows(IllegalStateException.class, server::finish).getMessage());
        assertFalse(server.keepAlive());
        ends.close();
    }

    @Test
    void anHttp10ClientGetsACloseDelimitedBodyAndKeepAliveOnlyWhenItAsks(IOLoop loop) {
        Ends ends = Ends.open(loop);
        Http1Connection server = ends.serverSide();
        ends.client().write(ascii("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
        server.readHead();
        server.beginResponse(200);
        server.writeHead(new BodyFraming.Length(2), false, ascii("ok"), true);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n", rawHead(ends.client()));
        assertTrue(server.keepAlive());
        server.next();
        ends.client().write(ascii("GET /b HTTP/1.0\r\n\r\n"));
        server.readHead();
        assertFalse(server.keepAlive());
        server.beginResponse(200);
        server.writeHead(BodyFraming.CHUNKED, false, ascii("streamed"), false);
        server.finish();
        assertEquals("okHTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", rawHead(ends.client()));
        ends.server().close();
        assertEquals("streamed", new String(await(ends.client().readUntilClose()), StandardCharsets.ISO_8859_1));
        ends.close();
    }

    @Test
    void aResponseToHeadHasItsFramingFieldButNoBodyAnd204HasNeither(IOLoop loop) {
        Ends ends = Ends.open(loop);
        Http1Connection server = ends.serverSide();
        ends.client().write(ascii("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        server.readHead();
        server.beginResponse(200);
        server.writeHead(new BodyFraming.Length(5), false, ascii("hello"), true);
        server.next();
        server.readHead();
        server.beginResponse(204);
        server.writeHead(BodyFraming.CHUNKED, false, ascii("dropped"), false);
        server.finish();
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", rawHead(ends.client()));
        assertEquals("HTTP/1.1 204 No Content\r\n\r\n", rawHead(ends.client()));
        assertTrue(server.keepAlive());
        ends.close();
    }

    @Test
    void theClientSkipsInterimResponsesAndReadsABodyThatEndsWithTheClose(IOLoop loop) {
        Ends ends = Ends.open(loop);
        Http1Connection client = ends.clientSide();
        client.beginRequest(new RequestStartLine("POST", "/up", "HTTP/1.1")).field("Host", "x");
        client.writeHead(new BodyFraming.Length(2), false, ascii("hi"), true);
        assertEquals("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n", rawHead(ends.server()));
        ends.server().write(ascii("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\nall of it"));
        ends.server().close();
        Http1Event.Head h = client.readHead();
        assertEquals(200, ((ResponseStartLine) h.startLine()).code());
        assertEquals(BodyFraming.UNTIL_CLOSE, h.framing());
        assertEquals("all of it", text(client.readBody()));
        assertNull(client.readBody());
        assertFalse(client.keepAlive());
        ends.close();
    }

    @Test
    void aResponseToHeadIsReadWithoutBody(IOLoop loop) {
        Ends ends = Ends.open(loop);
        Http1Connection client = ends.clientSide();
        client.beginRequest(new RequestStartLine("HEAD", "/", "HTTP/1.1")).field("Host", "x");
        client.writeHead(BodyFraming.NONE, false, Http1Connection.END, true);
        ends.server().write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"));
        client.readHead();
        assertTrue(client.bodyEnded());
        assertTrue(client.keepAlive() && client.isDone());
        ends.close();
    }

    @Test
    void aCleanCloseInABodyIsTheClientGoingAwayOnTheServerAndACutResponseOnTheClient(IOLoop loop) {
        Ends toServer = Ends.open(loop);
        Http1Connection server = toServer.serverSide();
        toServer.client().write(ascii("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"));
        toServer.client().close();
        server.readHead();
        assertEquals("abc", text(server.readBody()));
        assertThrows(StreamClosedException.class, server::readBody);
        toServer.close();

        Ends toClient = Ends.open(loop);
        Http1Connection client = toClient.clientSide();
        client.beginRequest(GET).field("Host", "x");
        client.writeHead(BodyFraming.NONE, false, Http1Connection.END, true);
        toClient.server().write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
        toClient.server().close();
        client.readHead();
        assertEquals("abc", text(client.readBody()));
        HttpInputException e = assertThrows(HttpInputException.class, client::readBody);
        assertEquals(HttpInputException.Reason.PREMATURE_EOF, e.reason());
        toClient.close();
    }

    @Test
    void readHeadIsNullWhenThePeerClosesBeforeAnyByte(IOLoop loop) {
        Ends ends = Ends.open(loop);
        Http1Connection server = ends.serverSide();
        ends.client().close();
        assertNull(server.readHead());
        assertTrue(server.receivedNothing());
        ends.close();
    }

    @Test
    void nextBodyCompletesWithEachPieceAndNullAtTheEnd(IOLoop loop) {
        Ends ends = Ends.open(loop);
        Http1Connection server = ends.serverSide();
        ends.client().write(ascii("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n"));
        server.readHead();
        assertEquals("abc", text(await(server.nextBody())));
        var pending = server.nextBody();
        assertFalse(pending.isDone());
        ends.client().write(ascii("2\r\nde\r\n0\r\n\r\n"));
        assertEquals("de", text(await(pending)));
        assertNull(await(server.nextBody()));
        assertTrue(server.bodyEnded());
        ends.close();
    }

    @Test
    void theWaitListenerHearsWhatTheConnectionWaitsFor(IOLoop loop) {
        Ends ends = Ends.open(loop);
        Http1Connection server = ends.serverSide();
        List<Http1Connection.Waiting> heard = new ArrayList<>();
        server.onWait(w -> {
            heard.add(w);
            String next = switch (w) { // Sent only once the server is about to wait for it.
                case NEXT_MESSAGE -> "POST / HTTP/1.1\r\n";
                case HEAD -> "Host: x\r\nContent-Length: 1\r\n\r\n";
                case BODY -> "!";
                case NOTHING -> null;
            };
            if (next != null) {
                loop.execute(() -> ends.client().write(ascii(next)));
            }
        });
        server.readHead();
        assertEquals("!", text(server.readBody()));
        assertEquals(List.of(Http1Connection.Waiting.NEXT_MESSAGE, Http1Connection.Waiting.NOTHING,
                Http1Connection.Waiting.HEAD, Http1Connection.Waiting.NOTHING,
                Http1Connection.Waiting.BODY, Http1Connection.Waiting.NOTHING), heard);
        ends.close();
    }

    @Test
    void theCloseWatchSeesThePeerGoAwayOnceTheRequestWasReadAndIsHandedToTheNextRead(IOLoop loop) {
        Ends ends = Ends.open(loop);
        Http1Connection server = ends.serverSide();
        ends.client().write(ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
        server.readHead();
        server.watchClose();
        assertTrue(server.toString().endsWith(", watching]"), server.toString());
        ends.client().close();
        await(ends.server().closeFuture());
        ends.close();

        Ends other = Ends.open(loop);
        Http1Connection client = other.clientSide();
        client.watchClose(); // Idle, before any exchange: a pooled connection's health check.
        assertTrue(client.toString().endsWith(", watching]"), client.toString());
        var watching = client.fill();
        assertFalse(watching.isDone());
        assertFalse(client.toString().contains("watching"), client.toString()); // Handed over, not a second read.
        other.server().write(ascii("x"));
        assertEquals(1, (int) await(watching));
        other.close();
    }

    @Test
    void theIncomingStartLineIsKnownEvenWhenTheHeadFailsLater(IOLoop loop) {
        Ends ends = Ends.open(loop);
        Http1Connection server = ends.serverSide();
        ends.client().write(ascii("GET /x HTTP/1.1\r\nBad Header: y\r\n\r\n"));
        assertThrows(HttpInputException.class, server::readHead);
        assertEquals(new RequestStartLine("GET", "/x", "HTTP/1.1"), server.incomingStartLine());
        ends.close();
    }
}
