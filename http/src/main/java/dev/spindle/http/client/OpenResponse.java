package dev.spindle.http.client;

import dev.spindle.http.ResponseStartLine;
import dev.spindle.http.codec.Http1Event;

/**
 * A response whose head arrived and whose body is still on the connection (OkHttp: a
 * {@code Response} with an unread body): the links of a fetch's chain hand it up, and the one
 * that knows what the body is for reads it.
 *
 * <p><b>Loop-confined:</b> used in the fetch's coroutine on the client's loop.
 */
interface OpenResponse {
    /** The head: status line, fields (modifiable by the links above), framing. */
    Http1Event.Head head();

    /** The status line of {@link #head()}. */
    ResponseStartLine status();

    /**
     * Reads the whole body into {@code sink}, parking while bytes are on the way; then the
     * connection goes back to the pool, or is closed. Call it once.
     *
     * @throws Exception what the stream, the parser or the sink threw; the connection is closed
     */
    void readBody(BodySink sink) throws Exception;
}
