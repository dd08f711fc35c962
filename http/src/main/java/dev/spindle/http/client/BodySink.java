package dev.spindle.http.client;

import dev.spindle.http.HttpInputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Where the body of a response goes: collected, streamed to the request's callback, or
 * discarded (a redirect being followed), possibly behind a {@link ContentDecoder}.
 *
 * <p><b>Loop-confined:</b> used by one exchange on the client's loop.
 */
interface BodySink {
    /** Discards everything. */
    BodySink DISCARD = data -> data.position(data.limit());

    /**
     * Takes all of {@code data}'s remaining bytes; {@code data} is a view valid only during the call.
     *
     * @throws IOException if the bytes cannot be decoded
     */
    void accept(ByteBuffer data) throws IOException;

    /** The body is complete. @throws IOException if it ended too early for its encoding */
    default void finish() throws IOException {
    }

    /** Frees what the sink holds (native decoder memory); called whether or not it finished. */
    default void release() {
    }

    /** The collected body; empty unless the sink collects. */
    default byte[] body() {
        return new byte[0];
    }

    /** Collects the body into one array, at most {@code limit} bytes. */
    final class Collector implements BodySink {
        private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
        /** At most this much is allocated before bytes arrive, whatever Content-Length claims. */
        private static final int MAX_PREALLOCATION = 1 << 20;
        private final long limit;
        private byte[] buf;
        private int size;

        /** @param expected the length announced by Content-Length, or -1 */
        Collector(long expected, long limit) {
            this.limit = limit;
            this.buf = new byte[(int) Math.min(expected >= 0 ? expected : 8192, Math.min(limit, MAX_PREALLOCATION))];
        }

        @Override
        public void accept(ByteBuffer data) {
            int n = data.remaining();
            if (size + (long) n > limit) {
                throw new HttpInputException(HttpInputException.Reason.BODY_TOO_LARGE,
                        "response body larger than maxBodySize=" + limit + " bytes");
            }
            if (size + n > buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(Math.max(size + n, 2L * buf.length), MAX_ARRAY));
            }
            data.get(buf, size, n);
            size += n;
        }

        @Override
        public byte[] body() {
            return size == buf.length ? buf : Arrays.copyOf(buf, size);
        }
    }

    /** Hands each piece to the request's streaming callback as a new array. */
    record Streamer(Consumer<byte[]> callback) implements BodySink {
        @Override
        public void accept(ByteBuffer data) {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            callback.accept(chunk);
        }
    }
}
