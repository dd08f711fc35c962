package dev.spindle.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.HttpHeaders;
import dev.spindle.runtime.IOLoop;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseHeadTest {
    @Test
    void framingFieldsAreDeclarationsNotFields() {
        ResponseHead h = new ResponseHead();
        h.put("content-length", " 42 ", true);
        h.put("Connection", "keep-alive, close", true);
        h.put("X-A", "1", true);
        h.put("x-a", "2", false);
        assertEquals(42, h.declaredLength);
        assertTrue(h.closeRequested);
        assertEquals(HttpHeaders.of("X-A", "1", "x-a", "2"), h.fields());
        assertThrows(IllegalArgumentException.class, () -> h.put("Transfer-Encoding", "chunked", true));
        for (String bad : new String[] {"-1", "", "1e3", "0x10", "99999999999999999999"}) {
            assertThrows(IllegalArgumentException.class, () -> h.put("Content-Length", bad, true), bad);
        }
    }

    @Test
    void onlyNoContentAndNotModifiedForbidABody() {
        ResponseHead h = new ResponseHead();
        for (int code : new int[] {200, 201, 404, 500}) {
            h.status = code;
            assertFalse(h.forbidsBody(), String.valueOf(code));
        }
        h.status = 204;
        assertTrue(h.forbidsBody());
        h.status = 304;
        assertTrue(h.forbidsBody());
    }

    @Test
    void encodesStatusServerDateFieldsTypeFramingAndConnection() throws Exception {
        try (IOLoop loop = IOLoop.create(); LoopbackPair pair = LoopbackPair.open(loop)) {
            Http1ServerConnection conn = new Http1ServerConnection(HttpServer.create(loop), pair.stream);
            ResponseHead h = new ResponseHead();
            h.status = 201;
            h.put("Location", "/x", true);
            h.defaultTextType = true;
            String head = StandardCharsets.ISO_8859_1.decode(
                    h.encode(conn, ResponseHead.Framing.LENGTH, 5, false, false)).toString();
            assertTrue(head.matches("HTTP/1\\.1 201 Created\r\nServer: Spindle\r\nDate: [^\r]+ GMT\r\nLocation: /x\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"), head);
            h.reset();
            h.status = 204;
            String empty = StandardCharsets.ISO_8859_1.decode(
                    h.encode(conn, ResponseHead.Framing.CHUNKED, -1, true, false)).toString();
            assertTrue(empty.matches("HTTP/1\\.1 204 No Content\r\nServer: Spindle\r\nDate: [^\r]+\r\n\r\n"), empty);
        }
    }

    @Test
    void theHandlersOwnServerAndDateReplaceTheServers() throws Exception {
        try (IOLoop loop = IOLoop.create(); LoopbackPair pair = LoopbackPair.open(loop)) {
            Http1ServerConnection conn = new Http1ServerConnection(HttpServer.create(loop), pair.stream);
            ResponseHead h = new ResponseHead();
            h.put("Server", "mine", true);
            h.put("date", "Thu, 01 Jan 1970 00:00:00 GMT", true);
            assertEquals("HTTP/1.1 200 OK\r\nServer: mine\r\ndate: Thu, 01 Jan 1970 00:00:00 GMT\r\n"
                    + "Content-Length: 0\r\n\r\n", StandardCharsets.ISO_8859_1.decode(
                            h.encode(conn, ResponseHead.Framing.LENGTH, 0, true, false)).toString());
        }
    }

    @Test
    void chunkSizeLinesAreLowerCaseHex() {
        assertEquals("1\r\n", StandardCharsets.US_ASCII.decode(ResponseHead.chunkSizeLine(1)).toString());
        assertEquals("ff\r\n", StandardCharsets.US_ASCII.decode(ResponseHead.chunkSizeLine(255)).toString());
        assertEquals("7fffffff\r\n",
                StandardCharsets.US_ASCII.decode(ResponseHead.chunkSizeLine(Integer.MAX_VALUE)).toString());
    }

    @Test
    void toStringShowsStatusFieldsAndDeclarations() {
        ResponseHead h = new ResponseHead();
        assertEquals("ResponseHead[200]", h.toString());
        h.put("A", "b", true);
        h.put("Content-Length", "3", true);
        assertEquals("ResponseHead[200, HttpHeaders[A: b], Content-Length 3]", h.toString());
    }
}
