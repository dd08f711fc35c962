package dev.spindle.http;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The response to an {@link HttpRequest}: status, headers, body, and how the fetch went
 * (Tornado: {@code tornado.httpclient.HTTPResponse}).
 *
 * {@snippet :
 * HttpResponse response = await(AsyncHttpClient.create().fetch("http://example.com/"));
 * response.code();          // 200
 * response.bodyText();      // decoded with the charset of Content-Type, else UTF-8
 * response.requestTime();   // from fetch() to the last byte
 * }
 *
 * <p><b>Thread-safe:</b> immutable; may be shared by any threads. {@link #headers()} is a
 * read-only snapshot and {@link #body()} returns a copy.
 *
 * <p>After redirects, this is the final response: {@link #effectiveUrl()} is where it came
 * from, while {@link #request()} is the request as given to {@code fetch}.
 *
 * @since 0.1
 */
public final class HttpResponse {
    private static final byte[] EMPTY = new byte[0];

    private final HttpRequest request;
    private final int code;
    private final String reason;
    private final HttpHeaders headers;
    /** The body; never handed out, see {@link #body()}. */
    private final byte[] body;
    private final String effectiveUrl;
    private final Timing timing;

    /**
     * Where the time of a fetch went. Durations are zero when the phase did not happen.
     *
     * <p><b>Thread-safe:</b> immutable.
     *
     * @param queue waiting in the client's queue for a free slot ({@code maxClients})
     * @param connect opening connections, redirects included; zero when pooled ones were reused
     * @param firstByte from the call to {@code fetch} until the first byte of the final response
     * @param total from the call to {@code fetch} until the response was complete
     * @param reusedConnection whether the final response came over a pooled connection
     */
    public record Timing(Duration queue, Duration connect, Duration firstByte, Duration total,
            boolean reusedConnection) {
        /** No time spent: for responses made by hand. */
        public static final Timing NONE = new Timing(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, false);

        /**
         * Checks the components.
         *
         * @throws NullPointerException if a duration is null
         * @throws IllegalArgumentException if a duration is negative
         */
        public Timing {
            for (Duration d : new Duration[] {queue, connect, firstByte, total}) {
                if (Objects.requireNonNull(d, "duration").isNegative()) {
                    throw new IllegalArgumentException("negative duration in Timing: " + d);
                }
            }
        }
    }

    private HttpResponse(Builder b) {
        this.request = b.request;
        this.code = b.code;
        this.reason = b.reason != null ? b.reason : HttpStatus.reasonPhrase(b.code);
        this.headers = b.headers.copy().unmodifiableView();
        this.body = b.body;
        this.effectiveUrl = b.effectiveUrl != null ? b.effectiveUrl : b.request.url();
        this.timing = b.timing;
    }

    /**
     * Starts a response to {@code request}, e.g. for a test double of a client.
     *
     * @throws IllegalArgumentException if {@code code} is not in 100..999
     */
    public static Builder builder(HttpRequest request, int code) {
        return new Builder(request, code);
    }

    /** The request as given to {@code fetch} (before any redirect). */
    public HttpRequest request() {
        return request;
    }

    /** The status code, e.g. 200. */
    public int code() {
        return code;
    }

    /** The reason phrase the server sent, or the standard one if it sent none. */
    public String reason() {
        return reason;
    }

    /** The header fields, read-only. */
    public HttpHeaders headers() {
        return headers;
    }

    /** A copy of the body; empty when the request had a streaming callback or there was none. */
    public byte[] body() {
        return body.length == 0 ? body : body.clone();
    }

    /** The body as a read-only buffer, without copying. */
    public ByteBuffer bodyBuffer() {
        return ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    /** The body's length in bytes. */
    public int bodyLength() {
        return body.length;
    }

    /**
     * The body decoded as text, with the {@code charset} parameter of {@code Content-Type}, or
     * UTF-8 when there is none or the JDK does not know it. Malformed bytes become U+FFFD.
     */
    public String bodyText() {
        return new String(body, charset());
    }

    /** The charset {@link #bodyText()} uses. */
    public Charset charset() {
        String type = headers.get("Content-Type");
        if (type == null) {
            return StandardCharsets.UTF_8;
        }
        for (String param : type.split(";")) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("charset")) {
                String name = param.substring(eq + 1).strip();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1);
                }
                try {
                    return Charset.forName(name);
                } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** The URL the final response came from: the request's, or the last redirect's target. */
    public String effectiveUrl() {
        return effectiveUrl;
    }

    /** From the call to {@code fetch} until the response was complete: {@code timing().total()}. */
    public Duration requestTime() {
        return timing.total();
    }

    /** Where the time went: queue, connect, first byte. */
    public Timing timing() {
        return timing;
    }

    /** Returns e.g. {@code HttpResponse[200 OK, GET http://h/x, 12 bytes, 3 ms, reused connection]}. */
    @Override
    public String toString() {
        return "HttpResponse[" + code + (reason.isEmpty() ? "" : " " + reason) + ", " + request.method() + " "
                + effectiveUrl + ", " + body.length + " bytes, " + timing.total().toMillis() + " ms"
                + (timing.reusedConnection() ? ", reused connection" : "") + "]";
    }

    /**
     * Collects the parts of an {@link HttpResponse}.
     *
     * <p><b>Not thread-safe:</b> a builder belongs to the code building the response.
     */
    public static final class Builder {
        private final HttpRequest request;
        private final int code;
        private String reason;
        private HttpHeaders headers = HttpHeaders.of();
        private byte[] body = EMPTY;
        private String effectiveUrl;
        private Timing timing = Timing.NONE;

        private Builder(HttpRequest request, int code) {
            this.request = Objects.requireNonNull(request, "request");
            if (code < 100 || code > 999) {
                throw new IllegalArgumentException("status code not in 100..999: " + code);
            }
            this.code = code;
        }

        /** Sets the reason phrase (default: the standard one of the code). */
        public Builder reason(String reason) {
            this.reason = Objects.requireNonNull(reason, "reason");
            return this;
        }

        /** Sets the headers (copied when built). */
        public Builder headers(HttpHeaders headers) {
            this.headers = Objects.requireNonNull(headers, "headers");
            return this;
        }

        /** Sets the body; the array is taken as is, not copied: do not modify it afterwards. */
        public Builder body(byte[] body) {
            this.body = Objects.requireNonNull(body, "body");
            return this;
        }

        /** Sets the URL the response came from (default: the request's). */
        public Builder effectiveUrl(String url) {
            this.effectiveUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /** Sets the timing (default {@link Timing#NONE}). */
        public Builder timing(Timing timing) {
            this.timing = Objects.requireNonNull(timing, "timing");
            return this;
        }

        /** Builds the response. */
        public HttpResponse build() {
            return new HttpResponse(this);
        }
    }
}
