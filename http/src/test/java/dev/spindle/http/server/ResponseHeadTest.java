package dev.spindle.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.codec.Http1Writer;
import dev.spindle.runtime.IOLoop;
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
    void writesServerDateTheHandlersFieldsAndTheDefaultType() {
        try (IOLoop loop = IOLoop.create()) {
            HttpServer server = HttpServer.create(loop);
            ResponseHead h = new ResponseHead();
            h.put("Location", "/x", true);
            h.defaultTextType = true;
            Http1Writer w = new Http1Writer().beginResponse(201);
            h.writeFields(w, server.part(loop));
            assertTrue(w.toString().matches("Http1Writer\\[HTTP/1\\.1 201 Created\\\\r\\\\nServer: Spindle\\\\r\\\\n"
                    + "Date: [^\\\\]+ GMT\\\\r\\\\nLocation: /x\\\\r\\\\nContent-Type: text/plain; charset=utf-8\\\\r\\\\n]"),
                    w.toString());
        }
    }

    @Test
    void theHandlersOwnServerAndDateReplaceTheServers() {
        try (IOLoop loop = IOLoop.create()) {
            ResponseHead h = new ResponseHead();
            h.put("Server", "mine", true);
            h.put("date", "Thu, 01 Jan 1970 00:00:00 GMT", true);
            Http1Writer w = new Http1Writer().beginResponse(200);
            h.writeFields(w, HttpServer.create(loop).part(loop));
            assertEquals("Http1Writer[HTTP/1.1 200 OK\\r\\nServer: mine\\r\\ndate: Thu, 01 Jan 1970 00:00:00 GMT\\r\\n]",
                    w.toString());
        }
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
