package dev.spindle.jmh;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Hello world on Netty 4.2 with one event-loop thread (or as many as the second argument says)
 * that both accepts and serves (the NIO
 * transport, as Spindle's selector: no native epoll), {@code HttpServerCodec} and a handler that
 * writes on read and flushes once per read burst, as Netty's own hello-world example does. Sends
 * {@code Date}, {@code Content-Type} and {@code Content-Length} like the other servers. Run by
 * {@link ServerThroughput} and {@link IdleMemory} in a JVM of its own.
 *
 * <p><b>Thread-safe:</b> {@link #main} may be called from any thread; Netty serves on its own
 * event-loop thread.
 */
public final class NettyHelloServer {
    private static final ByteBuf HELLO =
            Unpooled.unreleasableBuffer(Unpooled.copiedBuffer(HelloResponse.BODY, StandardCharsets.UTF_8));

    private NettyHelloServer() {}

    /**
     * Serves until standard input closes.
     *
     * @param args the port (default 0: any free one), then the event-loop threads (default 1);
     *     binds 127.0.0.1
     * @throws InterruptedException if interrupted while binding
     */
    public static void main(String[] args) throws InterruptedException {
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new Hello());
                    }
                });
        var channel = bootstrap.bind(ServerControl.LOOPBACK, ServerControl.port(args)).sync().channel();
        ServerControl.ready(((java.net.InetSocketAddress) channel.localAddress()).getPort());
    }

    /** Answers each request head; ignores body parts. Stateless, so one per connection is cheap. */
    private static final class Hello extends SimpleChannelInboundHandler<HttpObject> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (!(msg instanceof HttpRequest request)) {
                return;
            }
            FullHttpResponse response = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.OK, HELLO.duplicate());
            response.headers()
                    .set(HttpHeaderNames.DATE, HelloResponse.date())
                    .set(HttpHeaderNames.CONTENT_TYPE, HelloResponse.CONTENT_TYPE)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, HELLO.readableBytes());
            if (HttpUtil.isKeepAlive(request)) {
                ctx.write(response);
            } else {
                ctx.write(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
