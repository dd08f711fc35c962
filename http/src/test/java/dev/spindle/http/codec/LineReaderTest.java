package dev.spindle.http.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.http.HttpInputException;
import dev.spindle.http.HttpInputException.Reason;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    private final LineReader lines = new LineReader();

    @BeforeEach
    void beginHeadSection() {
        lines.begin(1000, Reason.HEADERS_TOO_LARGE, false);
    }

    @Test
    void lineWholeInAHeapBufferIsReadInPlace() {
        ByteBuffer in = heap("Host: a\r\nrest");
        assertTrue(lines.readLine(in));
        assertSame(in.array(), lines.array);
        assertEquals("Host: a", line());
        assertEquals(9, in.position());
    }

    @Test
    void lineSplitAcrossFeedsIsJoinedAndTheFirstPartConsumed() {
        ByteBuffer first = heap("Host: exa");
        assertFalse(lines.readLine(first));
        assertFalse(first.hasRemaining());
        assertTrue(lines.hasPartialLine());
        assertFalse(lines.readLine(heap("mple.com\r")));
        assertTrue(lines.readLine(heap("\nnext")));
        assertEquals("Host: example.com", line());
        assertFalse(lines.hasPartialLine());
    }

    @Test
    void directBufferLinesLongerThanOneCopyStepAreRead() {
        String value = "v".repeat(700);
        ByteBuffer in = ByteBuffer.allocateDirect(800);
        in.put(("X: " + value + "\r\nY: 1\r\n").getBytes(StandardCharsets.ISO_8859_1)).flip();
        assertTrue(lines.readLine(in));
        assertEquals("X: " + value, line());
        assertTrue(lines.readLine(in));
        assertEquals("Y: 1", line());
        assertFalse(in.hasRemaining());
    }

    @Test
    void bareLfIsToleratedInTheHeadButNotInStrictSections() {
        assertTrue(lines.readLine(heap("a\n")));
        assertEquals("a", line());
        lines.begin(100, Reason.BAD_CHUNK_SIZE, true);
        HttpInputException e = assertThrows(HttpInputException.class, () -> lines.readLine(heap("5\n")));
        assertEquals(Reason.BARE_LF, e.reason());
    }

    @Test
    void bareCrIsFoundEvenWhenTheLineIsSplitAfterIt() {
        assertFalse(lines.readLine(heap("a\r")));
        HttpInputException e = assertThrows(HttpInputException.class, () -> lines.readLine(heap("b\r\n")));
        assertEquals(Reason.BARE_CR, e.reason());
    }

    @Test
    void nulIsRejectedAsSoonAsItArrives() {
        HttpInputException e = assertThrows(HttpInputException.class, () -> lines.readLine(heap("a\0")));
        assertEquals(Reason.NUL_BYTE, e.reason());
    }

    @Test
    void budgetIsSharedByTheLinesOfASectionAndCountsTerminators() {
        lines.begin(10, Reason.HEADERS_TOO_LARGE, false);
        assertTrue(lines.readLine(heap("abc\r\n")));
        assertTrue(lines.readLine(heap("def\r\n")));
        HttpInputException e = assertThrows(HttpInputException.class, () -> lines.readLine(heap("\r\n")));
        assertEquals(Reason.HEADERS_TOO_LARGE, e.reason());
        assertEquals(431, e.status());
    }

    @Test
    void lineFillingTheBudgetWaitsForOneMoreByteBeforeFailing() {
        lines.begin(4, Reason.REQUEST_LINE_TOO_LONG, false);
        assertFalse(lines.readLine(heap("abcd")));
        HttpInputException e = assertThrows(HttpInputException.class, () -> lines.readLine(heap("e")));
        assertEquals(Reason.REQUEST_LINE_TOO_LONG, e.reason());
    }

    @Test
    void clearForgetsThePartialLine() {
        assertFalse(lines.readLine(heap("partial")));
        lines.clear();
        lines.begin(100, Reason.BAD_START_LINE, false);
        assertTrue(lines.readLine(heap("x\r\n")));
        assertEquals("x", line());
    }

    private String line() {
        return new String(lines.array, lines.start, lines.end - lines.start, StandardCharsets.ISO_8859_1);
    }

    private static ByteBuffer heap(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
