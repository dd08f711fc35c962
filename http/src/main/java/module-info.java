/**
 * Spindle's HTTP/1.1 server and client, on the coroutines of {@code dev.spindle.runtime}.
 *
 * <p>Exports the message model ({@code dev.spindle.http}), the client and the server. The
 * HTTP/1.1 codec both sides share and the examples are not exported.
 */
module dev.spindle.http {
    requires transitive dev.spindle.runtime;

    exports dev.spindle.http;
    exports dev.spindle.http.client;
    exports dev.spindle.http.server;
}
