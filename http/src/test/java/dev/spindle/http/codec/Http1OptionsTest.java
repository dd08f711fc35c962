package dev.spindle.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class Http1OptionsTest {
    @Test
    void defaultsAreTheDocumentedLimits() {
        assertEquals(new Http1Options(8192, 65536, 100, 10 * 1024 * 1024, 4096), Http1Options.DEFAULTS);
    }

    @Test
    void withersReplaceOneLimitEach() {
        Http1Options o = Http1Options.DEFAULTS.withMaxStartLineLength(100).withMaxHeaderBytes(200)
                .withMaxHeaderCount(3).withMaxBodySize(Long.MAX_VALUE).withMaxChunkLineLength(50);
        assertEquals(new Http1Options(100, 200, 3, Long.MAX_VALUE, 50), o);
    }

    @Test
    void invalidLimitIsRejectedShowingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Http1Options.DEFAULTS.withMaxHeaderBytes(5));
        assertEquals("maxHeaderBytes < 16: 5", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Http1Options.DEFAULTS.withMaxHeaderCount(0));
        assertThrows(IllegalArgumentException.class, () -> Http1Options.DEFAULTS.withMaxBodySize(-1));
        assertThrows(IllegalArgumentException.class, () -> Http1Options.DEFAULTS.withMaxStartLineLength(0));
        assertThrows(IllegalArgumentException.class, () -> Http1Options.DEFAULTS.withMaxChunkLineLength(15));
    }
}
