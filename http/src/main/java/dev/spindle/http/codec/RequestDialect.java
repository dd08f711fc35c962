package dev.spindle.http.codec;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpInputException;
import dev.spindle.http.HttpInputException.Reason;
import dev.spindle.http.RequestStartLine;
import dev.spindle.http.StartLine;
import java.util.List;

/**
 * Request lines ({@code method SP target SP version}, RFC 9112 §3) and request framing: a
 * request without {@code Content-Length} or {@code Transfer-Encoding} has no body, and the only
 * transfer coding accepted is {@code chunked}.
 *
 * <p><b>Thread-safe:</b> may be called from any thread (stateless).
 */
final class RequestDialect implements Dialect {
    static final RequestDialect INSTANCE = new RequestDialect();

    private RequestDialect() {}

    @Override
    public Reason startLineTooLong() {
        return Reason.REQUEST_LINE_TOO_LONG;
    }

    @Override
    public StartLine parseStartLine(byte[] a, int start, int end) {
        int sp1 = Dialect.indexOf(a, start, end, ' ');
        int sp2 = sp1 < 0 ? -1 : Dialect.indexOf(a, sp1 + 1, end, ' ');
        if (sp1 <= start || sp2 <= sp1 + 1) throw bad(a, start, end);
        for (int i = start; i < sp1; i++) {
            if (!Ascii.isTokenByte(a[i])) throw bad(a, start, end);
        }
        for (int i = sp1 + 1; i < sp2; i++) {
            if (a[i] <= 0x20 || a[i] == 0x7F) throw bad(a, start, end);
        }
        String version = Dialect.version(a, sp2 + 1, end);
        return new RequestStartLine(CommonStrings.method(a, start, sp1), Ascii.decode(a, sp1 + 1, sp2), version);
    }

    private static HttpInputException bad(byte[] a, int start, int end) {
        return new HttpInputException(Reason.BAD_START_LINE, "malformed request line " + Ascii.quote(a, start, end));
    }

    @Override
    public BodyFraming framing(StartLine line, HttpHeaders headers, boolean noBody) {
        checkHost(line, headers);
        if (FramingFields.hasTransferEncoding(headers)) {
            if (line.version().equals("HTTP/1.0")) {
                throw new HttpInputException(Reason.BAD_TRANSFER_ENCODING, "Transfer-Encoding in an HTTP/1.0 request");
            }
            List<String> codings = FramingFields.transferCodings(headers);
            if (codings.isEmpty()) {
                throw new HttpInputException(Reason.BAD_TRANSFER_ENCODING, "empty Transfer-Encoding");
            }
            if (codings.size() != 1 || !codings.getFirst().equals("chunked")) {
                throw new HttpInputException(Reason.UNKNOWN_TRANSFER_ENCODING,
                        "request transfer codings other than chunked: " + codings);
            }
            return BodyFraming.CHUNKED;
        }
        long length = FramingFields.contentLength(headers);
        return length >= 0 ? new BodyFraming.Length(length) : BodyFraming.NONE;
    }

    /** RFC 9112 §3.2: exactly one {@code Host} in HTTP/1.1, at most one in HTTP/1.0. */
    private static void checkHost(StartLine line, HttpHeaders headers) {
        int hosts = 0;
        for (int i = 0; i < headers.size(); i++) {
            if (headers.name(i).equalsIgnoreCase("Host")) hosts++;
        }
        if (hosts > 1) throw new HttpInputException(Reason.DUPLICATE_HOST, hosts + " Host fields");
        if (hosts == 0 && line.version().equals("HTTP/1.1")) {
            throw new HttpInputException(Reason.MISSING_HOST, "HTTP/1.1 request without Host");
        }
    }

    @Override
    public String toString() {
        return "requests";
    }
}
