package dev.spindle.runtime.net;

import dev.spindle.runtime.IOLoop;
import javax.net.ssl.SSLSession;

/**
 * An {@link IoStream} encrypted with TLS (Tornado: {@code SSLIOStream}): the same reads and
 * writes, with the bytes going through an {@link javax.net.ssl.SSLEngine}, and what the handshake
 * settled. <b>Loop-confined:</b> call only from a coroutine or callback of the owning
 * {@link IOLoop}.
 *
 * {@snippet :
 * TcpServer.create(loop, (stream, address) -> {
 *     TlsStream tls = (TlsStream) stream;               // a server with tls(...) hands out TlsStreams
 *     String host = tls.serverName();                   // the name the client asked for (SNI)
 *     String protocol = tls.applicationProtocol();      // what ALPN chose, e.g. "http/1.1"
 *     ...
 * }).tls(TlsOptions.server(sslContext).withApplicationProtocols("http/1.1")).listen(8443);
 * }
 *
 * <p>{@link TcpServer#tls} and {@link TcpClient#withTls} make them, after a handshake that has
 * completed: every method of a {@code TlsStream} sees an established session.
 *
 * <p><b>Reading and writing</b> work as for any {@link IoStream}, with these differences:
 * <ul>
 * <li>{@link #writeBufferSize()}, {@link #writeBufferAtMost} and {@link #flush()} count TLS
 *     records, a few bytes per 16 KiB more than the plaintext written;
 * <li>the peer's {@code close_notify} is the end of the stream, a clean close;
 *     {@link #readUntilClose()} completes with everything before it;
 * <li>a connection that ends without a {@code close_notify} closes the stream with an
 *     {@link javax.net.ssl.SSLException} as {@link #error()} (the data may have been truncated),
 *     so a pending read fails with {@link StreamClosedException} whose cause says so;
 * <li>{@link #close()} sends a {@code close_notify} first, unless the kernel has not taken
 *     all earlier records yet (they are dropped, as for any stream: {@link #flush()} first to
 *     close gracefully);
 * <li>TLS 1.3 key updates are answered; a TLS 1.2 renegotiation is refused, closing the stream
 *     with an {@link javax.net.ssl.SSLException}.
 * </ul>
 *
 * <p><b>Memory.</b> Idle, a TLS stream holds its {@code SSLEngine} (keys and cipher state, a few
 * KB) and, as a plain stream, no read or write buffer: records are unwrapped into and wrapped
 * from buffers of the loop; only the tail of a record that has not fully arrived stays with the
 * stream.
 *
 * @since 0.2
 */
public interface TlsStream extends IoStream {
    /**
     * The session the handshake established: protocol ({@code getProtocol()}, e.g.
     * {@code "TLSv1.3"}), cipher suite, the peer's certificates.
     */
    SSLSession session();

    /** The application protocol ALPN settled on, e.g. {@code "http/1.1"}; null if none was negotiated. */
    String applicationProtocol();

    /**
     * The server name of the connection (SNI): on a server, the host name the client asked for;
     * on a client, the host name it sent. Null if none: the client connected to an IP address,
     * or sent no name.
     */
    String serverName();
}
