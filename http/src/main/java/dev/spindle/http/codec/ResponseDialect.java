package dev.spindle.http.codec;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpInputException;
import dev.spindle.http.HttpInputException.Reason;
import dev.spindle.http.HttpSyntax;
import dev.spindle.http.ResponseStartLine;
import dev.spindle.http.StartLine;
import java.util.List;

/**
 * Status lines ({@code version SP code SP reason}, RFC 9112 §4) and response framing: 1xx, 204,
 * 304 and responses to HEAD have no body; without {@code Content-Length} or a final
 * {@code chunked} coding, the body runs until the server closes.
 *
 * <p><b>Thread-safe:</b> may be called from any thread (stateless).
 */
final class ResponseDialect implements Dialect {
    static final ResponseDialect INSTANCE = new ResponseDialect();

    private ResponseDialect() {}

    @Override
    public Reason startLineTooLong() {
        return Reason.STATUS_LINE_TOO_LONG;
    }

    /** Also accepts {@code "HTTP/1.1 200"} without the space before an empty reason. */
    @Override
    public StartLine parseStartLine(byte[] a, int start, int end) {
        int sp = Dialect.indexOf(a, start, end, ' ');
        if (sp < 0) throw bad(a, start, end);
        String version = Dialect.version(a, start, sp);
        int c = sp + 1;
        boolean codeOk = end - c >= 3 && a[c] >= '1' && a[c] <= '9' && Ascii.isDigit(a[c + 1])
                && Ascii.isDigit(a[c + 2]) && (end == c + 3 || a[c + 3] == ' ');
        if (!codeOk) throw bad(a, start, end);
        int code = 100 * (a[c] - '0') + 10 * (a[c + 1] - '0') + (a[c + 2] - '0');
        int reason = Math.min(end, c + 4);
        for (int i = reason; i < end; i++) {
            if (!HttpSyntax.isFieldChar(a[i] & 0xFF)) throw bad(a, start, end);
        }
        return new ResponseStartLine(version, code, Ascii.decode(a, reason, end));
    }

    private static HttpInputException bad(byte[] a, int start, int end) {
        return new HttpInputException(Reason.BAD_START_LINE, "malformed status line " + Ascii.quote(a, start, end));
    }

    @Override
    public BodyFraming framing(StartLine line, HttpHeaders headers, boolean noBody) {
        int code = ((ResponseStartLine) line).code();
        if (noBody || code < 200 || code == 204 || code == 304) return BodyFraming.NONE;
        if (FramingFields.hasTransferEncoding(headers)) {
            List<String> codings = FramingFields.transferCodings(headers);
            int chunked = codings.indexOf("chunked");
            if (codings.isEmpty() || (chunked >= 0 && chunked != codings.lastIndexOf("chunked"))) {
                throw new HttpInputException(Reason.BAD_TRANSFER_ENCODING, "bad Transfer-Encoding " + codings);
            }
            // RFC 9112 §6.3: chunked not last means the body is delimited by the close.
            return chunked == codings.size() - 1 ? BodyFraming.CHUNKED : BodyFraming.UNTIL_CLOSE;
        }
        long length = FramingFields.contentLength(headers);
        return length >= 0 ? new BodyFraming.Length(length) : BodyFraming.UNTIL_CLOSE;
    }

    @Override
    public String toString() {
        return "responses";
    }
}
