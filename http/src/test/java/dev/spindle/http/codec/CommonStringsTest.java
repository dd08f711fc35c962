package dev.spindle.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommonStringsTest {
    private static byte[] framed(String s) {
        return ("[" + s + "]").getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE"})
    void standardMethodsAreSharedConstants(String method) {
        byte[] a = framed(method);
        String first = CommonStrings.method(a, 1, a.length - 1);
        assertEquals(method, first);
        assertSame(first, CommonStrings.method(framed(method), 1, a.length - 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"get", "PROPFIND", "GETS", "G", "X"})
    void otherMethodsAreDecodedAsSent(String method) {
        byte[] a = framed(method);
        String first = CommonStrings.method(a, 1, a.length - 1);
        assertEquals(method, first);
        assertNotSame(first, CommonStrings.method(framed(method), 1, a.length - 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "host", "Content-Length", "content-length", "Connection", "User-Agent", "Expect"})
    void commonFieldNamesAreSharedConstants(String name) {
        byte[] a = framed(name);
        assertSame(CommonStrings.fieldName(a, 1, a.length - 1), CommonStrings.fieldName(framed(name), 1, a.length - 1));
        assertEquals(name, CommonStrings.fieldName(a, 1, a.length - 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HOST", "hOst", "Content-Lengths", "X-Custom", "a-very-long-field-name-beyond-every-common-one"})
    void otherFieldNamesAreDecodedAsSent(String name) {
        byte[] a = framed(name);
        String first = CommonStrings.fieldName(a, 1, a.length - 1);
        assertEquals(name, first);
        assertNotSame(first, CommonStrings.fieldName(framed(name), 1, a.length - 1));
    }
}
