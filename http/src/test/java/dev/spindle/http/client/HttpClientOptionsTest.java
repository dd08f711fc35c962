package dev.spindle.http.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpClientOptionsTest {
    @Test
    void defaultsLetEveryFetchRunAndKeepTornadosTimeouts() {
        HttpClientOptions d = HttpClientOptions.DEFAULTS;
        assertEquals(HttpClientOptions.UNLIMITED, d.maxClients());
        assertEquals(Duration.ofSeconds(20), d.connectTimeout());
        assertEquals(Duration.ofSeconds(20), d.requestTimeout());
        assertEquals(10, d.maxIdlePerOrigin());
        assertEquals(Duration.ofSeconds(30), d.idleTimeout());
        assertEquals(100L << 20, d.maxBodySize());
    }

    @Test
    void withersReplaceOneComponent() {
        HttpClientOptions o = HttpClientOptions.DEFAULTS.withMaxClients(3).withMaxIdlePerOrigin(0)
                .withIdleTimeout(Duration.ofSeconds(1)).withConnectTimeout(Duration.ofSeconds(2))
                .withRequestTimeout(Duration.ofSeconds(3)).withUserAgent("ua/1").withMaxBodySize(5);
        assertEquals(new HttpClientOptions(3, 0, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3),
                "ua/1", 5), o);
    }

    @Test
    void outOfRangeValuesAreRejectedWithTheValue() {
        HttpClientOptions d = HttpClientOptions.DEFAULTS;
        assertEquals("maxClients < 1: 0", assertThrows(IllegalArgumentException.class, () -> d.withMaxClients(0))
                .getMessage());
        assertEquals("maxIdlePerOrigin < 0: -1", assertThrows(IllegalArgumentException.class,
                () -> d.withMaxIdlePerOrigin(-1)).getMessage());
        assertEquals("requestTimeout must be positive: PT-0.001S", assertThrows(IllegalArgumentException.class,
                () -> d.withRequestTimeout(Duration.ofMillis(-1))).getMessage());
        assertEquals("blank userAgent: \" \"", assertThrows(IllegalArgumentException.class, () -> d.withUserAgent(" "))
                .getMessage());
        assertThrows(NullPointerException.class, () -> d.withIdleTimeout(null));
    }
}
