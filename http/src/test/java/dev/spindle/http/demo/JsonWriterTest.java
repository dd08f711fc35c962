package dev.spindle.http.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonWriterTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            plain                 | "plain"
            say "hi"              | "say \\"hi\\""
            back\\slash           | "back\\\\slash"
            </script>             | "\\u003c/script\\u003e"
            café ✓                | "café ✓"
            """)
    void escapesQuotesBackslashesAndAngleBrackets(String in, String out) {
        assertEquals(out, JsonWriter.string(in));
    }

    @Test
    void escapesEveryControlCharacter() {
        assertEquals("\"\\n\\r\\t\\b\\f\\u0000\\u001f\\u0007\"", JsonWriter.string("\n\r\t\b\f\u0000\u001f\u0007"));
        for (char c = 0; c < 0x20; c++) {
            String s = JsonWriter.string(String.valueOf(c));
            assertEquals(String.valueOf(c), JsonReader.parse(s), "U+" + (int) c);
        }
        assertEquals("\"\u007f\"", JsonWriter.string("\u007f"));
    }

    @Test
    void escapesJavaScriptLineEndsAndUnpairedSurrogatesButKeepsPairs() {
        assertEquals("\"\\u2028\\u2029\"", JsonWriter.string("\u2028\u2029"));
        assertEquals("\"\uD83D\uDE00\"", JsonWriter.string("\uD83D\uDE00"));
        assertEquals("\"\\ud83d x \\ude00\"", JsonWriter.string("\uD83D x \uDE00"));
        assertEquals("\"\\ude00\\ud83d\"", JsonWriter.string("\uDE00\uD83D"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a\"b\\c", "\u0000\u2028</b>&'", "\uD83D\uDE00 \uD83D", "line\nbreak\ttab"})
    void whatItWritesReadsBackTheSame(String s) {
        assertEquals(s, JsonReader.parse(JsonWriter.string(s)));
        assertEquals(Map.of("k", s), JsonReader.parse(JsonWriter.object("k", s)));
    }

    @Test
    void objectsKeepTheOrderGiven() {
        assertEquals("{}", JsonWriter.object());
        assertEquals("{\"id\":\"7\",\"body\":\"a\\\"b\"}", JsonWriter.object("id", "7", "body", "a\"b"));
    }

    @Test
    void badArgumentsAreRejected() {
        assertEquals("names and values must come in pairs: 3 given",
                assertThrows(IllegalArgumentException.class, () -> JsonWriter.object("a", "b", "c")).getMessage());
        assertEquals("value of a", assertThrows(NullPointerException.class, () -> JsonWriter.object("a", null)).getMessage());
        assertEquals("name", assertThrows(NullPointerException.class, () -> JsonWriter.object(null, "b")).getMessage());
        assertEquals("s", assertThrows(NullPointerException.class, () -> JsonWriter.string(null)).getMessage());
    }
}
