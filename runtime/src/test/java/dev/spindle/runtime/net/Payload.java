package dev.spindle.runtime.net;

import static dev.spindle.runtime.Coroutines.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.zip.CRC32;

/** 8 MiB of a known pattern, written and read in chunks, by blocking sockets or streams; checked by CRC. */
final class Payload {
    static final int CHUNK = 64 * 1024;
    static final long TOTAL = 8L << 20;
    /** The CRC-32 of all {@link #TOTAL} bytes. */
    static final long SUM = sum();

    private Payload() {}

    /** The bytes at {@code offset}, {@code offset + n}. */
    static byte[] bytes(long offset, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            long k = offset + i;
            b[i] = (byte) (k * 7 + k / 4099);
        }
        return b;
    }

    private static long sum() {
        CRC32 crc = new CRC32();
        for (long off = 0; off < TOTAL; off += CHUNK) {
            crc.update(bytes(off, CHUNK));
        }
        return crc.getValue();
    }

    static void send(OutputStream out) throws IOException {
        for (long off = 0; off < TOTAL; off += CHUNK) {
            out.write(bytes(off, CHUNK));
        }
        out.flush();
    }

    /** Reads {@link #TOTAL} bytes and returns their CRC. */
    static long receive(InputStream in) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[CHUNK];
        for (long n = 0; n < TOTAL; ) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, TOTAL - n));
            if (r < 0) {
                throw new IOException("end of stream after " + n + " bytes");
            }
            crc.update(buf, 0, r);
            n += r;
        }
        return crc.getValue();
    }

    /**
     * Writes {@link #TOTAL} bytes, awaiting each chunk's write; returns the most bytes the
     * stream had buffered for writing right after a write was issued.
     */
    static long send(IoStream stream) {
        long max = 0;
        for (long off = 0; off < TOTAL; off += CHUNK) {
            CompletableFuture<Void> written = stream.write(ByteBuffer.wrap(bytes(off, CHUNK)));
            max = Math.max(max, stream.writeBufferSize());
            await(written);
        }
        return max;
    }

    /** Reads {@link #TOTAL} bytes in pieces as they come and returns their CRC. */
    static long receive(IoStream stream) {
        CRC32 crc = new CRC32();
        for (long n = 0; n < TOTAL; ) {
            byte[] b = await(stream.readBytes((int) Math.min(CHUNK, TOTAL - n), true));
            crc.update(b);
            n += b.length;
        }
        return crc.getValue();
    }
}
