package dev.spindle.http.server;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.net.IoStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/** A connected loopback pair: a server-side {@link IoStream} on a loop, and a blocking client channel. */
final class LoopbackPair implements AutoCloseable {
    final IoStream stream;
    final SocketChannel client;

    private LoopbackPair(IoStream stream, SocketChannel client) {
        this.stream = stream;
        this.client = client;
    }

    /** Opens a pair; call on {@code loop} or before it runs. */
    static LoopbackPair open(IOLoop loop) {
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SocketChannel client = SocketChannel.open(listener.getLocalAddress());
            return new LoopbackPair(IoStream.create(loop, listener.accept()), client);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void clientWrites(String text) throws IOException {
        client.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
