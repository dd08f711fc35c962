package dev.spindle.http.server;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpStatus;
import dev.spindle.http.HttpSyntax;
import dev.spindle.http.codec.BodyFraming;
import dev.spindle.http.codec.Http1Connection;
import dev.spindle.http.codec.Http1Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a response head will say: the status, the handler's fields, and what the handler
 * declared through the fields the server owns ({@code Content-Length}, {@code Connection}).
 *
 * <p><b>Loop-confined:</b> owned by one {@link HttpServerResponse}.
 */
final class ResponseHead {
    static final byte[] TEXT_PLAIN = Http1Writer.ascii("Content-Type: text/plain; charset=utf-8\r\n");

    /** The status code. Loop-confined. */
    int status = 200;
    /** The handler's fields, framing fields excluded; null until the first one. Loop-confined. */
    private HttpHeaders fields;
    /** The {@code Content-Length} the handler declared, or -1. Loop-confined. */
    long declaredLength = -1;
    /** Whether the handler asked for {@code Connection: close}. Loop-confined. */
    boolean closeRequested;
    /** Whether a text body without a {@code Content-Type} gets {@link #TEXT_PLAIN}. Loop-confined. */
    boolean defaultTextType;

    /** Sets ({@code replace}) or adds a field; framing fields are taken as declarations. */
    void put(String name, String value, boolean replace) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.equalsIgnoreCase("Content-Length")) {
            declaredLength = parseLength(value);
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
            throw new IllegalArgumentException("Transfer-Encoding is the server's: write() without a Content-Length"
                    + " sends a chunked body");
        } else if (name.equalsIgnoreCase("Connection")) {
            closeRequested |= HttpHeaders.of("Connection", value).hasToken("Connection", "close");
        } else {
            HttpHeaders f = fields != null ? fields : (fields = HttpHeaders.create());
            if (replace) {
                f.set(name, value);
            } else {
                f.add(name, value);
            }
        }
    }

    private static long parseLength(String value) {
        String digits = value.strip();
        if (!digits.isEmpty() && digits.chars().allMatch(c -> c >= '0' && c <= '9') && digits.length() < 19) {
            return Long.parseLong(digits);
        }
        throw new IllegalArgumentException("invalid Content-Length: " + HttpSyntax.quote(value));
    }

    /** The handler's fields, read-only. */
    HttpHeaders fields() {
        return fields == null ? HttpHeaders.of() : fields.unmodifiableView();
    }

    /** Whether the status forbids a body (RFC 9110 §6.4.1: 204 and 304; 1xx are never set here). */
    boolean forbidsBody() {
        return status == 204 || status == 304;
    }

    /** Forgets everything the handler set, for the server's own 500. */
    void reset() {
        status = 200;
        fields = null;
        declaredLength = -1;
        closeRequested = false;
        defaultTextType = false;
    }

    /**
     * Appends what the server adds to the handler's head: {@code Server} and {@code Date} (unless
     * the handler set its own), the handler's fields, and the default text type.
     *
     * @throws IllegalArgumentException if a field has a character beyond Latin-1
     */
    void writeFields(Http1Writer w, ServerLoop server) {
        if (fields == null) {
            server.commonLines(w, true, true);
        } else {
            server.commonLines(w, !fields.contains("Server"), !fields.contains("Date")).fields(fields);
        }
        if (defaultTextType && (fields == null || !fields.contains("Content-Type"))) {
            w.line(TEXT_PLAIN);
        }
    }

    /**
     * Writes a complete response of the server's own, with a short text body and
     * {@code Connection: close}.
     */
    static void simple(Http1Connection http, ServerLoop server, int status, String detail) {
        byte[] body = (status + ": " + HttpStatus.reasonPhrase(status) + (detail.isEmpty() ? "" : " (" + detail + ")")
                + "\n").getBytes(StandardCharsets.ISO_8859_1);
        server.commonLines(http.beginResponse(status), true, true).line(TEXT_PLAIN);
        http.writeHead(new BodyFraming.Length(body.length), true, ByteBuffer.wrap(body), true);
    }

    @Override
    public String toString() {
        return "ResponseHead[" + status + (fields != null ? ", " + fields : "")
                + (declaredLength >= 0 ? ", Content-Length " + declaredLength : "") + (closeRequested ? ", close" : "") + "]";
    }
}
