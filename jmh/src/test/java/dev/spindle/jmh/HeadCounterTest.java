package dev.spindle.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeadCounterTest {
    private static final byte[] TWO_HEADS = "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    @Test
    void findsEveryHeadFedWhole() {
        assertEquals(2, new HeadCounter().feed(ByteBuffer.wrap(TWO_HEADS), TWO_HEADS.length));
    }

    @Test
    void findsEveryHeadFedInPiecesOfEverySize() {
        for (int size = 1; size <= TWO_HEADS.length; size++) {
            HeadCounter counter = new HeadCounter();
            int heads = 0;
            for (int from = 0; from < TWO_HEADS.length; from += size) {
                int n = Math.min(size, TWO_HEADS.length - from);
                heads += counter.feed(ByteBuffer.wrap(TWO_HEADS, from, n).slice(), n);
            }
            assertEquals(2, heads, "pieces of " + size);
        }
    }

    @Test
    void bareLineFeedsAndLoneCarriageReturnsEndNoHead() {
        byte[] b = "a\n\nb\r\r\nc\r\n\rd".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0, new HeadCounter().feed(ByteBuffer.wrap(b), b.length));
    }

    @Test
    void toStringShowsHowMuchOfTheEndIsMatched() {
        HeadCounter counter = new HeadCounter();
        byte[] b = "GET / HTTP/1.1\r\n\r".getBytes(StandardCharsets.US_ASCII);
        counter.feed(ByteBuffer.wrap(b), b.length);
        assertEquals("HeadCounter[matched 3]", counter.toString());
    }
}
