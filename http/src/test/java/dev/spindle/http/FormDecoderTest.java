package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FormDecoderTest {
    @Test
    void decodesUtf8EscapesAndPlusOnlyWhenAsked() {
        assertEquals("jörg+a b", FormDecoder.decode("j%C3%B6rg+a%20b", false));
        assertEquals("jörg a b", FormDecoder.decode("j%c3%b6rg+a%20b", true));
        assertEquals("jörg+a b", FormDecoder.decodeLenient("j%C3%B6rg+a%20b", false));
        assertEquals("a&b=c", FormDecoder.decode("a%26b%3Dc", true));
    }

    @Test
    void returnsTheSameStringWhenNothingIsEncoded() {
        String s = "/plain/path";
        assertSame(s, FormDecoder.decode(s, true));
        assertSame(s, FormDecoder.decodeLenient(s, true));
        String plus = "a+b";
        assertSame(plus, FormDecoder.decode(plus, false));
    }

    @Test
    void lenientDecodingKeepsMalformedEscapesAsTheyAre() {
        assertEquals("%zz%4", FormDecoder.decodeLenient("%zz%4", false));
        assertEquals("100%", FormDecoder.decodeLenient("100%", true));
        assertEquals("\uFFFD", FormDecoder.decodeLenient("%C3", false));
        assertEquals(Map.of("x", List.of("%zz")), FormDecoder.parseLenient("x=%zz"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"100%", "%", "%4", "%zz", "a%G1", "%%41", "x=%2", "x=1&y=%+1"})
    void strictDecodingRejectsMalformedEscapesWith400(String input) {
        HttpInputException e = assertThrows(HttpInputException.class, () -> FormDecoder.parse(input));
        assertEquals(HttpInputException.Reason.BAD_FORM_ENCODING, e.reason());
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("malformed percent-escape"), e.getMessage());
        assertThrows(HttpInputException.class, () -> FormDecoder.decode(input, true));
    }

    @Test
    void strictMessageShowsTheEscapeAndTheComponent() {
        HttpInputException e = assertThrows(HttpInputException.class, () -> FormDecoder.parse("a=1&body=100%25+%zz"));
        assertEquals("BAD_FORM_ENCODING (400): malformed percent-escape \"%zz\" in \"100%25+%zz\"", e.getMessage());
    }

    @Test
    void strictDecodingRejectsBytesThatAreNotUtf8() {
        HttpInputException e = assertThrows(HttpInputException.class, () -> FormDecoder.parse("body=%C3"));
        assertEquals(HttpInputException.Reason.BAD_FORM_ENCODING, e.reason());
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
        assertThrows(HttpInputException.class, () -> FormDecoder.parse(new byte[] {'b', '=', (byte) 0xFF}));
    }

    @Test
    void parsesInOrderWithRepeatsBareNamesAndEmptyPairs() {
        for (boolean strict : new boolean[] {true, false}) {
            String form = "b=2&a=1&b=3&flag&&x=&=v&sp=a+b%2Bc";
            Map<String, List<String>> q = strict ? FormDecoder.parse(form) : FormDecoder.parseLenient(form);
            assertEquals(List.of("b", "a", "flag", "x", "", "sp"), List.copyOf(q.keySet()));
            assertEquals(List.of("2", "3"), q.get("b"));
            assertEquals(List.of(""), q.get("flag"));
            assertEquals(List.of(""), q.get("x"));
            assertEquals(List.of("v"), q.get(""));
            assertEquals(List.of("a b+c"), q.get("sp"));
            assertThrows(UnsupportedOperationException.class, () -> q.get("b").add("4"));
            assertThrows(UnsupportedOperationException.class, () -> q.put("c", List.of()));
        }
        assertEquals(Map.of(), FormDecoder.parse(""));
        assertEquals(Map.of(), FormDecoder.parseLenient("&&"));
    }

    @Test
    void bodyBytesAreDecodedAsUtf8IncludingRawNonAsciiBytes() {
        byte[] body = "name=caf%C3%A9&raw=é=ok".getBytes(StandardCharsets.UTF_8);
        Map<String, List<String>> form = FormDecoder.parse(body);
        assertEquals(List.of("café"), form.get("name"));
        assertEquals(List.of("é=ok"), form.get("raw"));
        assertEquals(Map.of("k", List.of("v")), FormDecoder.parse("k=v".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void nullArgumentsAreRejectedByName() {
        assertEquals("form", assertThrows(NullPointerException.class, () -> FormDecoder.parse((String) null)).getMessage());
        assertEquals("form", assertThrows(NullPointerException.class, () -> FormDecoder.parse((byte[]) null)).getMessage());
        assertEquals("form", assertThrows(NullPointerException.class, () -> FormDecoder.parseLenient(null)).getMessage());
        assertEquals("s", assertThrows(NullPointerException.class, () -> FormDecoder.decode(null, true)).getMessage());
        assertEquals("s", assertThrows(NullPointerException.class, () -> FormDecoder.decodeLenient(null, true)).getMessage());
    }
}
