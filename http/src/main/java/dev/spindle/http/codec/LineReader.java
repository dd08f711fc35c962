package dev.spindle.http.codec;

import dev.spindle.http.HttpInputException;
import dev.spindle.http.HttpInputException.Reason;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads CRLF-terminated lines out of the parser's input, charging each against the byte budget
 * of the current section, so that every line limit maps to its status here and nowhere else.
 *
 * <p>Not thread-safe: owned by one {@link Http1Parser}, which is loop-confined.
 */
final class LineReader {
    /*
     * Implementation notes: a line that lies whole in a heap buffer is returned in place (no
     * copy). A line split across feeds, or read from a direct buffer, is copied into `held`, at
     * most COPY_STEP bytes past its LF, so the caller may clear its buffer after NeedMore. A CR
     * is legal only right before the LF, so counting CRs while scanning for LF finds bare CRs
     * without looking ahead across feeds.
     */

    /** Bytes copied at a time from a direct buffer: past the LF they are wasted. */
    private static final int COPY_STEP = 256;

    /** Start of a line split across feeds or read from a direct buffer; null when none yet. */
    private byte[] held;
    /** Number of bytes of the current line in {@link #held}. */
    private int heldLength;
    /** Bytes the current section may still use, terminators included. */
    private int budget;
    /** Reason thrown when {@link #budget} is exceeded. */
    private Reason overflow = Reason.BAD_START_LINE;
    /** Whether a bare LF ending is rejected ({@link Reason#BARE_LF}) rather than tolerated. */
    private boolean strict;
    /** CRs seen in the current line so far. */
    private int crCount;

    /** The array holding the last line read; valid until the next {@link #readLine}. */
    byte[] array;
    /** Index in {@link #array} of the first byte of the last line read. */
    int start;
    /** Index in {@link #array} just past the last line read, terminator excluded. */
    int end;

    /**
     * Starts a section: the following lines share {@code budget} bytes, terminators included.
     * Must not be called in the middle of a line.
     */
    void begin(int budget, Reason overflow, boolean strictCrlf) {
        assert heldLength == 0 : "begin() inside a line";
        this.budget = budget;
        this.overflow = overflow;
        this.strict = strictCrlf;
    }

    /**
     * Reads one line from {@code in}, advancing its position past the terminator.
     *
     * @return true with the line in {@link #array} {@code [start, end)}, or false when every byte
     *     of {@code in} was consumed (and kept) without completing a line
     * @throws HttpInputException for a bare CR or LF, a NUL or an exceeded budget
     */
    boolean readLine(ByteBuffer in) {
        return in.hasArray() ? readInPlace(in) : readCopying(in);
    }

    /** Returns whether the last line read was empty. */
    boolean isEmpty() {
        return start == end;
    }

    /** Returns whether part of a line was consumed but the line is not complete. */
    boolean hasPartialLine() {
        return heldLength > 0;
    }

    /** Forgets any partial line and releases the copy buffer, so an idle reader holds none. */
    void clear() {
        heldLength = 0;
        crCount = 0;
        held = null;
    }

    private boolean readInPlace(ByteBuffer in) {
        byte[] a = in.array();
        int from = in.arrayOffset() + in.position();
        int limit = in.arrayOffset() + in.limit();
        int scanEnd = from + Math.min(budget, limit - from);
        int lf = scan(a, from, scanEnd);
        if (lf < 0) {
            if (scanEnd < limit) throw overflow();
            hold(a, from, limit - from);
            budget -= limit - from;
            in.position(in.limit());
            return false;
        }
        budget -= lf + 1 - from;
        in.position(lf + 1 - in.arrayOffset());
        if (heldLength == 0) return lineFound(a, from, lf);
        hold(a, from, lf - from);
        return lineFound(held, 0, heldLength);
    }

    private boolean readCopying(ByteBuffer in) {
        while (in.hasRemaining()) {
            int n = Math.min(Math.min(in.remaining(), budget), COPY_STEP);
            if (n == 0) throw overflow();
            ensureCapacity(heldLength + n);
            in.get(in.position(), held, heldLength, n);
            int lf = scan(held, heldLength, heldLength + n);
            int used = lf < 0 ? n : lf + 1 - heldLength;
            in.position(in.position() + used);
            budget -= used;
            if (lf >= 0) return lineFound(held, 0, lf);
            heldLength += n;
        }
        return false;
    }

    /** Returns the index of the first LF in {@code a[from, to)}, or -1; counts CRs, rejects NUL. */
    private int scan(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            int b = a[i] & 0xFF;
            if (b <= '\r') {
                if (b == '\n') return i;
                if (b == '\r') crCount++;
                else if (b == 0) throw new HttpInputException(Reason.NUL_BYTE, "NUL byte in line " + Ascii.quote(a, from, to));
            }
        }
        return -1;
    }

    private boolean lineFound(byte[] a, int from, int lf) {
        int to = lf;
        if (to > from && a[to - 1] == '\r') {
            to--;
            crCount--;
        } else if (strict) {
            throw new HttpInputException(Reason.BARE_LF, "line ends in LF without CR: " + Ascii.quote(a, from, to));
        }
        if (crCount != 0) throw new HttpInputException(Reason.BARE_CR, "CR without LF in line " + Ascii.quote(a, from, to));
        array = a;
        start = from;
        end = to;
        heldLength = 0;
        return true;
    }

    private void hold(byte[] a, int from, int n) {
        if (n == 0) {
            return; // Nothing to keep: do not allocate a line buffer for an empty feed.
        }
        ensureCapacity(heldLength + n);
        System.arraycopy(a, from, held, heldLength, n);
        heldLength += n;
    }

    private void ensureCapacity(int needed) {
        if (held == null) held = new byte[Math.max(COPY_STEP, needed)];
        else if (held.length < needed) held = Arrays.copyOf(held, Math.max(needed, 2 * held.length));
    }

    private HttpInputException overflow() {
        return new HttpInputException(overflow, "line longer than the limit of its section");
    }
}
