/**
 * The HTTP/1.1 codec shared by {@code dev.spindle.http.server} and {@code dev.spindle.http.client}:
 * a pure, push-style parser ({@link dev.spindle.http.codec.Http1Parser}) and a writer
 * ({@link dev.spindle.http.codec.Http1Writer}), with their limits
 * ({@link dev.spindle.http.codec.Http1Options}). No sockets, no loop, no clock.
 *
 * <p><b>Internal, not API.</b> The types the server and client need are public only because they
 * live in other packages; this package is never exported to applications (STYLE S6) and may
 * change without notice.
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the owning {@code IOLoop}:
 * a parser belongs to one connection. Stateless helpers and immutable values say otherwise.
 */
package dev.spindle.http.codec;
