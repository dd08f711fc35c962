package dev.spindle.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import dev.spindle.runtime.testing.LogRecorder;
import java.util.List;

@Timeout(30)
class RequestBodyTest {
    private static ServerFixture ignoring() {
        return ServerFixture.start(s -> s
                .post("/ignore", (request, response) -> response.send("ignored"))
                .post("/echo", (request, response) -> response.send(request.body()))
                .get("/ok", (request, response) -> response.send("ok")));
    }

    @Test
    void aSmallUnreadBodyIsDrainedAfterTheHandlerSoTheConnectionServesTheNextRequest() throws Exception {
        try (ServerFixture f = ignoring(); RawClient c = f.connect()) {
            RawClient.Response r = c.send("POST /ignore HTTP/1.1\nHost: x\nContent-Length: 10\n\n12345").read();
            assertEquals("ignored", r.body());
            assertNull(r.header("Connection"));
            c.sendRaw("67890"); // The rest of the body, after the response.
            assertEquals("ok", c.send("GET /ok HTTP/1.1\nHost: x\n\n").read().body());
        }
    }

    @Test
    void aLargeUnreadBodyClosesTheConnectionInsteadOfBeingDrained() throws Exception {
        try (ServerFixture f = ignoring(); RawClient c = f.connect()) {
            RawClient.Response r = c.send("POST /ignore HTTP/1.1\nHost: x\nContent-Length: 1000000\n\n").read();
            assertEquals("ignored", r.body());
            assertEquals("close", r.header("Connection"));
            assertTrue(c.isClosedByServer());
        }
    }

    @Test
    void anUnreadChunkedBodyBeyondTheDrainLimitClosesTheConnection() throws Exception {
        try (ServerFixture f = ignoring(); RawClient c = f.connect()) {
            c.send("POST /ignore HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n\n");
            String chunk = Integer.toHexString(64 * 1024) + "\n" + "z".repeat(64 * 1024) + "\n";
            for (int i = 0; i < 5; i++) {
                c.send(chunk);
            }
            assertEquals("ignored", c.read().body());
            assertTrue(c.isClosedByServer());
        }
    }

    @Test
    void continueIsNotSentWhenTheBodyAlreadyCame() throws Exception {
        try (ServerFixture f = ignoring(); RawClient c = f.connect()) {
            RawClient.Response r = c.send("POST /echo HTTP/1.1\nHost: x\nExpect: 100-continue\nContent-Length: 2\n\nhi").read();
            assertEquals(200, r.status());
            assertEquals("hi", r.body());
            assertEquals("ok", c.send("GET /ok HTTP/1.1\nHost: x\n\n").read().body());
        }
    }

    @Test
    void continueIsSentOnceForABodyReadInSeveralPieces() throws Exception {
        try (ServerFixture f = ignoring(); RawClient c = f.connect()) {
            c.send("POST /echo HTTP/1.1\nHost: x\nExpect: 100-continue\nTransfer-Encoding: chunked\n\n");
            assertEquals(100, c.read().status());
            c.send("1\na\n");
            c.send("1\nb\n0\n\n");
            RawClient.Response r = c.read();
            assertEquals(200, r.status());
            assertEquals("ab", r.body());
        }
    }

    @Test
    void aClientThatGoesAwayMidBodyEndsTheExchangeQuietly() throws Exception {
        try (LogRecorder app = LogRecorder.of("spindle.application"); ServerFixture f = ignoring()) {
            try (RawClient c = f.connect()) {
                c.send("POST /echo HTTP/1.1\nHost: x\nContent-Length: 10\n\nabc");
            }
            try (RawClient next = f.connect()) {
                assertEquals("ok", next.send("GET /ok HTTP/1.1\nHost: x\n\n").read().body());
            }
            List<String> logged = app.takeAllMessages();
            assertEquals(0, logged.size(), logged.toString());
        }
    }
}
