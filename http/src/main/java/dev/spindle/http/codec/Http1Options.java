package dev.spindle.http.codec;

/**
 * Limits of the HTTP/1.1 parser (Tornado: {@code HTTP1ConnectionParameters}).
 *
 * <p><b>Thread-safe:</b> may be called from any thread (immutable).
 *
 * <table class="striped">
 *   <caption>Limits, defaults and what exceeding them answers</caption>
 *   <thead><tr><th>component</th><th>default</th><th>counts</th><th>exceeded</th></tr></thead>
 *   <tbody>
 *   <tr><td>{@code maxStartLineLength}</td><td>8 KiB</td><td>request or status line with CRLF</td>
 *       <td>414 (request), 400 (response)</td></tr>
 *   <tr><td>{@code maxHeaderBytes}</td><td>64 KiB</td><td>field lines with CRLFs and the empty
 *       line; trailers have their own budget of the same size</td><td>431</td></tr>
 *   <tr><td>{@code maxHeaderCount}</td><td>100</td><td>fields (or trailer fields)</td><td>431</td></tr>
 *   <tr><td>{@code maxBodySize}</td><td>10 MiB</td><td>body bytes after chunked decoding;
 *       {@link Long#MAX_VALUE} for no limit (streaming)</td><td>413</td></tr>
 *   <tr><td>{@code maxChunkLineLength}</td><td>4 KiB</td><td>chunk-size line with extensions and
 *       CRLF</td><td>400</td></tr>
 *   </tbody>
 * </table>
 *
 * @param maxStartLineLength the longest request or status line, in bytes, CRLF included
 * @param maxHeaderBytes the largest header block (or trailer block), in bytes
 * @param maxHeaderCount the most header (or trailer) fields
 * @param maxBodySize the largest body, in bytes
 * @param maxChunkLineLength the longest chunk-size line, in bytes, CRLF included
 * @since 0.1
 */
public record Http1Options(
        int maxStartLineLength, int maxHeaderBytes, int maxHeaderCount, long maxBodySize, int maxChunkLineLength) {

    /** The defaults of the table above. */
    public static final Http1Options DEFAULTS = new Http1Options(8 * 1024, 64 * 1024, 100, 10L << 20, 4 * 1024);

    /** The shortest line limit: room for {@code "0\r\n"} and a minimal start line. */
    private static final int MIN_LINE = 16;

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException if a line limit is below 16 bytes, a count is not
     *     positive or the body size is negative; the message shows the value
     */
    public Http1Options {
        checkAtLeast("maxStartLineLength", maxStartLineLength, MIN_LINE);
        checkAtLeast("maxHeaderBytes", maxHeaderBytes, MIN_LINE);
        checkAtLeast("maxHeaderCount", maxHeaderCount, 1);
        if (maxBodySize < 0) throw new IllegalArgumentException("maxBodySize < 0: " + maxBodySize);
        checkAtLeast("maxChunkLineLength", maxChunkLineLength, MIN_LINE);
    }

    private static void checkAtLeast(String name, int value, int min) {
        if (value < min) throw new IllegalArgumentException(name + " < " + min + ": " + value);
    }

    /** Returns a copy with {@code maxStartLineLength} replaced. */
    public Http1Options withMaxStartLineLength(int value) {
        return new Http1Options(value, maxHeaderBytes, maxHeaderCount, maxBodySize, maxChunkLineLength);
    }

    /** Returns a copy with {@code maxHeaderBytes} replaced. */
    public Http1Options withMaxHeaderBytes(int value) {
        return new Http1Options(maxStartLineLength, value, maxHeaderCount, maxBodySize, maxChunkLineLength);
    }

    /** Returns a copy with {@code maxHeaderCount} replaced. */
    public Http1Options withMaxHeaderCount(int value) {
        return new Http1Options(maxStartLineLength, maxHeaderBytes, value, maxBodySize, maxChunkLineLength);
    }

    /** Returns a copy with {@code maxBodySize} replaced ({@link Long#MAX_VALUE}: no limit). */
    public Http1Options withMaxBodySize(long value) {
        return new Http1Options(maxStartLineLength, maxHeaderBytes, maxHeaderCount, value, maxChunkLineLength);
    }

    /** Returns a copy with {@code maxChunkLineLength} replaced. */
    public Http1Options withMaxChunkLineLength(int value) {
        return new Http1Options(maxStartLineLength, maxHeaderBytes, maxHeaderCount, maxBodySize, value);
    }
}
