package dev.spindle.runtime.net;

import dev.spindle.runtime.internal.ResumingFuture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * A pending read of a {@link SocketStream}, which is also the future its caller awaits: one
 * subclass per kind of read.
 *
 * <p><b>Loop-confined:</b> the stream calls {@link #consume} and {@link #atEnd} on its loop.
 * The future itself is thread-safe like any {@link CompletableFuture}.
 */
/*
 * Implementation notes:
 *
 * The stream offers its buffered bytes (its leftover, or the loop's scratch buffer holding what
 * a socket read just returned) to consume(buf), which takes what it needs, advancing buf's
 * position, and returns the result once it has one. Bytes it does not take stay with the
 * stream. The stream completes the future itself, after it has saved its leftover.
 */
abstract class Read<T> extends ResumingFuture<T> {
    /**
     * Takes what this read needs from {@code buf} (in read mode) and returns the result if the
     * read is now satisfied, else null.
     *
     * @throws UnsatisfiableReadException if no more bytes can ever satisfy it
     */
    abstract T consume(ByteBuffer buf);

    /** The result at end of stream, given the unread bytes (may be null); null: the read fails. */
    T atEnd(ByteBuffer buf) {
        return null;
    }

    /** The stream's leftover after this read was abandoned: bytes it took go back in front. */
    ByteBuffer giveBack(ByteBuffer leftover) {
        return leftover;
    }

    /** What the read waits for, for {@code toString}. */
    abstract String describe();

    /** readUntil: up to and including a delimiter, at most maxBytes in all. */
    static final class Until extends Read<byte[]> {
        private static final byte[] LF = {'\n'};
        private static final byte[] CRLF = {'\r', '\n'};
        private static final byte[] CRLFCRLF = {'\r', '\n', '\r', '\n'};
        private final byte[] delimiter;
        private final int maxBytes;
        /** Unread bytes already searched in vain; the next search starts near their end. */
        private int scanned;

        Until(byte[] delimiter, int maxBytes) {
            this.delimiter = delimiter;
            this.maxBytes = maxBytes;
        }

        /** The ISO-8859-1 bytes of {@code d}; the common delimiters share one array (never written). */
        static byte[] delimiter(String d) {
            return switch (d) {
                case "\n" -> LF;
                case "\r\n" -> CRLF;
                case "\r\n\r\n" -> CRLFCRLF;
                default -> d.getBytes(StandardCharsets.ISO_8859_1);
            };
        }

        @Override
        byte[] consume(ByteBuffer buf) {
            int start = buf.arrayOffset() + buf.position();
            int end = buf.arrayOffset() + buf.limit();
            int from = Math.max(start, start + scanned - delimiter.length + 1);
            int at = Buffers.indexOf(buf.array(), from, end, delimiter);
            int length = at - start + delimiter.length;
            if (at < 0) {
                scanned = end - start;
                if (scanned >= maxBytes) {
                    throw unsatisfiable();
                }
                return null;
            } else if (length > maxBytes) {
                throw unsatisfiable();
            }
            byte[] out = new byte[length];
            buf.get(out);
            return out;
        }

        private UnsatisfiableReadException unsatisfiable() {
            return new UnsatisfiableReadException("delimiter " + show(delimiter) + " not found within maxBytes="
                    + maxBytes);
        }

        @Override
        String describe() {
            return "readUntil(" + show(delimiter) + (maxBytes == Integer.MAX_VALUE ? "" : ", max " + maxBytes) + ")";
        }

        private static String show(byte[] d) {
            return '"' + new String(d, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n") + '"';
        }
    }

    /** readUntilRegex: up to and including the first match of a pattern, at most maxBytes in all. */
    static final class UntilRegex extends Read<byte[]> {
        private final java.util.regex.Pattern pattern;
        private final int maxBytes;

        UntilRegex(java.util.regex.Pattern pattern, int maxBytes) {
            this.pattern = pattern;
            this.maxBytes = maxBytes;
        }

        @Override
        byte[] consume(ByteBuffer buf) {
            // Bytes as ISO-8859-1 characters, one char per byte, without copying them.
            CharSequence text = new Latin1(buf.array(), buf.arrayOffset() + buf.position(), buf.remaining());
            java.util.regex.Matcher m = pattern.matcher(text);
            if (!m.find()) {
                if (text.length() >= maxBytes) {
                    throw unsatisfiable();
                }
                return null;
            } else if (m.end() > maxBytes) {
                throw unsatisfiable();
            }
            byte[] out = new byte[m.end()];
            buf.get(out);
            return out;
        }

        private UnsatisfiableReadException unsatisfiable() {
            return new UnsatisfiableReadException("pattern /" + pattern + "/ not matched within maxBytes=" + maxBytes);
        }

        @Override
        String describe() {
            return "readUntilRegex(/" + pattern + "/" + (maxBytes == Integer.MAX_VALUE ? "" : ", max " + maxBytes) + ")";
        }
    }

    /** A window of a byte array read as ISO-8859-1 text. */
    private record Latin1(byte[] bytes, int offset, int length) implements CharSequence {
        @Override
        public char charAt(int index) {
            return (char) (bytes[offset + index] & 0xff);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Latin1(bytes, offset + start, end - start);
        }

        @Override
        public String toString() {
            return new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
        }
    }

    /** readBytes: exactly n bytes, or with partial, between 1 and n. */
    static final class Bytes extends Read<byte[]> {
        private final int n;
        private final boolean partial;
        /** The result being filled once the bytes came in pieces; null before. */
        private byte[] target;
        private int filled;

        Bytes(int n, boolean partial) {
            this.n = n;
            this.partial = partial;
        }

        @Override
        byte[] consume(ByteBuffer buf) {
            int avail = buf.remaining();
            if (target == null) {
                if (avail >= n || partial && avail > 0) {
                    byte[] out = new byte[Math.min(n, avail)];
                    buf.get(out);
                    return out;
                } else if (avail == 0) {
                    return null;
                }
                target = new byte[n];
            }
            int k = Math.min(avail, n - filled);
            buf.get(target, filled, k);
            filled += k;
            return filled == n ? target : null;
        }

        @Override
        ByteBuffer giveBack(ByteBuffer leftover) {
            return filled == 0 ? leftover : Buffers.prepend(target, filled, leftover);
        }

        @Override
        String describe() {
            return "readBytes(" + n + (partial ? ", partial" : "") + (filled > 0 ? ", have " + filled : "") + ")";
        }
    }

    /** readInto: fill the caller's buffer, or with partial, at least one byte of it. */
    static final class Into extends Read<Integer> {
        private final ByteBuffer dst;
        private final boolean partial;
        private int count;

        Into(ByteBuffer dst, boolean partial) {
            this.dst = dst;
            this.partial = partial;
        }

        @Override
        Integer consume(ByteBuffer buf) {
            int k = Math.min(buf.remaining(), dst.remaining());
            if (k > 0) {
                dst.put(dst.position(), buf, buf.position(), k);
                dst.position(dst.position() + k);
                buf.position(buf.position() + k);
                count += k;
            }
            return dst.hasRemaining() && !(partial && count > 0) ? null : count;
        }

        @Override
        String describe() {
            return "readInto(" + dst.remaining() + " more" + (partial ? ", partial" : "") + ")";
        }
    }

    /** readUntilClose: everything until the peer closes; the bytes pile up in the stream. */
    static final class ToClose extends Read<byte[]> {
        @Override
        byte[] consume(ByteBuffer buf) {
            return null;
        }

        @Override
        byte[] atEnd(ByteBuffer buf) {
            byte[] out = new byte[buf == null ? 0 : buf.remaining()];
            if (buf != null) {
                buf.get(out);
            }
            return out;
        }

        @Override
        String describe() {
            return "readUntilClose()";
        }
    }

    /** fill: more bytes than the stream held when it started; takes nothing. */
    static final class Fill extends Read<Integer> {
        private final int before;

        Fill(int before) {
            this.before = before;
        }

        @Override
        Integer consume(ByteBuffer buf) {
            int n = buf.remaining();
            return n > before ? n : null;
        }

        @Override
        String describe() {
            return "fill(have " + before + ")";
        }
    }
}
