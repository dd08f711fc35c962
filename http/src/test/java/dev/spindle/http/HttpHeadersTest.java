package dev.spindle.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpHeadersTest {
    @Test
    void lookupIgnoresCaseAndReturnsTheFirstValue() {
        HttpHeaders h = HttpHeaders.create().add("Accept", "text/html").add("ACCEPT", "application/json");
        assertEquals("text/html", h.get("accept"));
        assertEquals(List.of("text/html", "application/json"), h.getAll("aCCept"));
        assertTrue(h.contains("Accept"));
        assertNull(h.get("Host"));
        assertEquals(List.of(), h.getAll("Host"));
    }

    @Test
    void iterationKeepsInsertionOrderAndSpelling() {
        HttpHeaders h = HttpHeaders.of("b", "1", "A", "2", "B", "3");
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        h.forEach(entries::add);
        assertEquals(List.of(Map.entry("b", "1"), Map.entry("A", "2"), Map.entry("B", "3")), entries);
        assertEquals(3, h.size());
        assertEquals("A", h.name(1));
        assertEquals("3", h.value(2));
        assertThrows(IndexOutOfBoundsException.class, () -> h.name(3));
    }

    @Test
    void namesAreDistinctIgnoringCaseInOrderOfFirstAppearance() {
        HttpHeaders h = HttpHeaders.of("b", "1", "A", "2", "B", "3");
        assertEquals(List.of("b", "A"), List.copyOf(h.names()));
    }

    @Test
    void setReplacesEveryValueOfTheName() {
        HttpHeaders h = HttpHeaders.create().add("X", "1").add("Y", "2").add("x", "3");
        h.set("X", "4");
        assertEquals(List.of("4"), h.getAll("x"));
        assertEquals(HttpHeaders.of("Y", "2", "X", "4"), h);
    }

    @Test
    void removeDropsEveryValueAndSaysWhetherAnyExisted() {
        HttpHeaders h = HttpHeaders.create().add("X", "1").add("Y", "2").add("x", "3");
        assertTrue(h.remove("X"));
        assertFalse(h.remove("X"));
        assertEquals(HttpHeaders.of("Y", "2"), h);
    }

    @Test
    void copyIsIndependentOfTheOriginal() {
        HttpHeaders original = HttpHeaders.create().add("X", "1");
        HttpHeaders copy = original.copy().add("Y", "2");
        original.add("Z", "3");
        assertEquals(HttpHeaders.of("X", "1", "Y", "2"), copy);
        assertEquals(2, original.size());
    }

    @Test
    void unmodifiableViewShowsChangesButRejectsMutation() {
        HttpHeaders h = HttpHeaders.create();
        HttpHeaders view = h.unmodifiableView();
        h.add("X", "1");
        assertEquals("1", view.get("x"));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> view.add("Y", "2"));
        assertTrue(e.getMessage().contains("copy()"), e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> view.remove("X"));
        assertThrows(UnsupportedOperationException.class, () -> HttpHeaders.of().set("X", "1"));
        assertEquals(HttpHeaders.of("X", "1", "Y", "2"), view.copy().add("Y", "2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bad Name", "Bad:Name", "Caf\u00e9", "X\r\nY"})
    void invalidNameIsRejectedShowingIt(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpHeaders.create().add(name, "v"));
        assertTrue(e.getMessage().startsWith("invalid header name: \""), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "a\0b"})
    void valueWithCrLfOrNulIsRejectedShowingIt(String value) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpHeaders.create().add("X", value));
        assertTrue(e.getMessage().matches("invalid value for header X \\(CR, LF or NUL\\): \"a\\\\(r|n|x00)b\""),
                e.getMessage());
    }

    @Test
    void hasTokenFindsAListElementInAnyFieldIgnoringCaseAndSpaces() {
        HttpHeaders h = HttpHeaders.of("Connection", "keep-alive, Close ", "connection", "upgrade");
        assertTrue(h.hasToken("CONNECTION", "close"));
        assertTrue(h.hasToken("Connection", "Upgrade"));
        assertFalse(h.hasToken("Connection", "clos"));
        assertFalse(h.hasToken("Connection", "keep-alive, close"));
        assertFalse(HttpHeaders.of("Connection", "").hasToken("Connection", "close"));
        assertFalse(h.hasToken("Upgrade", "close"));
        assertTrue(HttpHeaders.of("Connection", ",,close,").hasToken("Connection", "close"));
    }

    @Test
    void syntaxChecksFollowTheRfcGrammar() {
        assertTrue(HttpSyntax.isToken("X-Custom_1.2~"));
        assertFalse(HttpSyntax.isToken(""));
        assertFalse(HttpSyntax.isToken("a b"));
        assertFalse(HttpSyntax.isToken("caf\u00e9"));
        assertTrue(HttpSyntax.isFieldText("tab\tand caf\u00e9"));
        assertFalse(HttpSyntax.isFieldText("a\rb"));
        assertFalse(HttpSyntax.isFieldText("\u2603"));
        assertTrue(HttpSyntax.isHttpVersion("HTTP/1.1"));
        assertFalse(HttpSyntax.isHttpVersion("HTTP/11"));
        assertEquals("\"a\\r\\n\\x00\\\"\"", HttpSyntax.quote("a\r\n\u0000\""));
        assertEquals('"' + "x".repeat(80) + "...\"", HttpSyntax.quote("x".repeat(81)));
    }

    @Test
    void ofWithAnOddCountIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> HttpHeaders.of("X"));
    }

    @Test
    void equalityIgnoresNameCaseButNotOrderOrValueCase() {
        assertEquals(HttpHeaders.of("x", "v"), HttpHeaders.of("X", "v"));
        assertEquals(HttpHeaders.of("x", "v").hashCode(), HttpHeaders.of("X", "v").hashCode());
        assertNotEquals(HttpHeaders.of("X", "V"), HttpHeaders.of("X", "v"));
        assertNotEquals(HttpHeaders.of("A", "1", "B", "2"), HttpHeaders.of("B", "2", "A", "1"));
    }

    @Test
    void toStringListsFieldsInOrderAndRedactsCredentials() {
        HttpHeaders h = HttpHeaders.create().add("Host", "example.com").add("Authorization", "Bearer secret")
                .add("cookie", "id=1");
        assertEquals("HttpHeaders[Host: example.com, Authorization: <redacted>, cookie: <redacted>]", h.toString());
        assertEquals("HttpHeaders[] (read-only)", HttpHeaders.of().toString());
    }
}
