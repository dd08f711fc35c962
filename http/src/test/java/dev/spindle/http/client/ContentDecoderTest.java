package dev.spindle.http.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Incremental gzip and deflate decoding, the input split at every size. */
class ContentDecoderTest {
    private static final byte[] TEXT = "Spindle decodes gzip piece by piece. ".repeat(50).getBytes(StandardCharsets.UTF_8);

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }

    /** A gzip member with the optional extra field, name, comment and header CRC. */
    static byte[] gzipWithAllHeaderFields(byte[] data) throws IOException {
        byte[] plain = gzip(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
        out.write(new byte[] {3, 0, 'a', 'b', 'c'});
        out.write("name.txt\0".getBytes(StandardCharsets.ISO_8859_1));
        out.write("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        out.write(new byte[] {0, 0}); // Header CRC, not checked.
        out.write(plain, 10, plain.length - 10);
        return out.toByteArray();
    }

    static byte[] deflate(byte[] data, boolean zlib) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, !zlib))) {
            z.write(data);
        }
        return out.toByteArray();
    }

    /** Decodes {@code encoded} fed in pieces of {@code size} bytes. */
    static byte[] decode(String coding, byte[] encoded, int size) throws IOException {
        BodySink.Collector collected = new BodySink.Collector(-1, Long.MAX_VALUE);
        ContentDecoder d = ContentDecoder.forEncoding(coding, collected);
        for (int at = 0; at < encoded.length; at += size) {
            ByteBuffer piece = ByteBuffer.wrap(encoded, at, Math.min(size, encoded.length - at)).slice();
            d.accept(piece);
            assertEquals(0, piece.remaining());
        }
        d.finish();
        return collected.body();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "gzip-all-fields", "deflate-zlib", "deflate-raw"})
    void decodesTheSameWhateverTheInputSplit(String kind) throws IOException {
        byte[] encoded = switch (kind) {
            case "gzip" -> gzip(TEXT);
            case "gzip-all-fields" -> gzipWithAllHeaderFields(TEXT);
            case "deflate-zlib" -> deflate(TEXT, true);
            default -> deflate(TEXT, false);
        };
        String coding = kind.startsWith("gzip") ? "gzip" : "deflate";
        for (int size = 1; size <= encoded.length; size++) {
            assertArrayEquals(TEXT, decode(coding, encoded, size), "pieces of " + size);
        }
    }

    @Test
    void onlyGzipAndDeflateAreDecoded() {
        assertNull(ContentDecoder.forEncoding("br", BodySink.DISCARD));
        assertNull(ContentDecoder.forEncoding(null, BodySink.DISCARD));
        assertNull(ContentDecoder.forEncoding("identity", BodySink.DISCARD));
    }

    @Test
    void emptyBodyDecodesToNothing() throws IOException {
        assertArrayEquals(new byte[0], decode("gzip", new byte[0], 1));
    }

    @Test
    void truncatedBodyFails() throws IOException {
        byte[] g = gzip(TEXT);
        byte[] cut = java.util.Arrays.copyOf(g, g.length - 4);
        assertEquals("truncated gzip body", assertThrows(ZipException.class, () -> decode("gzip", cut, 7)).getMessage());
    }

    @Test
    void corruptCrcFails() throws IOException {
        byte[] g = gzip(TEXT);
        g[g.length - 6] ^= 1;
        assertEquals("corrupt gzip body: CRC or length check failed",
                assertThrows(ZipException.class, () -> decode("gzip", g, 100)).getMessage());
    }

    @Test
    void dataThatIsNotGzipFails() {
        byte[] text = "plain text".getBytes(StandardCharsets.UTF_8);
        assertEquals("not in gzip format (no magic number)",
                assertThrows(ZipException.class, () -> decode("gzip", text, 3)).getMessage());
        assertThrows(ZipException.class, () -> decode("deflate", text, 3));
    }

    @Test
    void collectorLimitsTheDecodedSize() throws IOException {
        byte[] zeros = gzip(new byte[100_000]);
        ContentDecoder d = ContentDecoder.forEncoding("gzip", new BodySink.Collector(-1, 1000));
        dev.spindle.http.HttpInputException e = assertThrows(dev.spindle.http.HttpInputException.class,
                () -> d.accept(ByteBuffer.wrap(zeros)));
        assertEquals(dev.spindle.http.HttpInputException.Reason.BODY_TOO_LARGE, e.reason());
        d.release();
    }
}
