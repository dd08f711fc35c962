package dev.spindle.http.codec;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * Frames the bytes of an outgoing body for the wire: chunk-size lines and CRLFs around each
 * piece of a chunked body and the last chunk at its end (RFC 9112 §7.1), nothing around a
 * delimited one. The data is never copied.
 *
 * <p><b>Thread-safe:</b> stateless.
 */
final class BodyFrames {
    /** A write that had nothing to send. */
    static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);
    /** The CRLF ending a chunk, then the last chunk without trailers. Never written. */
    private static final byte[] CRLF_LAST_CHUNK = Http1Writer.ascii("\r\n0\r\n\r\n");
    private static final ByteBuffer[] NOTHING = new ByteBuffer[0];

    private BodyFrames() {}

    /**
     * Returns the buffers to write, in order: {@code head} if not null, then {@code data} framed
     * as {@code framing} says, then, if {@code last} and the body is chunked, the last chunk.
     */
    static ByteBuffer[] frame(ByteBuffer head, ByteBuffer data, BodyFraming framing, boolean last) {
        int n = data.remaining();
        boolean chunked = framing == BodyFraming.CHUNKED;
        int count = (head != null ? 1 : 0) + (n == 0 ? 0 : chunked ? 3 : 1) + (chunked && last && n == 0 ? 1 : 0);
        if (count == 0) {
            return NOTHING;
        }
        ByteBuffer[] parts = new ByteBuffer[count];
        int i = 0;
        if (head != null) {
            parts[i++] = head;
        }
        if (n > 0 && chunked) {
            parts[i++] = Http1Writer.chunkSizeLine(n);
            parts[i++] = data.slice();
            parts[i] = ByteBuffer.wrap(last ? CRLF_LAST_CHUNK : Http1Writer.CRLF);
        } else if (n > 0) {
            parts[i] = data.slice();
        } else if (chunked && last) {
            parts[i] = ByteBuffer.wrap(Http1Writer.LAST_CHUNK);
        }
        return parts;
    }
}
