package dev.spindle.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpServerOptionsTest {
    @Test
    void defaultsAreThoseOfTheTable() {
        HttpServerOptions d = HttpServerOptions.DEFAULTS;
        assertEquals(Duration.ofSeconds(60), d.idleTimeout());
        assertEquals(Duration.ofSeconds(30), d.headerTimeout());
        assertEquals(Duration.ofSeconds(60), d.bodyTimeout());
        assertEquals(8 * 1024, d.maxRequestLineLength());
        assertEquals(64 * 1024, d.maxHeaderBytes());
        assertEquals(100, d.maxHeaderCount());
        assertEquals(10L << 20, d.maxBodySize());
        assertEquals("Spindle", d.serverHeader());
    }

    @Test
    void withersReplaceOneComponent() {
        HttpServerOptions o = HttpServerOptions.DEFAULTS.withIdleTimeout(Duration.ofSeconds(1))
                .withHeaderTimeout(Duration.ofSeconds(2)).withBodyTimeout(Duration.ofSeconds(3))
                .withMaxRequestLineLength(100).withMaxHeaderBytes(200).withMaxHeaderCount(3)
                .withMaxBodySize(42).withServerHeader(null);
        assertEquals(new HttpServerOptions(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3),
                100, 200, 3, 42, null), o);
        assertNull(o.serverHeader());
    }

    @Test
    void invalidComponentsAreRefusedShowingTheValue() {
        HttpServerOptions d = HttpServerOptions.DEFAULTS;
        assertEquals("idleTimeout must be positive: PT0S",
                assertThrows(IllegalArgumentException.class, () -> d.withIdleTimeout(Duration.ZERO)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withBodyTimeout(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> d.withHeaderTimeout(null));
        assertThrows(IllegalArgumentException.class, () -> d.withServerHeader("bad\r\nInjected: yes"));
        assertThrows(IllegalArgumentException.class, () -> d.withServerHeader(" "));
        assertEquals("maxBodySize < 0: -1",
                assertThrows(IllegalArgumentException.class, () -> d.withMaxBodySize(-1)).getMessage());
        assertEquals("maxRequestLineLength < 16: 15",
                assertThrows(IllegalArgumentException.class, () -> d.withMaxRequestLineLength(15)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withMaxHeaderBytes(0));
        assertEquals("maxHeaderCount < 1: 0",
                assertThrows(IllegalArgumentException.class, () -> d.withMaxHeaderCount(0)).getMessage());
    }
}
