package dev.spindle.http.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decompresses a {@code gzip} or {@code deflate} body piece by piece as it arrives, handing the
 * output to the next sink (Tornado: {@code _GzipMessageDelegate}).
 *
 * <p><b>Loop-confined:</b> used by one exchange on the client's loop.
 *
 * <p>{@code deflate} is the zlib format of RFC 9110 §8.4.1.2; raw deflate data, which some
 * servers send instead, is recognised by its first two bytes and accepted too. A gzip body's
 * CRC and length are checked. Damaged or truncated data fails with {@link ZipException}.
 */
/*
 * Implementation notes: a gzip header has variable length (optional extra field, name, comment,
 * header CRC). It is parsed in place when the first piece holds all of it, which is the usual
 * case, and otherwise collected in `head` until complete. After the deflate stream ends, the 8
 * trailer bytes are collected in `trailer`; anything after them is ignored, as zlib does.
 */
final class ContentDecoder implements BodySink {
    private static final int MAX_HEADER = 64 * 1024;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final boolean gzip;
    private final BodySink next;
    private final byte[] out = new byte[16 * 1024];
    private final CRC32 crc = new CRC32();
    /** Created once the format is known (after the gzip header, or the first two deflate bytes). */
    private Inflater inflater;
    /** Leading bytes collected until the header could be parsed. */
    private byte[] head = new byte[0];
    private final byte[] trailer = new byte[8];
    private int trailerLength;
    private long produced;
    private boolean sawInput;

    private ContentDecoder(boolean gzip, BodySink next) {
        this.gzip = gzip;
        this.next = next;
    }

    /** A decoder in front of {@code next} for {@code contentEncoding}, or null if it is not gzip or deflate. */
    static ContentDecoder forEncoding(String contentEncoding, BodySink next) {
        if (contentEncoding == null) {
            return null;
        }
        return switch (contentEncoding.strip().toLowerCase(Locale.ROOT)) {
            case "gzip", "x-gzip" -> new ContentDecoder(true, next);
            case "deflate" -> new ContentDecoder(false, next);
            default -> null;
        };
    }

    @Override
    public void accept(ByteBuffer data) throws IOException {
        sawInput |= data.hasRemaining();
        if (inflater == null && (data = start(data)) == null) {
            return;
        }
        if (inflater.finished()) {
            takeTrailer(data);
            return;
        }
        inflater.setInput(data);
        try {
            while (true) {
                int n = inflater.inflate(out);
                if (n > 0) {
                    crc.update(out, 0, n);
                    produced += n;
                    next.accept(ByteBuffer.wrap(out, 0, n));
                }
                if (inflater.finished()) {
                    takeTrailer(data);
                    return;
                } else if (n == 0 && inflater.needsInput()) {
                    return;
                } else if (n == 0 && inflater.needsDictionary()) {
                    throw new ZipException("deflate data needs a preset dictionary");
                }
            }
        } catch (DataFormatException e) {
            throw new ZipException("invalid " + name() + " data: " + e.getMessage());
        }
    }

    /** Reads the header; returns the data after it once the inflater exists, else null. */
    private ByteBuffer start(ByteBuffer data) throws ZipException {
        if (head.length == 0 && data.hasArray()) {
            int at = data.arrayOffset() + data.position();
            int n = headerLength(data.array(), at, data.remaining());
            if (n >= 0) {
                open(data.array(), at);
                return data.position(data.position() + n);
            }
        }
        if (head.length + data.remaining() > MAX_HEADER) {
            throw new ZipException(name() + " header longer than " + MAX_HEADER + " bytes");
        }
        int had = head.length;
        head = Arrays.copyOf(head, had + data.remaining());
        data.get(head, had, head.length - had);
        int n = headerLength(head, 0, head.length);
        if (n < 0) {
            return null;
        }
        open(head, 0);
        return ByteBuffer.wrap(head, n, head.length - n);
    }

    private void open(byte[] a, int at) {
        boolean zlib = (a[at] & 0x0F) == 8 && (((a[at] & 0xFF) << 8) | (a[at + 1] & 0xFF)) % 31 == 0;
        inflater = new Inflater(gzip || !zlib);
    }

    /** Length of the header at {@code a[at..at+n)}: gzip's, or 0 for deflate; -1 if more bytes are needed. */
    private int headerLength(byte[] a, int at, int n) throws ZipException {
        if (n < 2) {
            return -1;
        } else if (!gzip) {
            return 0;
        } else if ((a[at] & 0xFF) != 0x1f || (a[at + 1] & 0xFF) != 0x8b) {
            throw new ZipException("not in gzip format (no magic number)");
        } else if (n < 10) {
            return -1;
        } else if (a[at + 2] != 8) {
            throw new ZipException("unsupported gzip compression method " + a[at + 2]);
        }
        int flags = a[at + 3];
        int p = 10;
        if ((flags & FEXTRA) != 0) {
            if (n < p + 2) {
                return -1;
            }
            p += 2 + ((a[at + p] & 0xFF) | (a[at + p + 1] & 0xFF) << 8);
        }
        for (int flag : new int[] {FNAME, FCOMMENT}) {
            if ((flags & flag) != 0) {
                while (p < n && a[at + p] != 0) {
                    p++;
                }
                if (p++ >= n) {
                    return -1;
                }
            }
        }
        p += (flags & FHCRC) != 0 ? 2 : 0;
        return p <= n ? p : -1;
    }

    private void takeTrailer(ByteBuffer data) {
        int k = gzip ? Math.min(8 - trailerLength, data.remaining()) : 0;
        data.get(trailer, trailerLength, k);
        trailerLength += k;
        data.position(data.limit()); // Bytes after the stream are ignored, as zlib does.
    }

    @Override
    public void finish() throws IOException {
        try {
            if (!sawInput) {
                return; // No body (HEAD, 204, 304): nothing to decode.
            } else if (inflater == null || !inflater.finished() || gzip && trailerLength < 8) {
                throw new ZipException("truncated " + name() + " body");
            } else if (gzip && (le32(0) != (int) crc.getValue() || le32(4) != (int) produced)) {
                throw new ZipException("corrupt gzip body: CRC or length check failed");
            }
        } finally {
            release();
        }
        next.finish();
    }

    private int le32(int at) {
        return (trailer[at] & 0xFF) | (trailer[at + 1] & 0xFF) << 8 | (trailer[at + 2] & 0xFF) << 16
                | (trailer[at + 3] & 0xFF) << 24;
    }

    @Override
    public void release() {
        if (inflater != null) {
            inflater.end();
        }
        next.release();
    }

    @Override
    public byte[] body() {
        return next.body();
    }

    private String name() {
        return gzip ? "gzip" : "deflate";
    }
}
