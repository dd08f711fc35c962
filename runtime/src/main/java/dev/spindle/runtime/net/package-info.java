/**
 * Non-blocking TCP and TLS on the loop's selector: {@link dev.spindle.runtime.net.IoStream},
 * {@link dev.spindle.runtime.net.TcpServer} and {@link dev.spindle.runtime.net.TcpClient}
 * (Tornado: {@code tornado.iostream}, {@code tornado.tcpserver}, {@code tornado.tcpclient}),
 * and {@link dev.spindle.runtime.net.TlsStream}, the {@code IoStream} a server with
 * {@link dev.spindle.runtime.net.TcpServer#tls} or a client
 * {@link dev.spindle.runtime.net.TcpClient#withTls} hands out, set up by
 * {@link dev.spindle.runtime.net.TlsOptions} (Tornado: {@code SSLIOStream}, {@code ssl_options}).
 *
 * <p>This is the layer where the loop's selector completes the futures that coroutines await.
 * Sockets are non-blocking NIO channels registered with their {@link dev.spindle.runtime.IOLoop};
 * readiness is handled on the loop's thread and no JDK poller thread or cross-thread hop is
 * involved. A read that can be satisfied from bytes already buffered, or from one immediate
 * non-blocking read, returns an already-completed future, so {@code await} does not park.
 *
 * {@snippet :
 * import static dev.spindle.runtime.Coroutines.*;
 *
 * TcpServer server = TcpServer.create(loop, (stream, address) -> {
 *     while (true) {
 *         byte[] line = await(stream.readUntil("\n", 1024));   // parks until a line arrived
 *         await(stream.write(line));                            // parks while the kernel buffer is full
 *     }
 * }).listen(8888);
 *
 * IoStream stream = await(TcpClient.create().connect("localhost", 8888, Duration.ofSeconds(5)));
 * }
 *
 * <p>Every type here is loop-confined unless its documentation says otherwise: call it from a
 * coroutine or callback of the loop that owns it.
 */
package dev.spindle.runtime.net;
