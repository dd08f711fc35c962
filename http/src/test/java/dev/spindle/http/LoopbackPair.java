package dev.spindle.http;

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

/**
 * A connected loopback pair for the http module's tests: an {@link IoStream} on a loop, and a
 * blocking channel for the other end.
 */
public final class LoopbackPair implements AutoCloseable {
    /** The loop's end. */
    public final IoStream stream;
    /** The other end, blocking. */
    public final SocketChannel client;

    private LoopbackPair(IoStream stream, SocketChannel client) {
        this.stream = stream;
        this.client = client;
    }

    /** Opens a pair; call on {@code loop} or before it runs. */
    public static LoopbackPair open(IOLoop loop) {
        try (ServerSocketChannel listener = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            SocketChannel client = SocketChannel.open(listener.getLocalAddress());
            return new LoopbackPair(IoStream.create(loop, listener.accept()), client);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code text} (ISO-8859-1) from the other end. */
    public void clientWrites(String text) throws IOException {
        client.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    /** Reads what the other end received until the loop's end closes, as ISO-8859-1 text. Blocks: call off the loop. */
    public String clientReadsToEnd() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ByteBuffer in = ByteBuffer.allocate(8192);
        while (client.read(in.clear()) >= 0) {
            out.write(in.array(), 0, in.position());
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Closes the other end; the loop's end is its owner's to close. */
    @Override
    public void close() throws IOException {
        client.close();
    }
}
