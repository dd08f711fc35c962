package dev.spindle.http.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StaticFileTest {
    @Test
    void aMissingResourceIsNamed() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> StaticFile.load("nope.js", "text/javascript"));
        assertTrue(e.getMessage().startsWith("resource nope.js is missing next to dev.spindle.http.demo.StaticFile"), e.getMessage());
        assertThrows(NullPointerException.class, () -> StaticFile.load(null, "text/plain"));
        assertThrows(NullPointerException.class, () -> StaticFile.load("chat.js", null));
    }

    @Test
    void toStringShowsNameSizeAndType() {
        StaticFile f = StaticFile.load("chat.css", "text/css");
        assertTrue(f.toString().matches("StaticFile\\[chat\\.css, \\d+ bytes, text/css\\]"), f.toString());
    }

    @Test
    void thePageLoadsOnlyFromItsOwnOrigin() {
        assertEquals("default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'", StaticFile.POLICY);
    }
}
