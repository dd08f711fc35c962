package dev.spindle.http.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonReaderTest {
    @Test
    void readsEveryKindOfValue() {
        Object v = JsonReader.parse(" {\"s\": \"a\\u00e9\\n\\/\", \"n\": -1.5e3, \"z\": 0, \"t\": true, \"f\": false,"
                + " \"null\": null, \"a\": [1, [], {}], \"o\": {\"k\": \"v\"}} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("s", "n", "z", "t", "f", "null", "a", "o"), List.copyOf(m.keySet()));
        assertEquals("aé\n/", m.get("s"));
        assertEquals(new BigDecimal("-1.5e3"), m.get("n"));
        assertEquals(BigDecimal.ZERO, m.get("z"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertEquals(Boolean.FALSE, m.get("f"));
        assertTrue(m.containsKey("null"));
        assertNull(m.get("null"));
        assertEquals(Arrays.asList(BigDecimal.ONE, List.of(), Map.of()), m.get("a"));
        assertEquals(Map.of("k", "v"), m.get("o"));
        assertEquals("\uD83D\uDE00", JsonReader.parse("\"\\ud83d\\ude00\""));
        assertThrows(UnsupportedOperationException.class, () -> ((Map<String, Object>) m).put("x", 1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''                    | 0  | a value expected, the text ended
            '{"a": 1,}'           | 8  | a member name (a string) expected
            '[1, 2,]'             | 6  | a value expected
            '{"a" 1}'             | 5  | ':' expected
            '{"a": 1 "b": 2}'     | 8  | ',' or '}' expected
            '[1 2]'               | 3  | ',' or ']' expected
            '01'                  | 1  | text after the value
            '1.'                  | 2  | digits expected after '.'
            '1e'                  | 2  | digits expected in the exponent
            '-'                   | 0  | a value expected
            '"abc'                | 4  | unterminated string
            '"a\\x"'              | 2  | bad escape \\x
            '"\\u12g4"'           | 5  | four hex digits expected after \\u
            'tru'                 | 0  | a value expected
            '{"a": 1, "a": 2}'    | 9  | duplicate member name "a"
            '{} {}'               | 3  | text after the value
            '{1: 2}'              | 1  | a member name (a string) expected
            """)
    void rejectsWhatRfc8259DoesNotAllowAndSaysWhere(String text, int offset, String what) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(text));
        assertEquals("invalid JSON at offset " + offset + ": " + what, e.getMessage());
    }

    @Test
    void rejectsControlCharactersInStrings() {
        assertEquals("invalid JSON at offset 2: control character U+000A in a string",
                assertThrows(IllegalArgumentException.class, () -> JsonReader.parse("\"a\nb\"")).getMessage());
    }

    @Test
    void nestingIsBoundedSoNoInputExhaustsTheStack() {
        String ok = "[".repeat(JsonReader.MAX_DEPTH) + "]".repeat(JsonReader.MAX_DEPTH);
        assertTrue(JsonReader.parse(ok) instanceof List<?>);
        String deep = "[".repeat(100_000);
        assertEquals("invalid JSON at offset " + JsonReader.MAX_DEPTH + ": nested deeper than " + JsonReader.MAX_DEPTH,
                assertThrows(IllegalArgumentException.class, () -> JsonReader.parse(deep)).getMessage());
    }

    @Test
    void nullTextIsRejectedByName() {
        assertEquals("text", assertThrows(NullPointerException.class, () -> JsonReader.parse(null)).getMessage());
    }
}
