package dev.spindle.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PercentDecoderTest {
    @Test
    void decodesUtf8EscapesAndPlusOnlyInQueries() {
        assertEquals("jörg+a b", PercentDecoder.decode("j%C3%B6rg+a%20b", false));
        assertEquals("jörg a b", PercentDecoder.decode("j%c3%b6rg+a%20b", true));
    }

    @Test
    void keepsMalformedEscapesAsTheyAre() {
        assertEquals("%zz%4", PercentDecoder.decode("%zz%4", false));
        assertEquals("100%", PercentDecoder.decode("100%", true));
        assertEquals("\uFFFD", PercentDecoder.decode("%C3", false));
    }

    @Test
    void returnsTheSameStringWhenNothingIsEncoded() {
        String s = "/plain/path";
        assertSame(s, PercentDecoder.decode(s, true));
    }

    @Test
    void parsesQueriesInOrderWithRepeatsAndBareNames() {
        Map<String, List<String>> q = PercentDecoder.parseQuery("b=2&a=1&b=3&flag&&x=&=v");
        assertEquals(List.of("b", "a", "flag", "x", ""), List.copyOf(q.keySet()));
        assertEquals(List.of("2", "3"), q.get("b"));
        assertEquals(List.of(""), q.get("flag"));
        assertEquals(List.of("v"), q.get(""));
        assertThrows(UnsupportedOperationException.class, () -> q.get("b").add("4"));
        assertEquals(Map.of(), PercentDecoder.parseQuery(""));
    }
}
