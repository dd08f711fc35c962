package dev.spindle.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.http.HttpHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeadEncoderTest {
    private static String text(ByteBuffer b) {
        return StandardCharsets.ISO_8859_1.decode(b).toString();
    }

    @Test
    void encodesStatusLineFieldsLengthAndEmptyLine() {
        HeadEncoder e = new HeadEncoder();
        String head = text(e.begin(200).fields(HttpHeaders.of("A", "1", "b", "two")).contentLength(1234567890123L)
                .connection(true, false).end());
        assertEquals("HTTP/1.1 200 OK\r\nA: 1\r\nb: two\r\nContent-Length: 1234567890123\r\n\r\n", head);
    }

    @Test
    void encodesChunkedCloseKeepAliveAndUnknownStatuses() {
        HeadEncoder e = new HeadEncoder();
        assertEquals("HTTP/1.1 599 Unknown\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                text(e.begin(599).chunked().connection(false, false).end()));
        assertEquals("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n",
                text(e.begin(404).contentLength(0).connection(true, true).end()));
    }

    @Test
    void growsForLargeHeadsAndIsReusable() {
        HeadEncoder e = new HeadEncoder();
        String big = "v".repeat(5000);
        assertEquals("HTTP/1.1 200 OK\r\nBig: " + big + "\r\n\r\n", text(e.begin(200).field("Big", big).end()));
        assertEquals("HTTP/1.1 204 No Content\r\n\r\n", text(e.begin(204).end()));
    }

    @Test
    void refusesCharactersBeyondLatin1() {
        HeadEncoder e = new HeadEncoder().begin(200);
        assertThrows(IllegalArgumentException.class, () -> e.field("Price", "5 €"));
        assertEquals("HTTP/1.1 200 OK\r\nLatin: é\r\n\r\n", text(e.begin(200).field("Latin", "é").end()));
    }

    @Test
    void putsDecimalDigits() {
        byte[] out = new byte[20];
        assertEquals(1, HeadEncoder.putDecimal(0, out, 0));
        assertEquals('0', out[0]);
        assertEquals(19, HeadEncoder.putDecimal(Long.MAX_VALUE, out, 0));
        assertEquals(String.valueOf(Long.MAX_VALUE), new String(out, 0, 19, StandardCharsets.US_ASCII));
    }

    @Test
    void toStringShowsTheHeadSoFar() {
        assertEquals("HeadEncoder[HTTP/1.1 200 OK\\r\\n]", new HeadEncoder().begin(200).toString());
    }
}
