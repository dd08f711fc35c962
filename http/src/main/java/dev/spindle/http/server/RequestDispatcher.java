package dev.spindle.http.server;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpInputException;
import dev.spindle.http.RequestStartLine;
import dev.spindle.http.codec.Http1Event;
import dev.spindle.runtime.internal.Log;
import dev.spindle.runtime.net.StreamClosedException;
import java.util.concurrent.CancellationException;

/**
 * One request and its response on a connection (Tornado: {@code _RequestDispatcher} and
 * {@code RequestHandler._execute}): routing, the handler, the server's own answers (404, 405,
 * 417, 500), finishing what the handler left open, draining the unread body, and the access log
 * line.
 *
 * <p><b>Loop-confined:</b> runs on the connection's coroutine.
 */
final class RequestDispatcher {
    private static final HttpHandler EXPECTATION_FAILED =
            (request, response) -> response.status(417).send("417: Expectation Failed\n");

    private final Http1ServerConnection conn;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final RequestBody body;
    /** {@code Expect} other than {@code 100-continue}: answered with 417. */
    private final boolean unknownExpectation;
    /** When the head was parsed (loop time), or 0 when nobody logs access. */
    private final long started;

    RequestDispatcher(Http1ServerConnection conn, Http1Event.Head head) {
        this.conn = conn;
        this.started = conn.home().accessLog.start();
        RequestStartLine line = (RequestStartLine) head.startLine();
        HttpHeaders headers = head.headers();
        // RFC 9110 §10.1.1: an HTTP/1.0 request's expectation is ignored.
        String expect = line.version().equals("HTTP/1.1") ? headers.get("Expect") : null;
        boolean continueExpected = expect != null && expect.equalsIgnoreCase("100-continue");
        this.unknownExpectation = expect != null && !continueExpected;
        this.body = new RequestBody(conn, head.framing(), continueExpected);
        this.request = new HttpServerRequest(line, headers, conn.stream().remoteAddress(), body, conn);
        this.response = new HttpServerResponse(conn, request);
    }

    HttpServerResponse response() {
        return response;
    }

    RequestBody body() {
        return body;
    }

    /**
     * Runs the handler and completes the exchange.
     *
     * @return whether the connection may serve another request
     * @throws HttpInputException for a malformed body when no response has started: the
     *     connection answers it with the exception's status
     */
    boolean run() {
        try {
            handle();
            if (!response.isFinished()) {
                response.finish();
            }
        } catch (HttpInputException e) {
            return badBody(e);
        } catch (StreamClosedException e) {
            return false; // The client went away, or a deadline closed the connection.
        } catch (CancellationException e) {
            if (conn.aborted()) {
                throw e;
            }
            return failed(e);
        } catch (Throwable e) {
            return failed(e);
        } finally {
            conn.http().stopWatching();
            logAccess();
        }
        return reusable();
    }

    /** Whether the connection may go on: both sides keep it alive and the rest of the body drained. */
    private boolean reusable() {
        boolean reusable = conn.http().keepAlive() && body.drain(RequestBody.DRAIN_LIMIT) && conn.http().isDone();
        body.close();
        return reusable;
    }

    /** The body was malformed: let the connection answer with its status, or, too late for that, close. */
    private boolean badBody(HttpInputException e) {
        if (!response.isStarted()) {
            response.sentByServer(e.status());
            throw e;
        }
        Log.GENERAL.log(System.Logger.Level.INFO,
                "Malformed HTTP message (request body) from " + request.remoteAddress() + ": " + e.getMessage());
        return false;
    }

    private void handle() throws Exception {
        HttpHandler handler;
        if (unknownExpectation) {
            handler = EXPECTATION_FAILED;
        } else {
            Router.Match m = conn.server().router().find(request.method(), request.path());
            request.pathParams(m.params());
            handler = m.handler();
        }
        handler.handle(request, response);
    }

    /** A handler failed: 500 if nothing was sent yet; the connection survives if the framing allows. */
    private boolean failed(Throwable e) {
        Log.APPLICATION.log(System.Logger.Level.ERROR, "Uncaught exception in handler of " + summary(), e);
        if (response.isStarted() || conn.stream().isClosed()) {
            body.close();
            return false;
        }
        response.reset();
        response.status(500).send("500: Internal Server Error\n");
        return reusable();
    }

    /** Whether the connection may stay open after this response, as far as the server is concerned. */
    boolean serverKeepsAlive() {
        return !conn.stopping() && body.mayDrain(RequestBody.DRAIN_LIMIT);
    }

    private void logAccess() {
        int status = response.status();
        if (conn.stream().isClosed() && !response.delivered() && !response.sentByServer()) {
            status = AccessLog.CLIENT_CLOSED;
        }
        conn.home().accessLog.log(started, status, request.startLine(), request.remoteAddress());
    }

    /** {@code GET /path?q (address)}, as in Tornado's access log. */
    private String summary() {
        return AccessLog.appendRequest(new StringBuilder(), request.startLine(), request.remoteAddress()).toString();
    }

    @Override
    public String toString() {
        return "RequestDispatcher[" + request.method() + " " + request.target() + ", " + response + "]";
    }
}
