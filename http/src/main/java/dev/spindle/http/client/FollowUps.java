package dev.spindle.http.client;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpRequest;
import dev.spindle.http.HttpResponse;
import dev.spindle.http.ResponseStartLine;
import java.net.URI;

/**
 * The first link of a fetch's chain (OkHttp: {@code RetryAndFollowUpInterceptor}): sends the
 * request, follows redirects, retries once on a new connection when a pooled one turned out
 * closed (Tornado #324), and makes the {@link HttpResponse} of the final answer.
 *
 * <p><b>Loop-confined:</b> runs in the fetch's coroutine on the client's loop.
 */
final class FollowUps {
    private final HttpRequest request;
    private final HeadersBridge next;
    private final FetchTimer timer;
    /** Redirects followed so far. Loop-confined. */
    private int redirects;
    /** Why the final 3xx response was not followed, for the exception's message; or null. Loop-confined. */
    private String notFollowed;

    FollowUps(HttpRequest request, HeadersBridge next, FetchTimer timer) {
        this.request = request;
        this.next = next;
        this.timer = timer;
    }

    /**
     * Runs the exchanges until a response that is not followed.
     *
     * @throws HttpClientException for a final status outside 2xx, if the request raises errors
     * @throws Exception what an exchange threw
     */
    HttpResponse run() throws Exception {
        OutgoingRequest outgoing = OutgoingRequest.of(request);
        while (true) {
            OpenResponse r = proceed(outgoing);
            OutgoingRequest redirect = redirectTarget(outgoing, r.status(), r.head().headers());
            if (redirect != null) {
                r.readBody(BodySink.DISCARD);
                outgoing = redirect;
                continue;
            }
            timer.firstByte();
            byte[] body = next.readBody(r);
            return response(outgoing, r, body);
        }
    }

    /** One exchange, retried once on a new connection if a pooled one turns out closed. */
    private OpenResponse proceed(OutgoingRequest outgoing) throws Exception {
        try {
            return next.proceed(outgoing, false);
        } catch (ExchangeFinder.StaleConnectionException e) {
            if (!outgoing.idempotent()) {
                throw e.getCause() instanceof Exception x ? x : new IllegalStateException(e.getCause());
            }
        }
        return next.proceed(outgoing, true);
    }

    private HttpResponse response(OutgoingRequest outgoing, OpenResponse r, byte[] body) {
        ResponseStartLine status = r.status();
        HttpResponse.Builder b = HttpResponse.builder(request, status.code()).headers(r.head().headers()).body(body)
                .effectiveUrl(outgoing.url()).timing(timer.timing());
        if (!status.reason().isEmpty()) {
            b.reason(status.reason());
        }
        HttpResponse response = b.build();
        if (request.raiseError() && (status.code() < 200 || status.code() >= 300)) {
            throw new HttpClientException(response, notFollowed);
        }
        return response;
    }

    /**
     * Where a 3xx response leads, if it is to be followed; else null (and, if following was
     * wanted but impossible, {@link #notFollowed} says why).
     */
    private OutgoingRequest redirectTarget(OutgoingRequest from, ResponseStartLine status, HttpHeaders headers) {
        String location = headers.get("Location");
        if (!request.followRedirects() || !Redirects.isRedirect(status.code()) || location == null) {
            return null;
        } else if (redirects >= request.maxRedirects()) {
            notFollowed = "too many redirects: maxRedirects=" + request.maxRedirects();
            return null;
        }
        URI target;
        try {
            target = Redirects.resolve(from.uri(), location);
        } catch (IllegalArgumentException e) {
            notFollowed = "redirect not followed: " + e.getMessage();
            return null;
        }
        if (!Redirects.isHttp(target)) {
            notFollowed = "redirect to " + target + " not followed: only http:// and https:// URLs are supported";
            return null;
        }
        redirects++;
        return Redirects.next(from, status.code(), target);
    }
}
