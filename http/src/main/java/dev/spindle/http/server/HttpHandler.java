package dev.spindle.http.server;

/**
 * Handles one HTTP request: reads what it needs of the {@link HttpServerRequest} and answers
 * through the {@link HttpServerResponse} (Tornado: a {@code RequestHandler}'s {@code get},
 * {@code post}, ... methods). <b>Loop-confined:</b> the server calls {@link #handle} only from
 * a coroutine of the owning {@link dev.spindle.runtime.IOLoop}: the request's connection's.
 *
 * <p>One instance serves every
 * request of its route, one request after another on each connection and interleaved across
 * connections whenever a handler awaits; since all of them run on one thread, state shared
 * between requests needs no locks, only care across {@code await}s.
 *
 * {@snippet :
 * server.get("/users/{id}", (request, response) -> {
 *     User user = await(users.find(request.pathParam("id")));   // parks this request only
 *     response.header("Content-Type", "application/json").send(user.toJson());
 * });
 * }
 *
 * <p>The handler owns the connection until it returns. It may {@code await} (the connection's
 * coroutine parks and the loop serves other connections), but must not hand the response to
 * another coroutine and return: when {@code handle} returns, the server finishes a response
 * that is not finished yet (an empty 200, or the end of what was written). To answer later,
 * await the work that produces the answer.
 */
@FunctionalInterface
public interface HttpHandler {
    /**
     * Handles {@code request}, answering through {@code response}.
     *
     * <p><b>Suspension:</b> runs as coroutine code; it may {@code await} and park the
     * connection's coroutine (never the loop).
     *
     * @throws Exception anything: if the response has not started, the client gets a 500;
     *     either way the exception is logged to {@code spindle.application} and the connection
     *     is kept only if its framing allows
     */
    void handle(HttpServerRequest request, HttpServerResponse response) throws Exception;
}
