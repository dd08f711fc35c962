package dev.spindle.http.client;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.HttpRequest;
import dev.spindle.http.codec.BodyFraming;
import dev.spindle.http.codec.Http1Event;
import java.util.function.Consumer;

/**
 * The link between what the caller asked for and what goes on the wire (OkHttp:
 * {@code BridgeInterceptor}): adds {@code Host}, {@code User-Agent} and {@code Accept-Encoding}
 * to the request; on the way back, runs the header callback and puts the body of the final
 * response into its sink, decoding it when it is compressed and the request asked for that.
 *
 * <p><b>Loop-confined:</b> runs in the fetch's coroutine on the client's loop.
 */
final class HeadersBridge {
    private final HttpRequest request;
    private final HttpClientOptions options;
    private final ExchangeFinder next;

    HeadersBridge(HttpRequest request, HttpClientOptions options, ExchangeFinder next) {
        this.request = request;
        this.options = options;
        this.next = next;
    }

    /** Sends {@code outgoing} with the client's fields added; see {@link ExchangeFinder#proceed}. */
    OpenResponse proceed(OutgoingRequest outgoing, boolean fresh) throws Exception {
        return next.proceed(outgoing, wireHeaders(outgoing), fresh);
    }

    /** The fields to send: the caller's, plus what the client adds. Framing fields are the codec's. */
    private HttpHeaders wireHeaders(OutgoingRequest outgoing) {
        HttpHeaders user = outgoing.headers();
        HttpHeaders h = HttpHeaders.create();
        if (!user.contains("Host")) {
            h.add("Host", outgoing.hostHeader());
        }
        for (int i = 0; i < user.size(); i++) {
            h.add(user.name(i), user.value(i));
        }
        if (!user.contains("User-Agent")) {
            h.add("User-Agent", options.userAgent());
        }
        if (request.decompressResponse() && !user.contains("Accept-Encoding")) {
            h.add("Accept-Encoding", "gzip, deflate");
        }
        return h;
    }

    /**
     * Reads the body of the final response: calls the header callback, then collects the body
     * or streams it to the request's callback, decoded if asked for.
     *
     * @return the collected body; empty when streamed
     */
    byte[] readBody(OpenResponse response) throws Exception {
        Http1Event.Head h = response.head();
        request.headerCallback().ifPresent(cb -> sendHeaderLines(cb, h));
        HttpHeaders headers = h.headers();
        BodySink sink = request.streamingCallback().<BodySink>map(BodySink.Streamer::new)
                .orElseGet(() -> new BodySink.Collector(
                        h.framing() instanceof BodyFraming.Length(long n) && !headers.contains("Content-Encoding") ? n : -1,
                        options.maxBodySize()));
        BodySink decoded = request.decompressResponse() ? decoding(headers, sink) : sink;
        response.readBody(decoded);
        return sink.body();
    }

    private static BodySink decoding(HttpHeaders headers, BodySink sink) {
        String encoding = headers.get("Content-Encoding");
        ContentDecoder decoder = ContentDecoder.forEncoding(encoding, sink);
        if (decoder == null) {
            return sink;
        }
        headers.remove("Content-Encoding");
        headers.add("X-Consumed-Content-Encoding", encoding);
        return decoder;
    }

    private static void sendHeaderLines(Consumer<String> callback, Http1Event.Head h) {
        callback.accept(h.startLine() + "\r\n");
        for (int i = 0; i < h.headers().size(); i++) {
            callback.accept(h.headers().name(i) + ": " + h.headers().value(i) + "\r\n");
        }
        callback.accept("\r\n");
    }
}
