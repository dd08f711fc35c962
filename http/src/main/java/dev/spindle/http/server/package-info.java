/**
 * An HTTP/1.1 server on Spindle coroutines (Tornado: {@code tornado.httpserver} and the
 * routing part of {@code tornado.web}): {@link dev.spindle.http.server.HttpServer} runs one
 * coroutine per connection on an {@link dev.spindle.runtime.IOLoop}, and each request's
 * {@link dev.spindle.http.server.HttpHandler} is plain sequential code that may {@code await}.
 * With {@code HttpServerOptions.withSslContext} it serves https.
 *
 * <p>Every type here is loop-confined except the immutable
 * {@link dev.spindle.http.server.HttpServerOptions} and the few thread-safe methods of
 * {@code HttpServer} ({@code stop}, {@code close}, {@code port}).
 */
package dev.spindle.http.server;
