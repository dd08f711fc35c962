package dev.spindle.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.http.codec.Http1Options;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpServerOptionsTest {
    @Test
    void defaultsAreThoseOfTheTable() {
        HttpServerOptions d = HttpServerOptions.DEFAULTS;
        assertEquals(Duration.ofSeconds(60), d.idleTimeout());
        assertEquals(Duration.ofSeconds(30), d.headerTimeout());
        assertEquals(Duration.ofSeconds(60), d.bodyTimeout());
        assertEquals(Http1Options.DEFAULTS, d.http1());
        assertEquals("Spindle", d.serverHeader());
    }

    @Test
    void withersReplaceOneComponent() {
        HttpServerOptions o = HttpServerOptions.DEFAULTS.withIdleTimeout(Duration.ofSeconds(1))
                .withHeaderTimeout(Duration.ofSeconds(2)).withBodyTimeout(Duration.ofSeconds(3))
                .withMaxBodySize(42).withServerHeader(null);
        assertEquals(new HttpServerOptions(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3),
                Http1Options.DEFAULTS.withMaxBodySize(42), null), o);
        assertNull(o.serverHeader());
        assertEquals(Http1Options.DEFAULTS, o.withHttp1(Http1Options.DEFAULTS).http1());
    }

    @Test
    void invalidComponentsAreRefusedShowingTheValue() {
        HttpServerOptions d = HttpServerOptions.DEFAULTS;
        assertEquals("idleTimeout must be positive: PT0S",
                assertThrows(IllegalArgumentException.class, () -> d.withIdleTimeout(Duration.ZERO)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> d.withBodyTimeout(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> d.withHeaderTimeout(null));
        assertThrows(NullPointerException.class, () -> d.withHttp1(null));
        assertThrows(IllegalArgumentException.class, () -> d.withServerHeader("bad\r\nInjected: yes"));
        assertThrows(IllegalArgumentException.class, () -> d.withServerHeader(" "));
        assertThrows(IllegalArgumentException.class, () -> d.withMaxBodySize(-1));
    }
}
