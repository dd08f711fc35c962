/**
 * The HTTP/1.1 client (Tornado: {@code tornado.httpclient}): {@link dev.spindle.http.client.AsyncHttpClient}
 * for coroutine code, {@link dev.spindle.http.client.HttpClient} as its blocking facade,
 * {@link dev.spindle.http.client.HttpClientOptions}, and the failures
 * {@link dev.spindle.http.client.HttpClientException} (a non-2xx response) and
 * {@link dev.spindle.http.client.HttpTimeoutException} (a timeout, saying where it happened).
 * Requests and responses are {@link dev.spindle.http.HttpRequest} and
 * {@link dev.spindle.http.HttpResponse}. {@code http} and {@code https} URLs are fetched; https
 * verifies the server's chain and host name (see {@code HttpClientOptions}).
 *
 * <p>Each type states its thread affinity; the package-private connection pool, queue and
 * exchanges are loop-confined.
 */
package dev.spindle.http.client;
