package dev.spindle.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommonStringsTest {
    private static byte[] framed(String s) {
        return ("[" + s + "]").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Looks {@code s} up twice, from two arrays, and says whether both lookups gave the same object. */
    private static boolean shared(String s, boolean method) {
        byte[] a = framed(s);
        byte[] b = framed(s);
        String first = method ? CommonStrings.method(a, 1, a.length - 1) : CommonStrings.fieldName(a, 1, a.length - 1);
        String second = method ? CommonStrings.method(b, 1, b.length - 1) : CommonStrings.fieldName(b, 1, b.length - 1);
        assertEquals(s, first);
        assertEquals(s, second);
        return first == second;
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE"})
    void standardMethodsAreSharedConstants(String method) {
        assertTrue(shared(method, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"get", "PROPFIND", "GETS", "G", "X"})
    void otherMethodsAreDecodedAsSent(String method) {
        assertFalse(shared(method, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "host", "Content-Length", "content-length", "Connection", "User-Agent", "Expect"})
    void commonFieldNamesAreSharedConstants(String name) {
        assertTrue(shared(name, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HOST", "hOst", "Content-Lengths", "X-Custom", "a-very-long-field-name-beyond-every-common-one"})
    void otherFieldNamesAreDecodedAsSent(String name) {
        assertFalse(shared(name, false));
    }
}
